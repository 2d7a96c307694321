-- Lookup reads the observables by value and needs only their indicator: with the indicator's id
-- in the index, each probe is answered from the index alone, without a visit to the table.
DROP INDEX indicator_observables_value;
CREATE INDEX indicator_observables_value ON indicator_observables (value, kind, indicator_id);
