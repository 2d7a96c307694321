DROP TABLE org_capabilities;
DROP TABLE response_team_members;
DROP TABLE response_teams;
