DROP TABLE server_keys;
DROP TABLE alert_ack_tokens;
DROP TABLE alert_recipients;
DROP TABLE alerts;
