-- Background work: reminders, periodic checks and email delivery. A job is claimed by setting
-- `locked_until` in a short transaction (on PostgreSQL with FOR UPDATE SKIP LOCKED), so several
-- instances share one queue and a job whose worker died is picked up again once its lock expires.
-- `dedup_key` makes enqueueing idempotent: periodic checks and reminders are keyed by their period.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedup_key TEXT,
    status TEXT NOT NULL,
    run_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    locked_until TIMESTAMP,
    locked_by TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE UNIQUE INDEX jobs_dedup ON jobs (dedup_key);
CREATE INDEX jobs_due ON jobs (status, run_at);
