DROP TABLE member_profiles;
DROP TABLE experts;
DROP TABLE staff_counts;
