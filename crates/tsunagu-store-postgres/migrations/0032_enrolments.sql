-- Students of special-needs schools (特別支援学校高等部): personal data, one row per person — the
-- school that holds their case, the department, the fiscal year they entered and the day they
-- graduated, once they did.
CREATE TABLE enrolments (
    person_id    UUID PRIMARY KEY REFERENCES persons (id),
    prefecture   TEXT NOT NULL,
    school_id    UUID NOT NULL,
    department   TEXT NOT NULL,
    entered_year INTEGER NOT NULL,
    graduated_on DATE,
    recorded_by  UUID NOT NULL,
    version      BIGINT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX enrolments_of_school ON enrolments (prefecture, school_id, department, entered_year);
CREATE INDEX enrolments_graduated ON enrolments (prefecture, graduated_on) WHERE graduated_on IS NOT NULL;
