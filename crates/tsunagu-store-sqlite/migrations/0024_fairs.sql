-- Interview fairs: each is one document (companies, participants, schedule) read and written
-- whole, with its version for edits made at the same time.
CREATE TABLE fairs (
    id         TEXT PRIMARY KEY,
    prefecture TEXT NOT NULL,
    organiser  TEXT NOT NULL REFERENCES agencies (id),
    fair_date  TEXT NOT NULL,
    body       TEXT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX fairs_by_date ON fairs (prefecture, fair_date);
