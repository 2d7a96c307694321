DROP TABLE information_systems;
