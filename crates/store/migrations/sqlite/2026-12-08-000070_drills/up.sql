-- Drills (issue 20): exercises run in irnet (scenario, live-fire) or elsewhere (external, recorded
-- with the published results). The organiser is the coordinator (organiser_cluster_id NULL) or a
-- cluster's lead (its cluster); `organiser_name` names who ran an external drill.
CREATE TABLE drills (
    id TEXT PRIMARY KEY NOT NULL,
    -- scenario, live_fire, external
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    organiser_cluster_id TEXT REFERENCES clusters (id),
    organiser_name TEXT,
    theme TEXT NOT NULL,
    rules TEXT NOT NULL,
    -- the window, in UTC, and the zone it is shown in (minutes east of UTC; the network's is 420)
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    utc_offset_minutes INTEGER NOT NULL,
    -- planned, open, frozen, closed, published
    state TEXT NOT NULL,
    attempts_allowed INTEGER NOT NULL,
    -- when the standings were last frozen: participants read `drill_standings_frozen` while frozen
    frozen_at TIMESTAMP,
    created_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX drills_starts_at ON drills (starts_at);
-- Roles inside one drill, each to a member team (all its people) or to one person.
CREATE TABLE drill_members (
    id TEXT PRIMARY KEY NOT NULL,
    drill_id TEXT NOT NULL REFERENCES drills (id),
    -- participant, observer, judge, organiser
    role TEXT NOT NULL,
    org_id TEXT REFERENCES organisations (id),
    user_id TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK ((org_id IS NULL) <> (user_id IS NULL))
);
CREATE UNIQUE INDEX drill_members_org ON drill_members (drill_id, role, org_id);
CREATE UNIQUE INDEX drill_members_user ON drill_members (drill_id, role, user_id);
CREATE INDEX drill_members_by_org ON drill_members (org_id);
CREATE INDEX drill_members_by_user ON drill_members (user_id);
-- An external drill's published result for one member: "rank out of out_of". `demo` marks a value
-- the demo made up (only the seed's three ranks are real).
CREATE TABLE drill_results (
    drill_id TEXT NOT NULL REFERENCES drills (id),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    rank INTEGER NOT NULL,
    out_of INTEGER NOT NULL,
    demo BOOLEAN NOT NULL,
    PRIMARY KEY (drill_id, org_id)
);
CREATE INDEX drill_results_by_org ON drill_results (org_id);
-- A scenario drill's tasks; `answers` is the JSON array of accepted answers, normalised.
CREATE TABLE drill_injects (
    id TEXT PRIMARY KEY NOT NULL,
    drill_id TEXT NOT NULL REFERENCES drills (id),
    title TEXT NOT NULL,
    task TEXT NOT NULL,
    released_at TIMESTAMP NOT NULL,
    deadline TIMESTAMP NOT NULL,
    points BIGINT NOT NULL,
    answers TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX drill_injects_by_drill ON drill_injects (drill_id, released_at);
-- Every answer a team gave, right or wrong.
CREATE TABLE drill_answers (
    id TEXT PRIMARY KEY NOT NULL,
    drill_id TEXT NOT NULL REFERENCES drills (id),
    inject_id TEXT NOT NULL REFERENCES drill_injects (id),
    team_org_id TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    answer TEXT NOT NULL,
    correct BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX drill_answers_by_team ON drill_answers (drill_id, team_org_id, inject_id);
-- The scoring ledger: every event that changes (or could have changed) a team's score. The
-- standings are its sum, kept in the same transaction as each event.
CREATE TABLE drill_ledger (
    id TEXT PRIMARY KEY NOT NULL,
    drill_id TEXT NOT NULL REFERENCES drills (id),
    team_org_id TEXT NOT NULL REFERENCES organisations (id),
    -- answer_correct, answer_wrong, award, penalty
    event TEXT NOT NULL,
    inject_id TEXT REFERENCES drill_injects (id),
    points BIGINT NOT NULL,
    note TEXT NOT NULL,
    by_user TEXT REFERENCES users (id),
    at TIMESTAMP NOT NULL
);
CREATE INDEX drill_ledger_by_drill ON drill_ledger (drill_id, at);
-- One row per participant team: its score and when it reached it (ties go to the earlier).
CREATE TABLE drill_standings (
    drill_id TEXT NOT NULL REFERENCES drills (id),
    team_org_id TEXT NOT NULL REFERENCES organisations (id),
    score BIGINT NOT NULL,
    last_score_at TIMESTAMP,
    PRIMARY KEY (drill_id, team_org_id)
);
-- The standings as they stood at the freeze, which participants read while the drill is frozen.
CREATE TABLE drill_standings_frozen (
    drill_id TEXT NOT NULL REFERENCES drills (id),
    team_org_id TEXT NOT NULL REFERENCES organisations (id),
    score BIGINT NOT NULL,
    last_score_at TIMESTAMP,
    PRIMARY KEY (drill_id, team_org_id)
);
