-- The prefecture on every table of personal data, so that every statement on them can name the
-- shard it needs when the tables are distributed on it (ARCHITECTURE.md, "Toward national
-- scale"): the four tables that named persons or agencies only by reference gain the column.
ALTER TABLE person_links ADD COLUMN prefecture TEXT;
UPDATE person_links l SET prefecture = p.prefecture FROM persons p WHERE p.id = l.person_id;
ALTER TABLE person_links ALTER COLUMN prefecture SET NOT NULL;

ALTER TABLE plan_reviews ADD COLUMN prefecture TEXT;
UPDATE plan_reviews r SET prefecture = s.prefecture FROM support_plans s WHERE s.id = r.plan_id;
ALTER TABLE plan_reviews ALTER COLUMN prefecture SET NOT NULL;

ALTER TABLE notices ADD COLUMN prefecture TEXT;
UPDATE notices n SET prefecture = r.prefecture FROM referrals r WHERE r.id = n.referral_id;
ALTER TABLE notices ALTER COLUMN prefecture SET NOT NULL;

ALTER TABLE caseload_sizes ADD COLUMN prefecture TEXT;
UPDATE caseload_sizes s SET prefecture = a.prefecture FROM agencies a WHERE a.id = s.agency_id;
ALTER TABLE caseload_sizes ALTER COLUMN prefecture SET NOT NULL;
ALTER TABLE caseload_sizes DROP CONSTRAINT caseload_sizes_pkey;
ALTER TABLE caseload_sizes ADD PRIMARY KEY (prefecture, agency_id);
CREATE OR REPLACE FUNCTION count_open_cases() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT := 0;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.closed_on IS NULL THEN delta := 1; END IF;
    ELSIF (OLD.closed_on IS NULL) <> (NEW.closed_on IS NULL) THEN
        delta := CASE WHEN NEW.closed_on IS NULL THEN 1 ELSE -1 END;
    END IF;
    IF delta <> 0 THEN
        INSERT INTO caseload_sizes (prefecture, agency_id, open_cases) VALUES (NEW.prefecture, NEW.agency_id, delta)
            ON CONFLICT (prefecture, agency_id) DO UPDATE SET open_cases = caseload_sizes.open_cases + delta;
    END IF;
    RETURN NULL;
END;
$$;

-- The caseload's and the due list's covering indexes carry the prefecture too, so that the
-- statements naming it still read the index alone.
DROP INDEX cases_caseload;
CREATE INDEX cases_caseload ON cases (agency_id, name_kana, person_id)
    INCLUDE (name, birth_date, opened_on, stage, last_contact_on, next_action, next_action_on, prefecture)
    WHERE closed_on IS NULL;
DROP INDEX cases_due;
CREATE INDEX cases_due ON cases (agency_id, next_action_on) INCLUDE (person_id, name, next_action, prefecture)
    WHERE closed_on IS NULL AND next_action_on IS NOT NULL;
