-- Technical assistance to agencies (program 7-2): which office of the 職業センター advised which
-- agency, on what and when. No person supported is named. What was recorded is one document
-- (body); the office, the agency helped and the day sit beside it for the lists and the counts.
CREATE TABLE assistance_records (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    office_id   TEXT NOT NULL,
    helped_id   TEXT NOT NULL,
    given_on    TEXT NOT NULL,
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX assistance_of_office ON assistance_records (office_id, given_on);
