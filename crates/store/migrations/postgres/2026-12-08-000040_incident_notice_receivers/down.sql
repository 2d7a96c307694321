DROP TABLE incident_notice_receivers;
