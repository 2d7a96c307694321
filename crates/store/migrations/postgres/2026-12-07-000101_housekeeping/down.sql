DROP INDEX jobs_finished;
DROP INDEX sessions_expires;
