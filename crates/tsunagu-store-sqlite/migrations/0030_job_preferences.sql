-- A person's job-search conditions (希望条件): personal data, one row per person — the
-- municipalities they can commute to and the accommodations they need (codes separated by a
-- space), and a note in their words.
CREATE TABLE job_preferences (
    person_id   TEXT PRIMARY KEY REFERENCES persons (id),
    prefecture  TEXT NOT NULL,
    areas       TEXT NOT NULL,
    needs       TEXT NOT NULL,
    note        TEXT,
    recorded_by TEXT NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TEXT NOT NULL
);
