DROP TABLE incident_reminders;
