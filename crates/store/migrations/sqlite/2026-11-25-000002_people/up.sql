-- People of member organisations (an account is optional) and each member's main and backup 24/7
-- focal points. Phones and emails are JSON arrays of text. Changes are in the audit trail, which
-- shows when each was recorded (members must update focal points within 24 hours of a change).
CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    family_name TEXT NOT NULL,
    middle_name TEXT,
    given_name TEXT NOT NULL,
    title TEXT,
    phones TEXT NOT NULL,
    emails TEXT NOT NULL,
    user_id TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX people_org ON people (org_id);

CREATE TABLE focal_points (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    since TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX focal_points_org_kind ON focal_points (org_id, kind);
