DROP INDEX record_shares_user;
DROP INDEX record_shares_org;
CREATE INDEX record_shares_org ON record_shares (record_kind, org_id);
CREATE INDEX record_shares_user ON record_shares (record_kind, user_id);
DROP INDEX incidents_owner_status;
DROP INDEX incidents_owner_id;
