-- Interview fairs: each is one document (companies, participants, schedule) read and written
-- whole, with its version for edits made at the same time.
CREATE TABLE fairs (
    id         UUID PRIMARY KEY,
    prefecture TEXT NOT NULL,
    organiser  UUID NOT NULL REFERENCES agencies (id),
    fair_date  DATE NOT NULL,
    body       TEXT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX fairs_by_date ON fairs (prefecture, fair_date);
