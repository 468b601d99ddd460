-- Referrals between agencies, and the notices each agency sees when one changes.
CREATE TABLE referrals (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    from_agency UUID NOT NULL REFERENCES agencies (id),
    to_agency   UUID NOT NULL REFERENCES agencies (id),
    note        TEXT NOT NULL,
    consent_id  UUID NOT NULL REFERENCES consents (id),
    state       TEXT NOT NULL,
    reason      TEXT,
    sent_by     UUID NOT NULL,
    sent_at     TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT NOT NULL
);
CREATE INDEX referrals_to ON referrals (to_agency, updated_at);
CREATE INDEX referrals_from ON referrals (from_agency, updated_at);

CREATE TABLE notices (
    id          UUID PRIMARY KEY,
    agency_id   UUID NOT NULL REFERENCES agencies (id),
    referral_id UUID NOT NULL REFERENCES referrals (id),
    state       TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    read_at     TIMESTAMPTZ
);
CREATE INDEX notices_by_agency ON notices (agency_id, created_at);
