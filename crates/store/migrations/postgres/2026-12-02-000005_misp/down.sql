ALTER TABLE indicators DROP CONSTRAINT indicators_alert_id_fkey;
ALTER TABLE indicators DROP COLUMN to_ids;
