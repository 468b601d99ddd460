-- Students of special-needs schools (特別支援学校高等部): personal data, one row per person — the
-- school that holds their case, the department, the fiscal year they entered and the day they
-- graduated, once they did.
CREATE TABLE enrolments (
    person_id    TEXT PRIMARY KEY REFERENCES persons (id),
    prefecture   TEXT NOT NULL,
    school_id    TEXT NOT NULL,
    department   TEXT NOT NULL,
    entered_year INTEGER NOT NULL,
    graduated_on TEXT,
    recorded_by  TEXT NOT NULL,
    version      BIGINT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX enrolments_of_school ON enrolments (school_id, department, entered_year);
CREATE INDEX enrolments_graduated ON enrolments (graduated_on) WHERE graduated_on IS NOT NULL;
