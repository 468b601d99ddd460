-- Internship and tour slots (職場体験実習, 現場実習, 企業見学): an employer's days and how many
-- persons they take; not personal data. What the slot offers is one document; the columns beside
-- it are what lists and checks select on.
CREATE TABLE slots (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    employer_id TEXT NOT NULL REFERENCES employers (id),
    agency_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    capacity    INTEGER NOT NULL,
    body        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX slots_of_employer ON slots (employer_id, starts_on);

-- The persons placed into slots: personal data. `outcome` is the outcome's code (none until it
-- is recorded); `body` the outcome whole.
CREATE TABLE bookings (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    slot_id     TEXT NOT NULL REFERENCES slots (id),
    person_id   TEXT NOT NULL REFERENCES persons (id),
    agency_id   TEXT NOT NULL,
    consent_id  TEXT NOT NULL,
    booked_by   TEXT NOT NULL,
    booked_at   TEXT NOT NULL,
    outcome     TEXT,
    body        TEXT NOT NULL,
    version     BIGINT NOT NULL
);
CREATE INDEX bookings_of_slot ON bookings (slot_id, booked_at);
CREATE INDEX bookings_of_person ON bookings (person_id);
CREATE INDEX bookings_with_outcome ON bookings (outcome) WHERE outcome IS NOT NULL;
