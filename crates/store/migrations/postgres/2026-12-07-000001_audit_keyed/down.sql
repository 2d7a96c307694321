ALTER TABLE audit_head DROP COLUMN keyed;
ALTER TABLE audit_log DROP COLUMN anonymous;
ALTER TABLE audit_log DROP COLUMN record_id;
ALTER TABLE audit_log DROP COLUMN record_kind;
