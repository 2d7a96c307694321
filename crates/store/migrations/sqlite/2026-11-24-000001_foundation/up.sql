-- Foundation: organisations (minimal; the directory extends them), clusters, accounts, roles,
-- sessions, API tokens, sign-in throttling, record audiences and the hash-chained audit log.
-- Instants are UTC. Ids are UUIDv7 text. The PostgreSQL migration of the same name mirrors this one.
CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT,
    short_name TEXT,
    kind TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organisations_name_folded ON organisations (name_folded);

CREATE TABLE clusters (
    id TEXT PRIMARY KEY NOT NULL,
    number INTEGER NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX clusters_number ON clusters (number);

CREATE TABLE cluster_memberships (
    id TEXT PRIMARY KEY NOT NULL,
    cluster_id TEXT NOT NULL REFERENCES clusters (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    valid_from DATE NOT NULL,
    valid_to DATE,
    reason TEXT NOT NULL
);
CREATE INDEX cluster_memberships_org ON cluster_memberships (org_id);
CREATE INDEX cluster_memberships_cluster ON cluster_memberships (cluster_id);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    locale TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    mfa_secret TEXT,
    mfa_pending_secret TEXT,
    mfa_enabled_at TIMESTAMP,
    mfa_last_step BIGINT,
    password_changed_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE recovery_codes (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE role_grants (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    -- '' for the network scope, so that the unique index also covers it on both databases
    scope_id TEXT NOT NULL,
    granted_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (user_id, role, scope_kind, scope_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    client_addr TEXT,
    user_agent TEXT
);
CREATE UNIQUE INDEX sessions_token_hash ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    prefix TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE UNIQUE INDEX api_tokens_token_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed sign-ins per folded email, known or not, so that a lockout holds across instances and
-- does not reveal which accounts exist.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

-- The audience of a shareable record beyond its owner: organisations and named people.
CREATE TABLE record_shares (
    id TEXT PRIMARY KEY NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    org_id TEXT REFERENCES organisations (id),
    user_id TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX record_shares_record ON record_shares (record_kind, record_id);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    id TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_id TEXT,
    actor TEXT NOT NULL,
    actor_org_id TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    object_org_id TEXT,
    summary TEXT NOT NULL,
    request_id TEXT,
    client_addr TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE UNIQUE INDEX audit_log_id ON audit_log (id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_object_org ON audit_log (object_org_id);

-- The newest entry of the chain, written in the same transaction as each entry, so that deleting
-- the tail of the log is detected too.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL,
    last_id TEXT NOT NULL,
    hash TEXT NOT NULL
);
