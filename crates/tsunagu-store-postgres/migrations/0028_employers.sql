-- Employers become editable: the people to call there, whether they take interns, a version for
-- edits made at the same time, and the folded text the employers' search matches; the agencies
-- that developed or support each (開拓); and consents found by the employer they name.
ALTER TABLE employers ADD COLUMN accepts_interns BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE employers ADD COLUMN address TEXT;
ALTER TABLE employers ADD COLUMN contacts TEXT NOT NULL DEFAULT '[null,null]';
ALTER TABLE employers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE employers ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
-- Employers written before this migration have no folded key; lower case is the nearest SQL has
-- (the next edit writes the full one).
UPDATE employers SET search_key = lower(name || name_kana || corporate_number);
CREATE INDEX employers_by_reading ON employers (prefecture, name_kana, id);

CREATE TABLE employer_agencies (
    employer_id UUID NOT NULL REFERENCES employers (id),
    agency_id   UUID NOT NULL REFERENCES agencies (id),
    since       DATE NOT NULL,
    recorded_by UUID NOT NULL,
    PRIMARY KEY (employer_id, agency_id)
);
CREATE INDEX employer_agencies_by_agency ON employer_agencies (agency_id, employer_id);

CREATE INDEX consents_by_recipient ON consents (prefecture, recipient_kind, recipient_id);
