-- Persons (本人), their cases at agencies, and links between records that may be one person.
CREATE TABLE persons (
    id              UUID PRIMARY KEY,
    prefecture      TEXT NOT NULL,
    name            TEXT NOT NULL,
    name_kana       TEXT NOT NULL COLLATE "C",
    birth_date      DATE NOT NULL,
    phone           TEXT,
    email           TEXT,
    address         TEXT,
    categories      TEXT NOT NULL,
    certificates    TEXT NOT NULL,
    accommodations  TEXT,
    health_notes    TEXT,
    preferred_hours INTEGER,
    preferred_area  TEXT,
    duplicate_key   TEXT NOT NULL,
    registered_by   UUID NOT NULL REFERENCES agencies (id),
    version         BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX persons_by_duplicate_key ON persons (duplicate_key);

CREATE TABLE cases (
    id         UUID PRIMARY KEY,
    prefecture TEXT NOT NULL,
    person_id  UUID NOT NULL REFERENCES persons (id),
    agency_id  UUID NOT NULL REFERENCES agencies (id),
    opened_on  DATE NOT NULL,
    closed_on  DATE,
    opened_by  UUID NOT NULL
);
CREATE INDEX cases_by_person ON cases (person_id);
CREATE INDEX cases_by_agency ON cases (agency_id, closed_on);

CREATE TABLE person_links (
    person_id UUID NOT NULL REFERENCES persons (id),
    other_id  UUID NOT NULL REFERENCES persons (id),
    PRIMARY KEY (person_id, other_id)
);

ALTER TABLE accounts ADD COLUMN person_id UUID REFERENCES persons (id);
ALTER TABLE accounts ADD COLUMN employer_id UUID REFERENCES employers (id);
