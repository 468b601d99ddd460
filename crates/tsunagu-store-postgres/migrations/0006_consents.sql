-- The consent ledger and the record of provisions to third parties (第三者提供記録).
CREATE TABLE consents (
    id             UUID PRIMARY KEY,
    prefecture     TEXT NOT NULL,
    person_id      UUID NOT NULL,
    recipient_kind TEXT NOT NULL,
    recipient_id   TEXT NOT NULL,
    purposes       TEXT NOT NULL,
    categories     TEXT NOT NULL,
    valid_from     DATE NOT NULL,
    valid_to       DATE,
    revoked_at     TIMESTAMPTZ,
    evidence       TEXT NOT NULL,
    evidence_note  TEXT NOT NULL,
    recorded_by    UUID NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX consents_by_person ON consents (person_id);

CREATE TABLE provisions (
    id             UUID PRIMARY KEY,
    prefecture     TEXT NOT NULL,
    at             TIMESTAMPTZ NOT NULL,
    person_id      UUID NOT NULL,
    recipient_kind TEXT NOT NULL,
    recipient_id   TEXT NOT NULL,
    items          TEXT NOT NULL,
    consent_id     UUID NOT NULL REFERENCES consents (id),
    provided_by    UUID NOT NULL
);
CREATE INDEX provisions_by_person ON provisions (person_id);
