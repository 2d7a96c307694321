DROP TABLE channel_reads;
DROP TABLE channel_messages;

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
INSERT INTO incident_attachments (id, incident_id, filename, content_type, size, sha256, content, org_id, created_by, created_at)
SELECT id, record_id, filename, content_type, size, sha256, content, org_id, created_by, created_at
FROM attachments WHERE record_kind = 'incident';
DROP TABLE attachments;
