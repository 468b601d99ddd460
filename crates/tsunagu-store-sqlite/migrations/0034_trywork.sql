-- Participations in the トライワークプロジェクト (program 9-4): personal data of the participant.
-- What was recorded is one document (body); the course, the start and the last day sit beside
-- it for the counts.
CREATE TABLE trywork_participations (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    agency_id   TEXT NOT NULL,
    course      TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    last_day    TEXT NOT NULL,
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX trywork_participations_of_person ON trywork_participations (person_id, starts_on);
