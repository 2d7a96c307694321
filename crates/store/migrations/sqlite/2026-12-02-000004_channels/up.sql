-- One attachments facility for every record that carries files: incident evidence (moved here
-- from incident_attachments), channel messages and alerts. The bytes are in the database with
-- their SHA-256 and a type sniffed from the content; `record_kind` and `record_id` name the
-- record, whose own read rule decides who may download.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_record ON attachments (record_kind, record_id);

INSERT INTO attachments (id, record_kind, record_id, filename, content_type, size, sha256, content, org_id, created_by, created_at)
SELECT id, 'incident', incident_id, filename, content_type, size, sha256, content, org_id, created_by, created_at
FROM incident_attachments;
DROP TABLE incident_attachments;

-- Messages of the discussion channels. `channel` is 'network' or a cluster id (channels are
-- derived from clusters, so there is no channel table). The poster's organisation is the owner
-- (`owner_org_id`, for AMBER+STRICT); organisations and people named on the message are in
-- record_shares under the kind 'message'. `indicator_ids` and `mentions` are JSON arrays.
CREATE TABLE channel_messages (
    id TEXT PRIMARY KEY NOT NULL,
    channel TEXT NOT NULL,
    owner_org_id TEXT NOT NULL REFERENCES organisations (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    tlp TEXT NOT NULL,
    body TEXT NOT NULL,
    indicator_ids TEXT NOT NULL,
    mentions TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX channel_messages_channel ON channel_messages (channel, id);

-- Read markers: the newest message a person has read in a channel.
CREATE TABLE channel_reads (
    user_id TEXT NOT NULL REFERENCES users (id),
    channel TEXT NOT NULL,
    message_id TEXT NOT NULL,
    read_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, channel)
);
