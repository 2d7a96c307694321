-- The deadline sweep's own mark per incident: the earliest open deadline whose reminders have
-- not been sent yet (no row: none pending). The sweep reads only the marks that have passed and
-- moves each past the deadlines it reminded, so its work is what fell due since the last sweep,
-- not every overdue incident of the network again. Any save of the incident sets the mark back
-- to its earliest open deadline; the reminders' de-duplication keys keep a second pass from
-- mailing anyone twice. Existing open incidents start from their earliest open deadline.
CREATE TABLE incident_reminders (
    incident_id TEXT PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
    remind_at TIMESTAMP NOT NULL
);
CREATE INDEX incident_reminders_at ON incident_reminders (remind_at);
INSERT INTO incident_reminders (incident_id, remind_at)
    SELECT id, next_due_at FROM incidents WHERE next_due_at IS NOT NULL AND status <> 'closed';
