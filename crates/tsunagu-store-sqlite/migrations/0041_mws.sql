-- Results of ワークサンプル幕張版 (MWS): personal data of the person who did the task. What was
-- recorded is one document (body); the day sits beside it for the order.
CREATE TABLE mws_results (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    agency_id   TEXT NOT NULL,
    done_on     TEXT NOT NULL,
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX mws_results_of_person ON mws_results (person_id, done_on);
