DROP TABLE focal_points;
DROP TABLE people;
