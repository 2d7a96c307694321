-- Provinces as reference data, versioned like organisations (63 became 34 on 01/07/2025).
-- `provinces` holds each code's latest version, for lookups and foreign keys; the versions hold
-- names and kind over half-open periods (valid_to is the first day a version no longer holds).
CREATE TABLE provinces (
    code TEXT PRIMARY KEY NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT,
    kind TEXT NOT NULL
);

CREATE TABLE province_versions (
    id TEXT PRIMARY KEY NOT NULL,
    province_code TEXT NOT NULL REFERENCES provinces (code),
    valid_from DATE NOT NULL,
    valid_to DATE,
    name_vi TEXT NOT NULL,
    name_en TEXT,
    name_folded TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX province_versions_code ON province_versions (province_code, valid_from);
CREATE INDEX province_versions_period ON province_versions (valid_from, valid_to);

-- A merger: the predecessor's last version ends the day before `effective`.
CREATE TABLE province_successions (
    id TEXT PRIMARY KEY NOT NULL,
    predecessor_code TEXT NOT NULL REFERENCES provinces (code),
    successor_code TEXT NOT NULL REFERENCES provinces (code),
    effective DATE NOT NULL,
    decision TEXT
);
CREATE INDEX province_successions_predecessor ON province_successions (predecessor_code);
CREATE INDEX province_successions_successor ON province_successions (successor_code);

-- An organisation's province and parent authority are versioned with its name: Bắc Kạn's
-- department keeps province Bắc Kạn for what happened before 01/07/2025.
ALTER TABLE org_names ADD COLUMN province_code TEXT REFERENCES provinces (code);
ALTER TABLE org_names ADD COLUMN parent_id TEXT REFERENCES organisations (id);
