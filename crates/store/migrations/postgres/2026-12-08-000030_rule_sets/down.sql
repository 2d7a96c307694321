DROP TABLE rule_sets_version;
DROP TABLE rule_sets;
