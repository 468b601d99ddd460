-- Technical assistance to agencies (program 7-2): which office of the 職業センター advised which
-- agency, on what and when. No person supported is named. What was recorded is one document
-- (body); the office, the agency helped and the day sit beside it for the lists and the counts.
CREATE TABLE assistance_records (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    office_id   UUID NOT NULL,
    helped_id   UUID NOT NULL,
    given_on    DATE NOT NULL,
    body        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX assistance_of_office ON assistance_records (prefecture, office_id, given_on);
