-- Openings (求人): each is one document read and written whole, with the columns the lists and
-- matching filter on beside it (status, weekly hours, place, the categories welcomed and the
-- accommodations offered as one bit each).
CREATE TABLE openings (
    id                TEXT PRIMARY KEY,
    prefecture        TEXT NOT NULL,
    employer_id       TEXT NOT NULL REFERENCES employers (id),
    status            TEXT NOT NULL,
    hours_min         INTEGER NOT NULL,
    hours_max         INTEGER NOT NULL,
    municipality_code TEXT,
    categories        INTEGER NOT NULL,
    accommodations    INTEGER NOT NULL,
    published_on      TEXT,
    body              TEXT NOT NULL,
    version           BIGINT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX openings_by_employer ON openings (employer_id, updated_at);
CREATE INDEX openings_published ON openings (status, published_on, id);

-- Moves with every write to an opening, so that a reader holding the published openings in
-- memory can tell whether they are still current.
CREATE TABLE openings_revision (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO openings_revision (id, value) VALUES (1, 0);
