-- Incidents are numbered per member and year ("LS-2026-0003", the member's code first): a
-- network-wide counter told every member how many incidents the others filed between its own.
-- Numbers already given stay as they are (a filed form keeps the number it was filed with);
-- `incident_counters` keeps the last network-wide number of each year for the record.
-- One row per (member, year), bumped in the submitting transaction (an upsert, so two
-- instances never give the same number).
CREATE TABLE incident_member_counters (
    org_id TEXT NOT NULL REFERENCES organisations (id),
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- Escalation used to put the coordinator's whole organisation in the incident's audience (its
-- administrators and everyone else working there). It now names the people holding the
-- coordinator role: incidents escalated before this change are moved over, except where the
-- coordinator's organisation is in the audience as an accepted supporter.
INSERT INTO record_shares (id, record_kind, record_id, org_id, user_id, created_at)
SELECT 'escalated-' || i.id || '-' || g.user_id, 'incident', i.id, NULL, g.user_id, i.escalated_at
FROM incidents i
JOIN role_grants g ON g.role = 'coordinator' AND g.scope_kind = 'network'
WHERE i.escalated_at IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM record_shares x
    WHERE x.record_kind = 'incident' AND x.record_id = i.id AND x.user_id = g.user_id
  );

DELETE FROM record_shares
WHERE record_kind = 'incident'
  AND org_id IN (SELECT id FROM organisations WHERE kind = 'national_coordinator')
  AND record_id IN (SELECT id FROM incidents WHERE escalated_at IS NOT NULL)
  AND NOT EXISTS (
    SELECT 1 FROM support_requests r
    JOIN support_recipients s ON s.request_id = r.id
    WHERE r.incident_id = record_shares.record_id
      AND s.org_id = record_shares.org_id
      AND s.accepted_at IS NOT NULL
      AND s.revoked_at IS NULL
  );

-- When the session's person last proved who they are (password or second factor). Managing
-- credentials (second factor, recovery codes, API tokens) needs a check within minutes, so that
-- an unattended browser or a stolen cookie cannot mint a lasting credential. NULL: the check
-- made when the session was created.
ALTER TABLE sessions ADD COLUMN checked_at TIMESTAMP;

-- A TLP:RED alert is read by named people only, and a draft named nobody, so its own author got
-- "not found". The author is now named when the draft is made; drafts made before are given
-- their author here.
INSERT INTO record_shares (id, record_kind, record_id, org_id, user_id, created_at)
SELECT 'alert-author-' || a.id, 'alert', a.id, NULL, a.created_by, a.created_at
FROM alerts a
WHERE NOT EXISTS (
    SELECT 1 FROM record_shares x
    WHERE x.record_kind = 'alert' AND x.record_id = a.id AND x.user_id = a.created_by
  );
