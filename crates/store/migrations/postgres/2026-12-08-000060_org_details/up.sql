-- Mẫu 01 carries the organisation's address, its switchboard phone and e-mail, and its head
-- (name and title), which the directory did not hold: part of the member's private profile.
CREATE TABLE org_details (
    org_id TEXT PRIMARY KEY NOT NULL REFERENCES organisations (id),
    address TEXT,
    phone TEXT,
    email TEXT,
    head_name TEXT,
    head_title TEXT,
    updated_at TIMESTAMP NOT NULL
);
