-- Retention follow-ups scheduled at a placement, and each agency's schedule.
CREATE TABLE follow_ups (
    id         TEXT PRIMARY KEY,
    prefecture TEXT NOT NULL,
    person_id  TEXT NOT NULL REFERENCES persons (id),
    agency_id  TEXT NOT NULL REFERENCES agencies (id),
    placed_on  TEXT NOT NULL,
    due_on     TEXT NOT NULL,
    done_on    TEXT,
    done_by    TEXT
);
CREATE INDEX follow_ups_by_person ON follow_ups (person_id, due_on);
CREATE INDEX follow_ups_due ON follow_ups (agency_id, due_on) WHERE done_on IS NULL;

CREATE TABLE agency_settings (
    agency_id      TEXT PRIMARY KEY REFERENCES agencies (id),
    follow_up_days TEXT NOT NULL
);
