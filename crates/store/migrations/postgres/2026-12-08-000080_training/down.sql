DROP TABLE training_certificates;
DROP TABLE training_hours;
DROP TABLE training_sessions;
DROP TABLE training_invitations;
DROP TABLE training_programmes;
