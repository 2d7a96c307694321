-- The rest of the member profile (Mẫu 01): staff counts by field (it, security, other), by degree
-- (doctorate, master, bachelor, college, other) and by certificate (free text such as CISSP), the
-- member's experts (people of the directory), and when the profile was last confirmed (members
-- update it yearly).
CREATE TABLE staff_counts (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    category TEXT NOT NULL,
    name TEXT NOT NULL,
    head_count INTEGER NOT NULL
);
CREATE UNIQUE INDEX staff_counts_line ON staff_counts (org_id, category, name);

CREATE TABLE experts (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    expertise TEXT NOT NULL,
    certificates TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX experts_person ON experts (org_id, person_id);

CREATE TABLE member_profiles (
    org_id TEXT PRIMARY KEY NOT NULL REFERENCES organisations (id),
    updated_at TIMESTAMP NOT NULL,
    confirmed_on DATE
);
