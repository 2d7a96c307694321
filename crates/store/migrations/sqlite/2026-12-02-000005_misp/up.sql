-- MISP in and out (issue 5, item 6). `to_ids` is MISP's "for intrusion detection": false for an
-- attribute imported as context (an observable), true for everything else. And the link to an
-- alert becomes a foreign key (a link to an alert that no longer exists is dropped).
--
-- SQLite cannot add a foreign key to a table, so `indicators` is rebuilt. Diesel runs a migration
-- in a transaction, where foreign keys cannot be switched off; so the children that reference
-- `indicators` are rebuilt too, pointing at the new table, and the old tables are dropped
-- children first (nothing then references the old `indicators`).
CREATE TABLE indicators_new (
    id TEXT PRIMARY KEY NOT NULL,
    stix_id TEXT NOT NULL,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT REFERENCES users (id),
    tlp TEXT NOT NULL,
    value_key TEXT NOT NULL,
    value TEXT NOT NULL,
    pattern TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    confidence INTEGER,
    valid_from TIMESTAMP NOT NULL,
    valid_until TIMESTAMP,
    revoked BOOLEAN NOT NULL,
    incident_id TEXT REFERENCES incidents (id),
    alert_id TEXT REFERENCES alerts (id),
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL,
    added_at TIMESTAMP NOT NULL,
    to_ids BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO indicators_new (id, stix_id, owner_org_id, created_by, tlp, value_key, value, pattern, name, description,
    confidence, valid_from, valid_until, revoked, incident_id, alert_id, version, created_at,
    modified_at, added_at, to_ids)
SELECT id, stix_id, owner_org_id, created_by, tlp, value_key, value, pattern, name, description,
    confidence, valid_from, valid_until, revoked, incident_id, CASE WHEN alert_id IN (SELECT id FROM alerts) THEN alert_id END, version, created_at,
    modified_at, added_at, TRUE
FROM indicators;
CREATE TABLE indicator_observables_new (
    indicator_id TEXT NOT NULL REFERENCES indicators_new (id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (indicator_id, kind, value)
);
INSERT INTO indicator_observables_new SELECT indicator_id, kind, value FROM indicator_observables;
CREATE TABLE indicator_sightings_new (
    id TEXT PRIMARY KEY NOT NULL,
    indicator_id TEXT NOT NULL REFERENCES indicators_new (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    reported_by TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO indicator_sightings_new
    SELECT id, indicator_id, org_id, reported_by, kind, anonymous, note, created_at
    FROM indicator_sightings;
DROP TABLE indicator_sightings;
DROP TABLE indicator_observables;
DROP TABLE indicators;
-- Renaming rewrites the children's references from indicators_new to indicators.
ALTER TABLE indicators_new RENAME TO indicators;
ALTER TABLE indicator_observables_new RENAME TO indicator_observables;
ALTER TABLE indicator_sightings_new RENAME TO indicator_sightings;
CREATE UNIQUE INDEX indicators_value ON indicators (owner_org_id, value_key);
CREATE UNIQUE INDEX indicators_stix ON indicators (stix_id);
CREATE INDEX indicators_added ON indicators (added_at, id);
CREATE INDEX indicator_observables_value ON indicator_observables (value, kind);
CREATE INDEX indicator_sightings_indicator ON indicator_sightings (indicator_id, created_at);
