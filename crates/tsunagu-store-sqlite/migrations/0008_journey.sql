-- The person's journey: stage changes (the current stage is kept on the person for lists) and
-- support records.
ALTER TABLE persons ADD COLUMN stage TEXT;

CREATE TABLE stage_changes (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    stage       TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX stage_changes_by_person ON stage_changes (person_id, recorded_at);

CREATE TABLE support_records (
    id             TEXT PRIMARY KEY,
    prefecture     TEXT NOT NULL,
    person_id      TEXT NOT NULL REFERENCES persons (id),
    agency_id      TEXT NOT NULL REFERENCES agencies (id),
    staff_id       TEXT NOT NULL,
    staff_name     TEXT NOT NULL,
    kind           TEXT NOT NULL,
    on_date        TEXT NOT NULL,
    minutes        INTEGER NOT NULL,
    note           TEXT NOT NULL,
    next_action    TEXT,
    next_action_on TEXT,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX support_records_by_person ON support_records (person_id, on_date);
CREATE INDEX support_records_due ON support_records (agency_id, next_action_on) WHERE next_action_on IS NOT NULL;
