ALTER TABLE org_names DROP COLUMN parent_id;
ALTER TABLE org_names DROP COLUMN province_code;
DROP TABLE province_successions;
DROP TABLE province_versions;
DROP TABLE provinces;
