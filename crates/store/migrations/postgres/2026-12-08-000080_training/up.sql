-- Training (issue 20): programmes with their invited members and sessions, the hours people of
-- the directory spent in training, and the certificates they hold.
CREATE TABLE training_programmes (
    id TEXT PRIMARY KEY NOT NULL,
    organiser_org_id TEXT NOT NULL REFERENCES organisations (id),
    -- member, cluster_lead, coordinator: the organiser's place on the programme's year
    organiser_kind TEXT NOT NULL,
    -- the cluster a cluster lead organises for
    cluster_id TEXT REFERENCES clusters (id),
    title TEXT NOT NULL,
    topic TEXT NOT NULL,
    audience TEXT NOT NULL,
    year INTEGER NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX training_programmes_organiser ON training_programmes (organiser_org_id);

CREATE TABLE training_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    programme_id TEXT NOT NULL REFERENCES training_programmes (id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organisations (id)
);
CREATE UNIQUE INDEX training_invitations_org ON training_invitations (programme_id, org_id);
CREATE INDEX training_invitations_by_org ON training_invitations (org_id);

CREATE TABLE training_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    programme_id TEXT NOT NULL REFERENCES training_programmes (id) ON DELETE CASCADE,
    held_on DATE NOT NULL,
    place TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    topic TEXT NOT NULL,
    trainer TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX training_sessions_programme ON training_sessions (programme_id, held_on);

-- Hours a person spent in training, one row per source: a session attended, and later a drill
-- taken part in. The person's organisation and the year are kept on the row so that a member's
-- yearly totals are one indexed aggregate.
CREATE TABLE training_hours (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    held_on DATE NOT NULL,
    year INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    -- session, drill
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX training_hours_once ON training_hours (source, source_id, person_id);
CREATE INDEX training_hours_org_year ON training_hours (org_id, year);

CREATE TABLE training_certificates (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    number TEXT NOT NULL,
    issued_on DATE NOT NULL,
    valid_until DATE,
    -- the last valid day its expiry reminder was sent for (a renewal's new day is reminded again)
    reminded_for DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX training_certificates_org ON training_certificates (org_id);
CREATE INDEX training_certificates_expiry ON training_certificates (valid_until);
