-- Placements (就職): a person hired by an employer, perhaps through an opening. What was agreed
-- and how it ended are one document written whole; the columns beside it are what the lists
-- and counts select on.
CREATE TABLE placements (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    agency_id   UUID NOT NULL,
    employer_id UUID NOT NULL REFERENCES employers (id),
    opening_id  UUID,
    starts_on   DATE NOT NULL,
    ended_on    DATE,
    body        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX placements_of_person ON placements (prefecture, person_id, starts_on);
CREATE INDEX placements_at_employer ON placements (prefecture, employer_id, starts_on);
