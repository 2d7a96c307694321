-- Which shareable record an audit entry describes (kind as in record_shares: incident, alert,
-- indicator, message; org_private for an organisation's private directory part), so that reading
-- the log shows an entry's details only to those who may read that record.
ALTER TABLE audit_log ADD COLUMN record_kind TEXT;
ALTER TABLE audit_log ADD COLUMN record_id TEXT;
-- The actor of an anonymous action (an anonymous sighting) is masked when the log is read.
ALTER TABLE audit_log ADD COLUMN anonymous BOOLEAN NOT NULL DEFAULT FALSE;
-- FALSE while the chain is still the unkeyed SHA-256 chain of before this migration: the next
-- append starts the keyed chain with a marker entry (see docs/ARCHITECTURE.md, "Audit trail").
ALTER TABLE audit_head ADD COLUMN keyed BOOLEAN NOT NULL DEFAULT FALSE;

-- Existing entries name their record as new ones do (app/src/audit.rs, `record_of`). These
-- columns are outside the unkeyed hashes of those entries, which stay verifiable as they were.
UPDATE audit_log SET record_kind = object_type, record_id = object_id
    WHERE object_type IN ('incident', 'alert', 'indicator', 'message') AND object_id IS NOT NULL;
UPDATE audit_log SET record_kind = 'incident',
    record_id = (SELECT incident_id FROM support_requests WHERE support_requests.id = audit_log.object_id)
    WHERE object_type = 'support_request';
UPDATE audit_log SET record_kind = 'incident',
    record_id = (SELECT incident_id FROM incident_instructions WHERE incident_instructions.id = audit_log.object_id)
    WHERE object_type = 'instruction';
UPDATE audit_log SET record_kind = 'org_private', record_id = object_org_id
    WHERE object_org_id IS NOT NULL AND (object_type IN ('person', 'information_system')
        OR action LIKE 'person.%' OR action LIKE 'system.%' OR action LIKE 'focal_point.%');
UPDATE audit_log SET anonymous = TRUE
    WHERE action = 'indicator.sighted' AND summary LIKE '%"anonymous":true%';
