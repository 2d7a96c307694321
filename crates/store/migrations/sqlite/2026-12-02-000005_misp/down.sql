-- Back to the table without `to_ids` and without the alert foreign key (see up.sql for why the
-- children are rebuilt too).
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
    alert_id TEXT,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL,
    added_at TIMESTAMP NOT NULL
);
INSERT INTO indicators_new (id, stix_id, owner_org_id, created_by, tlp, value_key, value, pattern, name, description,
    confidence, valid_from, valid_until, revoked, incident_id, alert_id, version, created_at,
    modified_at, added_at)
SELECT id, stix_id, owner_org_id, created_by, tlp, value_key, value, pattern, name, description,
    confidence, valid_from, valid_until, revoked, incident_id, alert_id, version, created_at,
    modified_at, added_at
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
