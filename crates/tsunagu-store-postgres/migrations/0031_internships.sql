-- Internship and tour slots (職場体験実習, 現場実習, 企業見学): an employer's days and how many
-- persons they take; not personal data. What the slot offers is one document; the columns beside
-- it are what lists and checks select on.
CREATE TABLE slots (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    employer_id UUID NOT NULL REFERENCES employers (id),
    agency_id   UUID NOT NULL,
    kind        TEXT NOT NULL,
    starts_on   DATE NOT NULL,
    ends_on     DATE NOT NULL,
    capacity    SMALLINT NOT NULL,
    body        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX slots_of_employer ON slots (prefecture, employer_id, starts_on);

-- The persons placed into slots: personal data. `outcome` is the outcome's code (none until it
-- is recorded); `body` the outcome whole.
CREATE TABLE bookings (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    slot_id     UUID NOT NULL REFERENCES slots (id),
    person_id   UUID NOT NULL REFERENCES persons (id),
    agency_id   UUID NOT NULL,
    consent_id  UUID NOT NULL,
    booked_by   UUID NOT NULL,
    booked_at   TIMESTAMPTZ NOT NULL,
    outcome     TEXT,
    body        TEXT NOT NULL,
    version     BIGINT NOT NULL
);
CREATE INDEX bookings_of_slot ON bookings (prefecture, slot_id, booked_at);
CREATE INDEX bookings_of_person ON bookings (prefecture, person_id);
CREATE INDEX bookings_with_outcome ON bookings (prefecture, outcome) WHERE outcome IS NOT NULL;
