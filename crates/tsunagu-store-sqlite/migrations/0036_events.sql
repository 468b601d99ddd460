-- Events (seminars, trainings, councils, tours, interview meetings) and their sign-ups. An event
-- is one document (body); its organiser, kind, series, days and capacity sit beside it for the
-- lists, the seats and the counts. A sign-up's status and position are set by the write that
-- adds it, in its transaction: the next position of the event, confirmed while a seat is free.
CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    prefecture   TEXT NOT NULL,
    organiser_id TEXT NOT NULL,
    kind         TEXT NOT NULL,
    series       TEXT,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    capacity     INTEGER NOT NULL,
    body         TEXT NOT NULL,
    written_by   TEXT NOT NULL,
    version      BIGINT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX events_by_end ON events (ends_on, starts_on);
CREATE INDEX events_of_agency ON events (organiser_id, starts_on);

-- A sign-up: personal data when the attendee is a person (person_id set).
CREATE TABLE event_signups (
    id           TEXT PRIMARY KEY,
    prefecture   TEXT NOT NULL,
    event_id     TEXT NOT NULL REFERENCES events (id),
    attendee     TEXT NOT NULL,
    attendee_name TEXT NOT NULL,
    person_id    TEXT REFERENCES persons (id),
    account_id   TEXT,
    agency_id    TEXT,
    signed_up_by TEXT NOT NULL,
    signed_up_at TEXT NOT NULL,
    status       TEXT NOT NULL,
    position     INTEGER NOT NULL,
    promoted_at  TEXT,
    cancelled_at TEXT,
    attended     INTEGER NOT NULL DEFAULT 0,
    version      BIGINT NOT NULL,
    UNIQUE (event_id, position)
);
CREATE UNIQUE INDEX event_signups_one_per_attendee ON event_signups (event_id, attendee) WHERE status <> 'cancelled';
CREATE INDEX event_signups_in_line ON event_signups (event_id, status, position);
CREATE INDEX event_signups_of_person ON event_signups (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX event_signups_of_account ON event_signups (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX event_signups_by_signer ON event_signups (signed_up_by);
