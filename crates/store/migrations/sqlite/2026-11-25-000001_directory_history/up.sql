-- The directory's history: what an organisation was called when, how organisations succeeded
-- each other (renamings, mergers), how clusters were founded, and who led each cluster each year.
-- Periods are half-open: valid_to is the first day a version no longer holds (NULL: still holds).
ALTER TABLE organisations ADD COLUMN member_code TEXT;

CREATE TABLE org_names (
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
CREATE INDEX org_names_org ON org_names (org_id, valid_from);

CREATE TABLE org_successions (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    effective DATE NOT NULL,
    predecessor_id TEXT NOT NULL REFERENCES organisations (id),
    successor_id TEXT REFERENCES organisations (id),
    decision TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX org_successions_predecessor ON org_successions (predecessor_id);
CREATE INDEX org_successions_successor ON org_successions (successor_id);

ALTER TABLE clusters ADD COLUMN founding_decision TEXT;
ALTER TABLE clusters ADD COLUMN founding_date DATE;
ALTER TABLE clusters ADD COLUMN founding_issuer TEXT;

CREATE TABLE cluster_leads (
    id TEXT PRIMARY KEY NOT NULL,
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    year INTEGER NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    handed_over_on DATE,
    handed_over_from TEXT REFERENCES organisations (id),
    handover_event TEXT,
    handed_over_by TEXT
);
CREATE UNIQUE INDEX cluster_leads_year ON cluster_leads (cluster_id, year);
