-- The network's rules as versioned data: each set is in force from its effective date until the
-- next one's. `body` is the rule set as JSON, validated by the domain type before it is stored.
CREATE TABLE rule_sets (
    id TEXT PRIMARY KEY NOT NULL,
    effective_from DATE NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- One set per day; the sets are read in date order.
CREATE UNIQUE INDEX rule_sets_effective_from ON rule_sets (effective_from);
-- One row: raised by every change of a rule set, so that each instance sharing the database
-- knows when to reload the sets it keeps in memory.
CREATE TABLE rule_sets_version (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO rule_sets_version (id, version) VALUES (1, 0);
