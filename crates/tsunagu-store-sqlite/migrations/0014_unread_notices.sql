-- The notices an agency has not seen yet, counted with every signed-in request (the menu shows
-- the number).
CREATE INDEX notices_unread ON notices (agency_id) WHERE read_at IS NULL;
