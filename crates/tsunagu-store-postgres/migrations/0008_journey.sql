-- The person's journey: stage changes (the current stage is kept on the person for lists) and
-- support records (each case keeps its latest contact and next action, for caseloads).
ALTER TABLE persons ADD COLUMN stage TEXT;
ALTER TABLE cases ADD COLUMN last_contact_on DATE;
ALTER TABLE cases ADD COLUMN next_action TEXT;
ALTER TABLE cases ADD COLUMN next_action_on DATE;
CREATE INDEX cases_due ON cases (agency_id, next_action_on) WHERE closed_on IS NULL AND next_action_on IS NOT NULL;
-- Caseloads list open cases by the person's reading: kept on the case so the index gives the order.
ALTER TABLE cases ADD COLUMN name_kana TEXT COLLATE "C";
UPDATE cases SET name_kana = (SELECT p.name_kana FROM persons p WHERE p.id = cases.person_id);
CREATE INDEX cases_by_reading ON cases (agency_id, name_kana, person_id) WHERE closed_on IS NULL;

CREATE TABLE stage_changes (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    stage       TEXT NOT NULL,
    on_date     DATE NOT NULL,
    agency_id   UUID NOT NULL REFERENCES agencies (id),
    recorded_by UUID NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX stage_changes_by_person ON stage_changes (person_id, recorded_at);

CREATE TABLE support_records (
    id             UUID PRIMARY KEY,
    prefecture     TEXT NOT NULL,
    person_id      UUID NOT NULL REFERENCES persons (id),
    agency_id      UUID NOT NULL REFERENCES agencies (id),
    staff_id       UUID NOT NULL,
    staff_name     TEXT NOT NULL,
    kind           TEXT NOT NULL,
    on_date        DATE NOT NULL,
    minutes        INTEGER NOT NULL,
    note           TEXT NOT NULL,
    next_action    TEXT,
    next_action_on DATE,
    recorded_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX support_records_by_person ON support_records (person_id, on_date);

-- Each agency's number of open cases, kept by a trigger so a caseload's size is one row, not a count.
CREATE TABLE caseload_sizes (
    agency_id  UUID PRIMARY KEY,
    open_cases BIGINT NOT NULL
);
INSERT INTO caseload_sizes (agency_id, open_cases)
    SELECT agency_id, count(*) FROM cases WHERE closed_on IS NULL GROUP BY agency_id;
CREATE FUNCTION count_open_cases() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT := 0;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.closed_on IS NULL THEN delta := 1; END IF;
    ELSIF (OLD.closed_on IS NULL) <> (NEW.closed_on IS NULL) THEN
        delta := CASE WHEN NEW.closed_on IS NULL THEN 1 ELSE -1 END;
    END IF;
    IF delta <> 0 THEN
        INSERT INTO caseload_sizes (agency_id, open_cases) VALUES (NEW.agency_id, delta)
            ON CONFLICT (agency_id) DO UPDATE SET open_cases = caseload_sizes.open_cases + delta;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER cases_counted AFTER INSERT OR UPDATE OF closed_on ON cases
    FOR EACH ROW EXECUTE FUNCTION count_open_cases();
