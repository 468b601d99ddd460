-- A follow-up keeps what was noted when it was done, and is closed undone when the placement it
-- follows ends (the person separated, moved to a welfare service, or the journey closed).
ALTER TABLE follow_ups ADD COLUMN note TEXT;
ALTER TABLE follow_ups ADD COLUMN closed_on DATE;
-- The due list reads open follow-ups (neither done nor closed) from this index alone.
DROP INDEX follow_ups_due;
CREATE INDEX follow_ups_due ON follow_ups (agency_id, due_on)
    INCLUDE (id, prefecture, person_id, placed_on, person_name) WHERE done_on IS NULL AND closed_on IS NULL;
