-- Submitting a notice shares it at once with its receivers (the coordinator, the department in
-- charge of the member, the cluster lead of the day); each receiver acknowledges for its
-- organisation. One row per receiving organisation: when the notice reached it, who
-- acknowledged it and when.
CREATE TABLE incident_notice_receivers (
    id TEXT PRIMARY KEY NOT NULL,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    -- coordinator, department, cluster_lead
    part TEXT NOT NULL,
    -- the cluster a cluster lead leads (its lead grant lets its people acknowledge)
    cluster_id TEXT,
    reached_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    acknowledged_by TEXT REFERENCES users (id)
);
CREATE UNIQUE INDEX incident_notice_receivers_org ON incident_notice_receivers (incident_id, org_id);
