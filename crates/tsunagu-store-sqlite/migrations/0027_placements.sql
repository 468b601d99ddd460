-- Placements (就職): a person hired by an employer, perhaps through an opening. What was agreed
-- and how it ended are one document written whole; the columns beside it are what the lists
-- and counts select on.
CREATE TABLE placements (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    agency_id   TEXT NOT NULL,
    employer_id TEXT NOT NULL REFERENCES employers (id),
    opening_id  TEXT,
    starts_on   TEXT NOT NULL,
    ended_on    TEXT,
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX placements_of_person ON placements (person_id, starts_on);
CREATE INDEX placements_at_employer ON placements (employer_id, starts_on);
