-- Referrals between agencies, and the notices each agency sees when one changes.
CREATE TABLE referrals (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    from_agency TEXT NOT NULL REFERENCES agencies (id),
    to_agency   TEXT NOT NULL REFERENCES agencies (id),
    note        TEXT NOT NULL,
    consent_id  TEXT NOT NULL REFERENCES consents (id),
    state       TEXT NOT NULL,
    reason      TEXT,
    sent_by     TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     BIGINT NOT NULL
);
CREATE INDEX referrals_to ON referrals (to_agency, updated_at);
CREATE INDEX referrals_from ON referrals (from_agency, updated_at);

CREATE TABLE notices (
    id          TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX notices_by_agency ON notices (agency_id, created_at);
