-- The directory's search index: one row per folded word (`irnet_domain::search::words`) of each
-- organisation (every name it had, short names, member code), person (names, emails, phones) and
-- information system (name, domains, URLs). `org_id` is the organisation whose private part the
-- row belongs to (the organisation itself for kind 'org'; the owner, and the operator, of a
-- system), so access is filtered in SQL. Queries match words as prefixes with a range on `token`
-- (`token >= 'bac' AND token < 'bad'`), which a B-tree answers: on PostgreSQL the
-- column is COLLATE "C" so that comparison is by bytes there too.
-- Rows are written in the same transaction as the entity; existing rows are indexed at start-up
-- (`irnet_store::directory::search::backfill`), since SQL cannot fold Vietnamese as Rust does.
CREATE TABLE search_terms (
    token TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (entity_id, token, org_id)
);
-- Everything readable (organisations; the coordinator's people and systems): by word.
CREATE INDEX search_terms_token ON search_terms (kind, token, entity_id, org_id);
-- A member reading its own, or a cluster lead its members': by organisation, then word.
CREATE INDEX search_terms_org ON search_terms (kind, org_id, token, entity_id);
