-- Persons (本人), their cases at agencies, and links between records that may be one person.
CREATE TABLE persons (
    id              TEXT PRIMARY KEY,
    prefecture      TEXT NOT NULL,
    name            TEXT NOT NULL,
    name_kana       TEXT NOT NULL,
    birth_date      TEXT NOT NULL,
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
    registered_by   TEXT NOT NULL REFERENCES agencies (id),
    version         BIGINT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX persons_by_duplicate_key ON persons (duplicate_key);

CREATE TABLE cases (
    id         TEXT PRIMARY KEY,
    prefecture TEXT NOT NULL,
    person_id  TEXT NOT NULL REFERENCES persons (id),
    agency_id  TEXT NOT NULL REFERENCES agencies (id),
    opened_on  TEXT NOT NULL,
    closed_on  TEXT,
    opened_by  TEXT NOT NULL
);
CREATE INDEX cases_by_person ON cases (person_id);
CREATE INDEX cases_by_agency ON cases (agency_id, closed_on);

CREATE TABLE person_links (
    person_id TEXT NOT NULL REFERENCES persons (id),
    other_id  TEXT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (person_id, other_id)
);

ALTER TABLE accounts ADD COLUMN person_id TEXT REFERENCES persons (id);
ALTER TABLE accounts ADD COLUMN employer_id TEXT REFERENCES employers (id);
