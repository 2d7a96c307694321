-- The housekeeping job deletes expired sessions and finished jobs by these columns; without an
-- index each clean-up would read the whole table.
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX jobs_finished ON jobs (status, finished_at);
