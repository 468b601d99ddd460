-- Return to work (職場復帰支援, リワーク): personal data of the employee on leave. The three
-- parties, their agreement, the warm-up and the outcome are one document (body); the first
-- consultation and the day it ended (9999-12-31 while it runs) sit beside it for the lists.
CREATE TABLE return_plans (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    agency_id   TEXT NOT NULL,
    employer_id TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    last_day    TEXT NOT NULL,
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX return_plans_of_person ON return_plans (person_id, starts_on);
CREATE INDEX return_plans_of_agency ON return_plans (agency_id, last_day);
