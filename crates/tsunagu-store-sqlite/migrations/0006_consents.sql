-- The consent ledger and the record of provisions to third parties (第三者提供記録).
CREATE TABLE consents (
    id             TEXT PRIMARY KEY,
    prefecture     TEXT NOT NULL,
    person_id      TEXT NOT NULL,
    recipient_kind TEXT NOT NULL,
    recipient_id   TEXT NOT NULL,
    purposes       TEXT NOT NULL,
    categories     TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT,
    revoked_at     TEXT,
    evidence       TEXT NOT NULL,
    evidence_note  TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);
CREATE INDEX consents_by_person ON consents (person_id);

CREATE TABLE provisions (
    id             TEXT PRIMARY KEY,
    prefecture     TEXT NOT NULL,
    at             TEXT NOT NULL,
    person_id      TEXT NOT NULL,
    recipient_kind TEXT NOT NULL,
    recipient_id   TEXT NOT NULL,
    items          TEXT NOT NULL,
    consent_id     TEXT NOT NULL REFERENCES consents (id),
    provided_by    TEXT NOT NULL
);
CREATE INDEX provisions_by_person ON provisions (person_id);
