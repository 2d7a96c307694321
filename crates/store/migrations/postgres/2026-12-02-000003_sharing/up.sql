-- Indicators shared across the network (issue 5). One row per (normalised value, source
-- organisation): a second submission of the same value by the same organisation makes a new
-- version of the row (`version`, `modified_at`) rather than a duplicate. The audience beyond the
-- owner lives in `record_shares` under the kind 'indicator', read through `Principal::read_rule`.
CREATE TABLE indicators (
    id TEXT PRIMARY KEY NOT NULL,
    -- `indicator--…`: ours (derived from `id`) or the producer's, kept across versions
    stix_id TEXT NOT NULL,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT REFERENCES users (id),
    tlp TEXT NOT NULL,
    -- a digest of the normalised value, for de-duplication within an organisation
    value_key TEXT NOT NULL,
    -- `IndicatorValue` as JSON: typed observables or a STIX pattern kept as written
    value TEXT NOT NULL,
    pattern TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    confidence INTEGER,
    valid_from TIMESTAMP NOT NULL,
    valid_until TIMESTAMP,
    revoked BOOLEAN NOT NULL,
    incident_id TEXT REFERENCES incidents (id),
    -- alerts are another pillar's table; the link is kept as their id
    alert_id TEXT,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL,
    -- when this version reached irnet: TAXII's `date_added`, which `added_after` filters on
    added_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX indicators_value ON indicators (owner_org_id, value_key);
CREATE UNIQUE INDEX indicators_stix ON indicators (stix_id);
CREATE INDEX indicators_added ON indicators (added_at, id);

-- The typed observables of an indicator, one per row, for set-based lookup.
CREATE TABLE indicator_observables (
    indicator_id TEXT NOT NULL REFERENCES indicators (id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (indicator_id, kind, value)
);
CREATE INDEX indicator_observables_value ON indicator_observables (value, kind);

-- Sightings: an organisation saw the indicator, or found it a false positive. An anonymous one
-- is shown to others without the reporter (person and organisation).
CREATE TABLE indicator_sightings (
    id TEXT PRIMARY KEY NOT NULL,
    indicator_id TEXT NOT NULL REFERENCES indicators (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    reported_by TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX indicator_sightings_indicator ON indicator_sightings (indicator_id, created_at);

-- TAXII 2.1 status resources of object submissions, readable by the person who posted.
CREATE TABLE taxii_statuses (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
