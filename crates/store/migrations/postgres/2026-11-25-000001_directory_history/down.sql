DROP TABLE cluster_leads;
ALTER TABLE clusters DROP COLUMN founding_issuer;
ALTER TABLE clusters DROP COLUMN founding_date;
ALTER TABLE clusters DROP COLUMN founding_decision;
DROP TABLE org_successions;
DROP TABLE org_names;
ALTER TABLE organisations DROP COLUMN member_code;
