-- A list of incidents reads each part of the reader's read rule in id order and merges them
-- (store::incidents::list): the member's own incidents by owner and id, those shared with its
-- organisation or with the reader by share and record id, so that a page reads about a page of
-- rows instead of testing every incident against the whole rule.
CREATE INDEX incidents_owner_id ON incidents (owner_org_id, id);
-- A member's counts by status from the index alone (tlp and author are in the read filter).
CREATE INDEX incidents_owner_status ON incidents (owner_org_id, status, tlp, created_by);
DROP INDEX record_shares_org;
DROP INDEX record_shares_user;
CREATE INDEX record_shares_org ON record_shares (record_kind, org_id, record_id);
CREATE INDEX record_shares_user ON record_shares (record_kind, user_id, record_id);
