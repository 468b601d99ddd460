-- A caseload page reads from covering indexes and never visits the persons table: each open case
-- carries the person's name, birth date and stage beside the reading it already keeps, and
-- follow-ups and plans carry the name the due list shows; every write that changes them keeps
-- the copies in step. (A SQLite reader drops its page cache whenever the file changed, as the
-- audit entry of every request changes it, so each page read costs; these read a few pages.)
ALTER TABLE cases ADD COLUMN name TEXT;
ALTER TABLE cases ADD COLUMN birth_date TEXT;
ALTER TABLE cases ADD COLUMN stage TEXT;
UPDATE cases SET (name, birth_date, stage) =
    (SELECT p.name, p.birth_date, p.stage FROM persons p WHERE p.id = cases.person_id);
DROP INDEX cases_by_reading;
CREATE INDEX cases_caseload ON cases (agency_id, name_kana, person_id, name, birth_date, opened_on, stage,
    last_contact_on, next_action, next_action_on) WHERE closed_on IS NULL;
DROP INDEX cases_due;
CREATE INDEX cases_due ON cases (agency_id, next_action_on, person_id, name, next_action)
    WHERE closed_on IS NULL AND next_action_on IS NOT NULL;
ALTER TABLE follow_ups ADD COLUMN person_name TEXT;
UPDATE follow_ups SET person_name = (SELECT p.name FROM persons p WHERE p.id = follow_ups.person_id);
DROP INDEX follow_ups_due;
CREATE INDEX follow_ups_due ON follow_ups (agency_id, due_on, id, prefecture, person_id, placed_on, person_name)
    WHERE done_on IS NULL;
ALTER TABLE support_plans ADD COLUMN person_name TEXT;
UPDATE support_plans SET person_name = (SELECT p.name FROM persons p WHERE p.id = support_plans.person_id);
