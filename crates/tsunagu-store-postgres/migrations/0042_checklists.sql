-- Work-transition checklists (就労移行支援のためのチェックリスト): personal data of the person
-- gone through. Every answer is one document (body); the day sits beside it for the order.
CREATE TABLE checklists (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    agency_id   UUID NOT NULL,
    assessed_on DATE NOT NULL,
    body        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX checklists_of_person ON checklists (prefecture, person_id, assessed_on);
