-- Retention follow-ups scheduled at a placement, and each agency's schedule.
CREATE TABLE follow_ups (
    id         UUID PRIMARY KEY,
    prefecture TEXT NOT NULL,
    person_id  UUID NOT NULL REFERENCES persons (id),
    agency_id  UUID NOT NULL REFERENCES agencies (id),
    placed_on  DATE NOT NULL,
    due_on     DATE NOT NULL,
    done_on    DATE,
    done_by    UUID
);
CREATE INDEX follow_ups_by_person ON follow_ups (person_id, due_on);
CREATE INDEX follow_ups_due ON follow_ups (agency_id, due_on) WHERE done_on IS NULL;

CREATE TABLE agency_settings (
    agency_id      UUID PRIMARY KEY REFERENCES agencies (id),
    follow_up_days TEXT NOT NULL
);
