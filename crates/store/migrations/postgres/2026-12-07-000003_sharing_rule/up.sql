-- De-duplication matches a value only among the indicators the poster may read, so that a value
-- held by a record hidden from them (a colleague's TLP:RED) becomes a record of its own instead of
-- a new version of the hidden one: one organisation may hold a value more than once.
DROP INDEX indicators_value;
CREATE INDEX indicators_value ON indicators (owner_org_id, value_key);
