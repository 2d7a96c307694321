ALTER TABLE information_systems DROP COLUMN os_version;
ALTER TABLE information_systems DROP COLUMN os;
DROP TABLE filed_reports;
