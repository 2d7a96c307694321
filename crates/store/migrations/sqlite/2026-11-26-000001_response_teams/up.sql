-- Each member's incident response team (Mẫu 01): established by a decision (number as text, e.g.
-- 125/QĐ-SKHCN), its members (people of the directory) with their role, and the member's
-- capabilities and skills, which support requests will match on. Skill codes come from the
-- taxonomy in `domain::profile`; levels are basic, intermediate or advanced.
CREATE TABLE response_teams (
    org_id TEXT PRIMARY KEY NOT NULL REFERENCES organisations (id),
    decision_number TEXT,
    decision_date DATE,
    decision_issuer TEXT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE response_team_members (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE UNIQUE INDEX response_team_members_person ON response_team_members (org_id, person_id);

CREATE TABLE org_capabilities (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    skill TEXT NOT NULL,
    level TEXT NOT NULL,
    note TEXT
);
CREATE UNIQUE INDEX org_capabilities_skill ON org_capabilities (org_id, skill);
CREATE INDEX org_capabilities_by_skill ON org_capabilities (skill, level);
