-- Results of ワークサンプル幕張版 (MWS): personal data of the person who did the task. What was
-- recorded is one document (body); the day sits beside it for the order.
CREATE TABLE mws_results (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    agency_id   UUID NOT NULL,
    done_on     DATE NOT NULL,
    body        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX mws_results_of_person ON mws_results (prefecture, person_id, done_on);
