DROP TABLE drill_standings_frozen;
DROP TABLE drill_standings;
DROP TABLE drill_ledger;
DROP TABLE drill_answers;
DROP TABLE drill_injects;
DROP TABLE drill_results;
DROP TABLE drill_members;
DROP TABLE drills;
