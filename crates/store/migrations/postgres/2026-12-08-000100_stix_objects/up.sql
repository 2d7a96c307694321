-- Every STIX 2.1 object of an import as its producer made it (issue 17): one row per version,
-- the object's JSON unchanged in `body`. `version_key` is the version's `modified` written with
-- nine fraction digits (so that text order is time order and `.1Z` equals `.100Z`), empty for
-- objects without `modified` (cyber observables, marking definitions), which have one version.
-- The owner is the organisation that first stored the version, its audience (importers of the
-- same version) is in `record_shares` under `stix_object` and the version's id, and `tlp` comes
-- from its `object_marking_refs`: every read is the one read rule, per version. `latest` and
-- `earliest` mark the newest and oldest version of a STIX id, so TAXII's `match[version]` is a
-- column test. `added_at` keeps microseconds; TAXII compares `added_after` at that precision.
CREATE TABLE stix_objects (
    id TEXT PRIMARY KEY NOT NULL,
    stix_id TEXT NOT NULL,
    object_type TEXT NOT NULL,
    version_key TEXT NOT NULL,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by_ref TEXT,
    tlp TEXT NOT NULL,
    body TEXT NOT NULL,
    latest BOOLEAN NOT NULL,
    earliest BOOLEAN NOT NULL,
    added_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX stix_objects_version ON stix_objects (stix_id, version_key);
CREATE INDEX stix_objects_added ON stix_objects (added_at, id);
