-- Information systems of members (Decree 85/2016): what incidents hit and live-fire drills target.
-- Lists (information classes, URLs, domains, IP ranges) are JSON arrays of text.
CREATE TABLE information_systems (
    id TEXT PRIMARY KEY NOT NULL,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id),
    operator_org_id TEXT REFERENCES organisations (id),
    name TEXT NOT NULL,
    purpose TEXT,
    information_classes TEXT NOT NULL,
    proposed_level INTEGER,
    approved_level INTEGER,
    approver TEXT,
    approval_decision TEXT,
    approval_date DATE,
    public_urls TEXT NOT NULL,
    domains TEXT NOT NULL,
    ip_ranges TEXT NOT NULL,
    internet_facing BOOLEAN NOT NULL,
    critical BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX information_systems_owner ON information_systems (owner_org_id);
CREATE INDEX information_systems_operator ON information_systems (operator_org_id);
