-- 就労支援のためのアセスメントシート: personal data of the person. Both sides' answers are one
-- document (body); the day it was begun sits beside it for the order.
CREATE TABLE assessment_sheets (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    agency_id   TEXT NOT NULL,
    started_on  TEXT NOT NULL,
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX assessment_sheets_of_person ON assessment_sheets (person_id, started_on);
