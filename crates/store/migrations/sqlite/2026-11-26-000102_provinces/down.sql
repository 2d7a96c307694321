-- SQLite cannot drop a column that holds a foreign key: org_names is rebuilt without them.
CREATE TABLE org_names_old (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    valid_from DATE NOT NULL,
    valid_to DATE,
    name_vi TEXT NOT NULL,
    name_en TEXT,
    short_name TEXT,
    name_folded TEXT NOT NULL,
    reason TEXT NOT NULL
);
INSERT INTO org_names_old (id, org_id, valid_from, valid_to, name_vi, name_en, short_name, name_folded, reason)
    SELECT id, org_id, valid_from, valid_to, name_vi, name_en, short_name, name_folded, reason FROM org_names;
DROP TABLE org_names;
ALTER TABLE org_names_old RENAME TO org_names;
CREATE INDEX org_names_org ON org_names (org_id, valid_from);
DROP TABLE province_successions;
DROP TABLE province_versions;
DROP TABLE provinces;
