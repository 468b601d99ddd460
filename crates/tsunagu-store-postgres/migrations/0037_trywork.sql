-- Participations in the トライワークプロジェクト (program 9-4): personal data of the participant.
-- What was recorded is one document (body); the course, the start and the last day sit beside
-- it for the counts.
CREATE TABLE trywork_participations (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    agency_id   UUID NOT NULL,
    course      TEXT NOT NULL,
    starts_on   DATE NOT NULL,
    last_day    DATE NOT NULL,
    body        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX trywork_participations_of_person ON trywork_participations (prefecture, person_id, starts_on);
