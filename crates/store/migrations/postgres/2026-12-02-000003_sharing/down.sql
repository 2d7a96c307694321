DROP TABLE taxii_statuses;
DROP TABLE indicator_sightings;
DROP TABLE indicator_observables;
DROP TABLE indicators;
