-- Trial employment (トライアル雇用): personal data of the person on trial. The plan, the outcome
-- and the grants decided are one document (body); the course, the start, the last day and the
-- number of grant decisions sit beside it for the lists and for program 9-5.
CREATE TABLE trials (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    agency_id   TEXT NOT NULL,
    employer_id TEXT NOT NULL,
    course      TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    last_day    TEXT NOT NULL,
    grants      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX trials_of_person ON trials (person_id, starts_on);
CREATE INDEX trials_of_agency ON trials (agency_id, last_day);
CREATE INDEX trials_granted ON trials (grants) WHERE grants > 0;

-- The hours worked in each week of a trial (by its Monday): one per trial and week.
CREATE TABLE trial_weeks (
    trial_id    TEXT NOT NULL REFERENCES trials (id),
    week_of     TEXT NOT NULL,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL,
    minutes     INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (trial_id, week_of)
);
