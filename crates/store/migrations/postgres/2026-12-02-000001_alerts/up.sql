-- Alerts from the coordinator or a cluster lead to members. `audience` is what the sender chose
-- (JSON: network, clusters, kinds or named members); the organisations it reached on the send day
-- are `alert_recipients`, one row each, and `record_shares` (kind "alert") opens the alert to them.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY NOT NULL,
    sender_org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    tlp TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    severity TEXT NOT NULL,
    -- JSON arrays of text
    products TEXT NOT NULL,
    cves TEXT NOT NULL,
    actions TEXT NOT NULL,
    action_deadline TIMESTAMP,
    audience TEXT NOT NULL,
    sent_at TIMESTAMP,
    sent_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX alerts_sender ON alerts (sender_org_id, id);
CREATE INDEX alerts_status ON alerts (status, id);

-- One row per recipient organisation, named as it was on the send day. The acknowledgement and
-- the action report name who answered: an account, or a focal point through a mailed link.
-- `chase_step` is the last reminder or escalation step taken (0: none).
CREATE TABLE alert_recipients (
    id TEXT PRIMARY KEY NOT NULL,
    alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    org_name_vi TEXT NOT NULL,
    org_name_en TEXT,
    acknowledged_at TIMESTAMP,
    acknowledged_by_user TEXT REFERENCES users (id),
    acknowledged_by_person TEXT,
    acknowledged_by_name TEXT,
    action_status TEXT,
    action_note TEXT,
    reported_at TIMESTAMP,
    reported_by_user TEXT REFERENCES users (id),
    chase_step INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX alert_recipients_alert_org ON alert_recipients (alert_id, org_id);
CREATE INDEX alert_recipients_chase ON alert_recipients (acknowledged_at, chase_step);

-- The one-click acknowledgement links mailed to focal points. The link carries a signed token
-- naming this row; the row makes it single use (`used_at`) and remembers whom it names.
CREATE TABLE alert_ack_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES alert_recipients (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    person_name TEXT NOT NULL,
    email TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX alert_ack_tokens_recipient ON alert_ack_tokens (recipient_id);

-- Keys the server signs with (HMAC), made on first use and shared by every instance.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY NOT NULL,
    secret TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
