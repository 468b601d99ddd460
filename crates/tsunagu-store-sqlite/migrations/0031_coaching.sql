-- Job coaching. Coaches are an agency's staff, not persons it supports: their name, kind, the
-- days they coach and the account they sign in with.
CREATE TABLE coaches (
    id           TEXT PRIMARY KEY,
    agency_id    TEXT NOT NULL,
    account_id   TEXT,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    active_from  TEXT NOT NULL,
    active_until TEXT,
    version      BIGINT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX coaches_of_agency ON coaches (agency_id, name);

-- Dispatches (支援計画): personal data of the person coached. The plan is one document (body);
-- the coaches (ids, comma-separated), the start and the last day a coach may work on it sit
-- beside it for the lists.
CREATE TABLE dispatches (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    agency_id   TEXT NOT NULL,
    employer_id TEXT NOT NULL,
    coaches     TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    last_day    TEXT NOT NULL,
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX dispatches_of_person ON dispatches (person_id, starts_on);
CREATE INDEX dispatches_of_agency ON dispatches (agency_id, last_day);

-- The days a coach worked on a dispatch (稼働日): one per coach, dispatch and day.
CREATE TABLE coach_days (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    dispatch_id TEXT NOT NULL REFERENCES dispatches (id),
    person_id   TEXT NOT NULL,
    coach_id    TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    minutes     INTEGER NOT NULL,
    activities  TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (dispatch_id, coach_id, on_date)
);
CREATE INDEX coach_days_of_coach ON coach_days (coach_id, on_date);
CREATE INDEX coach_days_of_dispatch ON coach_days (dispatch_id, on_date);
