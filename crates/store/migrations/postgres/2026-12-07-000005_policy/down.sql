-- The audience moved at escalation is not moved back: naming the coordinators is the narrower
-- audience, and restoring the organisation would reopen the incident to all its accounts.
ALTER TABLE sessions DROP COLUMN checked_at;
DROP TABLE incident_member_counters;
