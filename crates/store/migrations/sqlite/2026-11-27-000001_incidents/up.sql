-- Incidents: a member's notice, completed into the initial report (Mẫu 03), handled through a
-- status workflow with tasks, observables, attachments and reports, escalated to the coordinator
-- and helped by supporters. The audience beyond the owner lives in `record_shares` under the
-- kind 'incident' (the coordinator once reported, accepted supporters, explicit shares).
CREATE TABLE incidents (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    tlp TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT,
    type_key TEXT,
    severity TEXT,
    detected_at TIMESTAMP NOT NULL,
    system_id TEXT REFERENCES information_systems (id),
    system_level INTEGER,
    effects TEXT NOT NULL,
    exceeds_capacity BOOLEAN NOT NULL,
    serious_proposed BOOLEAN NOT NULL,
    serious_confirmed BOOLEAN,
    data_loss TEXT NOT NULL,
    data_loss_detail TEXT,
    damage_estimate TEXT,
    helped_by_foreign BOOLEAN NOT NULL,
    report TEXT NOT NULL,
    submitted_at TIMESTAMP,
    escalated_at TIMESTAMP,
    acknowledged_at TIMESTAMP,
    initial_report_at TIMESTAMP,
    response_ended_at TIMESTAMP,
    closing_report_at TIMESTAMP,
    closed_at TIMESTAMP,
    next_due_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX incidents_number ON incidents (number);
CREATE INDEX incidents_owner ON incidents (owner_org_id, created_at);
CREATE INDEX incidents_due ON incidents (next_due_at);
CREATE INDEX incidents_detected ON incidents (detected_at);
CREATE INDEX record_shares_org ON record_shares (record_kind, org_id);
CREATE INDEX record_shares_user ON record_shares (record_kind, user_id);

-- Submitted incidents are numbered per year of submission: "2024-000001".
CREATE TABLE incident_counters (
    year INTEGER PRIMARY KEY NOT NULL,
    last INTEGER NOT NULL
);

-- The timeline: every status change, comment, report, share and deadline event, in order.
CREATE TABLE incident_events (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    at TIMESTAMP NOT NULL,
    actor_id TEXT REFERENCES users (id),
    actor_org_id TEXT REFERENCES organisations (id),
    kind TEXT NOT NULL,
    body TEXT,
    data TEXT NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, at);

CREATE TABLE incident_tasks (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    step INTEGER,
    title TEXT NOT NULL,
    assignee_id TEXT REFERENCES users (id),
    due_on DATE,
    done_at TIMESTAMP,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX incident_tasks_incident ON incident_tasks (incident_id);

CREATE TABLE incident_observables (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    is_indicator BOOLEAN NOT NULL,
    note TEXT,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX incident_observables_value ON incident_observables (incident_id, kind, value);
CREATE INDEX incident_observables_lookup ON incident_observables (kind, value);

-- Versioned documents: a new version of a kind supersedes the previous one, which stays.
CREATE TABLE incident_reports (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    number TEXT,
    body TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX incident_reports_version ON incident_reports (incident_id, kind, version);

CREATE TABLE incident_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX incident_attachments_incident ON incident_attachments (incident_id);

CREATE TABLE support_requests (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    requester_org_id TEXT NOT NULL REFERENCES organisations (id),
    skills TEXT NOT NULL,
    effort TEXT,
    deadline DATE,
    message TEXT NOT NULL,
    to_coordinator BOOLEAN NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX support_requests_incident ON support_requests (incident_id);

-- One row per organisation asked: its answer, and whether the requester accepted it.
CREATE TABLE support_recipients (
    request_id TEXT NOT NULL REFERENCES support_requests (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    response TEXT NOT NULL,
    note TEXT,
    responded_by TEXT REFERENCES users (id),
    responded_at TIMESTAMP,
    accepted_at TIMESTAMP,
    revoked_at TIMESTAMP,
    PRIMARY KEY (request_id, org_id)
);
CREATE INDEX support_recipients_org ON support_recipients (org_id);

-- Coordination instructions of the coordinator to named members, each acknowledged and answered.
CREATE TABLE incident_instructions (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    body TEXT NOT NULL,
    due_at TIMESTAMP,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX incident_instructions_incident ON incident_instructions (incident_id);

CREATE TABLE instruction_targets (
    instruction_id TEXT NOT NULL REFERENCES incident_instructions (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    acknowledged_at TIMESTAMP,
    acknowledged_by TEXT REFERENCES users (id),
    report TEXT,
    reported_at TIMESTAMP,
    PRIMARY KEY (instruction_id, org_id)
);
