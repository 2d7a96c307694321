-- Fails while an organisation holds a value twice: those records must be merged first.
DROP INDEX indicators_value;
CREATE UNIQUE INDEX indicators_value ON indicators (owner_org_id, value_key);
