DROP TABLE stix_objects;
