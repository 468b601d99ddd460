-- 就労パスポート: personal data of the person, one a person. The answers and the sections the
-- person chose are one document (body).
CREATE TABLE passports (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL UNIQUE REFERENCES persons (id),
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
