-- A receiver the notice could not reach (nobody there to tell in the app or by mail, or at
-- TLP:RED nobody to name) is recorded all the same, with why, so that the sender sees it and
-- can resend; `reached_at` is then when it was tried. Cleared when a resend reaches it.
ALTER TABLE incident_notice_receivers ADD COLUMN not_reached TEXT;
