-- Work-transition checklists (就労移行支援のためのチェックリスト): personal data of the person
-- gone through. Every answer is one document (body); the day sits beside it for the order.
CREATE TABLE checklists (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    agency_id   TEXT NOT NULL,
    assessed_on TEXT NOT NULL,
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX checklists_of_person ON checklists (person_id, assessed_on);
