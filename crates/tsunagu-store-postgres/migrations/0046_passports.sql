-- 就労パスポート: personal data of the person, one a person. The answers and the sections the
-- person chose are one document (body).
CREATE TABLE passports (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    body        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX passports_of_person ON passports (prefecture, person_id);
