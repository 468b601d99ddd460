-- The roster of medical-liaison coordinators (program 10-2): staff at the program's locations,
-- with the medical institutions they work with. No person supported is named. What the roster
-- says is one document (body); the location and the period sit beside it for the lists.
CREATE TABLE liaison_coordinators (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    agency_id   TEXT NOT NULL,
    since       TEXT NOT NULL,
    body        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX liaison_coordinators_of_agency ON liaison_coordinators (agency_id, since);
