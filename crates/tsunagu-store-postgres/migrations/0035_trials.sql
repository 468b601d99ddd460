-- Trial employment (トライアル雇用): personal data of the person on trial. The plan, the outcome
-- and the grants decided are one document (body); the course, the start, the last day and the
-- number of grant decisions sit beside it for the lists and for program 9-5.
CREATE TABLE trials (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    agency_id   UUID NOT NULL,
    employer_id UUID NOT NULL,
    course      TEXT NOT NULL,
    starts_on   DATE NOT NULL,
    last_day    DATE NOT NULL,
    grants      SMALLINT NOT NULL,
    body        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX trials_of_person ON trials (prefecture, person_id, starts_on);
CREATE INDEX trials_of_agency ON trials (prefecture, agency_id, last_day);
CREATE INDEX trials_granted ON trials (prefecture) WHERE grants > 0;

-- The hours worked in each week of a trial (by its Monday): one per trial and week.
CREATE TABLE trial_weeks (
    trial_id    UUID NOT NULL REFERENCES trials (id),
    week_of     DATE NOT NULL,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL,
    minutes     SMALLINT NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (trial_id, week_of)
);
