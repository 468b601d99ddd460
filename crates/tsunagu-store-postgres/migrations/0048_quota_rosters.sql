-- An employer's roster for the legal quota: its regular workers by month and the workers with
-- disabilities it entered (labelled by the employer, never a person of Tsunagu), one document
-- (body), one an employer.
CREATE TABLE quota_rosters (
    employer_id UUID PRIMARY KEY REFERENCES employers (id),
    prefecture  TEXT NOT NULL,
    body        TEXT NOT NULL,
    recorded_by UUID NOT NULL,
    version     BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
