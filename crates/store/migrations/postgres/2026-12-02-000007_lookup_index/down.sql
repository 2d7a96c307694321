DROP INDEX indicator_observables_value;
CREATE INDEX indicator_observables_value ON indicator_observables (value, kind);
