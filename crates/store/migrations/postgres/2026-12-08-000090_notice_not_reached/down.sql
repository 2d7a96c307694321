ALTER TABLE incident_notice_receivers DROP COLUMN not_reached;
