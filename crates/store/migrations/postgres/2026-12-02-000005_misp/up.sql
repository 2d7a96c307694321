-- MISP in and out (issue 5, item 6). `to_ids` is MISP's "for intrusion detection": false for an
-- attribute imported as context (an observable), true for everything else. And the link to an
-- alert becomes a foreign key: a link to an alert that no longer exists is dropped first.
ALTER TABLE indicators ADD COLUMN to_ids BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE indicators SET alert_id = NULL
    WHERE alert_id IS NOT NULL AND alert_id NOT IN (SELECT id FROM alerts);
ALTER TABLE indicators ADD CONSTRAINT indicators_alert_id_fkey
    FOREIGN KEY (alert_id) REFERENCES alerts (id);
