-- Job coaching. Coaches are an agency's staff, not persons it supports: their name, kind, the
-- days they coach and the account they sign in with.
CREATE TABLE coaches (
    id           UUID PRIMARY KEY,
    agency_id    UUID NOT NULL,
    account_id   UUID,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    active_from  DATE NOT NULL,
    active_until DATE,
    version      BIGINT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX coaches_of_agency ON coaches (agency_id, name);

-- Dispatches (支援計画): personal data of the person coached. The plan is one document (body);
-- the coaches (ids, comma-separated), the start and the last day a coach may work on it sit
-- beside it for the lists.
CREATE TABLE dispatches (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    agency_id   UUID NOT NULL,
    employer_id UUID NOT NULL,
    coaches     TEXT NOT NULL,
    starts_on   DATE NOT NULL,
    last_day    DATE NOT NULL,
    body        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX dispatches_of_person ON dispatches (prefecture, person_id, starts_on);
CREATE INDEX dispatches_of_agency ON dispatches (prefecture, agency_id, last_day);

-- The days a coach worked on a dispatch (稼働日): one per coach, dispatch and day.
CREATE TABLE coach_days (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    dispatch_id UUID NOT NULL REFERENCES dispatches (id),
    person_id   UUID NOT NULL,
    coach_id    UUID NOT NULL,
    on_date     DATE NOT NULL,
    minutes     SMALLINT NOT NULL,
    activities  TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (dispatch_id, coach_id, on_date)
);
CREATE INDEX coach_days_of_coach ON coach_days (prefecture, coach_id, on_date);
CREATE INDEX coach_days_of_dispatch ON coach_days (prefecture, dispatch_id, on_date);
