-- 就労支援のためのアセスメントシート: personal data of the person. Both sides' answers are one
-- document (body); the day it was begun sits beside it for the order.
CREATE TABLE assessment_sheets (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    agency_id   UUID NOT NULL,
    started_on  DATE NOT NULL,
    body        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX assessment_sheets_of_person ON assessment_sheets (prefecture, person_id, started_on);
