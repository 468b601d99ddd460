-- How long placements last, kept as the records are written so that the retention analysis
-- reads a few thousand counts and never the history (the SQLite store's migration 0023, in the
-- same words).
--
-- `placement_spells` holds one row per placement (a stage change to 就職): its day, its end (the
-- first separation, move to welfare or closing on or after it), whether a workplace visit or an
-- accompaniment was recorded on or after its day, and the person's disability categories; never
-- whose beyond the person's id, which the triggers use to find a person's placements.
-- `retention_ended` counts, per group, the ended placements by days from placement to end;
-- `retention_held` the others by their day (their duration grows with the calendar). A group is
-- every placement, a disability category, or with/without workplace support (`retention_groups`,
-- the codes of `GroupKey::code`). `tsunagu report --verify` compares them with the placements.
--
-- The triggers are row triggers, each with a WHEN that lets only the rows it keeps through, so
-- that a write of any other record pays nothing. Every audited write goes through the appender,
-- whose lock orders the batches of every process: a placement and its end or its support are
-- never written by two transactions at once, each blind to the other. A bulk load
-- (`tsunagu.retention = 'later'`, set by the loader's transactions) skips them and
-- `rebuild_retention()` builds the tables in a few set-wise statements when it is over.
CREATE TABLE placement_spells (
    id                UUID PRIMARY KEY,
    prefecture        TEXT NOT NULL,
    person_id         UUID NOT NULL,
    placed_on         DATE NOT NULL,
    ended_on          DATE,
    workplace_support BOOLEAN NOT NULL,
    categories        TEXT NOT NULL
);
CREATE INDEX placement_spells_by_person ON placement_spells (person_id, placed_on);
CREATE INDEX placement_spells_by_end ON placement_spells (prefecture, ended_on) WHERE ended_on IS NOT NULL;

CREATE TABLE retention_groups (
    grp      TEXT PRIMARY KEY,
    category TEXT,
    support  BOOLEAN
);
INSERT INTO retention_groups (grp, category, support) VALUES
    ('all', NULL, NULL),
    ('category:physical', 'physical', NULL),
    ('category:intellectual', 'intellectual', NULL),
    ('category:mental', 'mental', NULL),
    ('category:developmental', 'developmental', NULL),
    ('category:higher_brain_dysfunction', 'higher_brain_dysfunction', NULL),
    ('category:intractable_disease', 'intractable_disease', NULL),
    ('support:1', NULL, true),
    ('support:0', NULL, false);

-- The groups a placement of these categories, with or without support, is in.
CREATE FUNCTION retention_groups_of(cats TEXT, supported BOOLEAN) RETURNS SETOF TEXT
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT grp FROM retention_groups g
     WHERE CASE WHEN g.category IS NOT NULL THEN strpos(',' || cats || ',', ',' || g.category || ',') > 0
                ELSE g.support IS NULL OR g.support = supported END
$$;

CREATE TABLE retention_ended (
    prefecture TEXT NOT NULL,
    grp        TEXT NOT NULL,
    days       INTEGER NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (prefecture, grp, days)
);

CREATE TABLE retention_held (
    prefecture TEXT NOT NULL,
    grp        TEXT NOT NULL,
    placed_on  DATE NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (prefecture, grp, placed_on)
);

-- Adds `n` spells (−1 takes one away) to every group the spell is in.
CREATE FUNCTION tally_retention(pref TEXT, cats TEXT, supported BOOLEAN, placed DATE, ended DATE, delta BIGINT)
    RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ended IS NOT NULL THEN
        INSERT INTO retention_ended AS r (prefecture, grp, days, n)
            SELECT pref, g, ended - placed, delta FROM retention_groups_of(cats, supported) g ORDER BY g
            ON CONFLICT (prefecture, grp, days) DO UPDATE SET n = r.n + excluded.n;
    ELSE
        INSERT INTO retention_held AS r (prefecture, grp, placed_on, n)
            SELECT pref, g, placed, delta FROM retention_groups_of(cats, supported) g ORDER BY g
            ON CONFLICT (prefecture, grp, placed_on) DO UPDATE SET n = r.n + excluded.n;
    END IF;
END;
$$;

CREATE FUNCTION placement_spell_tallied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM tally_retention(OLD.prefecture, OLD.categories, OLD.workplace_support, OLD.placed_on, OLD.ended_on, -1);
    END IF;
    PERFORM tally_retention(NEW.prefecture, NEW.categories, NEW.workplace_support, NEW.placed_on, NEW.ended_on, 1);
    RETURN NULL;
END;
$$;
CREATE TRIGGER placement_spells_tallied AFTER INSERT OR UPDATE ON placement_spells FOR EACH ROW
    WHEN (current_setting('tsunagu.retention', true) IS DISTINCT FROM 'later')
    EXECUTE FUNCTION placement_spell_tallied();

-- The end of a placement of `person` on `placed` (the first on or after it), and whether it had
-- support at the workplace, from the records.
CREATE FUNCTION placement_end(pref TEXT, person UUID, placed DATE) RETURNS DATE
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT MIN(e.on_date) FROM stage_changes e
     WHERE e.person_id = person AND e.prefecture = pref
       AND e.stage IN ('separated', 'welfare_transition', 'closed') AND e.on_date >= placed
$$;
CREATE FUNCTION placement_supported(pref TEXT, person UUID, placed DATE) RETURNS BOOLEAN
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (SELECT 1 FROM support_records r
                    WHERE r.person_id = person AND r.prefecture = pref
                      AND r.kind IN ('workplace_visit', 'accompaniment') AND r.on_date >= placed)
$$;

-- A placement: its end and support may already be recorded (a placement entered late). An end:
-- the person's placements on or before its day that had no earlier end now end there.
CREATE FUNCTION placement_staged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.stage = 'employed' THEN
        INSERT INTO placement_spells (id, prefecture, person_id, placed_on, ended_on, workplace_support, categories)
            SELECT NEW.id, NEW.prefecture, NEW.person_id, NEW.on_date,
                   placement_end(NEW.prefecture, NEW.person_id, NEW.on_date),
                   placement_supported(NEW.prefecture, NEW.person_id, NEW.on_date), p.categories
              FROM persons p WHERE p.id = NEW.person_id AND p.prefecture = NEW.prefecture;
    ELSE
        UPDATE placement_spells SET ended_on = NEW.on_date
         WHERE person_id = NEW.person_id AND prefecture = NEW.prefecture AND placed_on <= NEW.on_date
           AND (ended_on IS NULL OR ended_on > NEW.on_date);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER placement_staged AFTER INSERT ON stage_changes FOR EACH ROW
    WHEN (NEW.stage IN ('employed', 'separated', 'welfare_transition', 'closed')
          AND current_setting('tsunagu.retention', true) IS DISTINCT FROM 'later')
    EXECUTE FUNCTION placement_staged();

CREATE FUNCTION placement_supported_by() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE placement_spells SET workplace_support = true
     WHERE person_id = NEW.person_id AND prefecture = NEW.prefecture AND placed_on <= NEW.on_date
       AND NOT workplace_support;
    RETURN NULL;
END;
$$;
CREATE TRIGGER placement_supported AFTER INSERT ON support_records FOR EACH ROW
    WHEN (NEW.kind IN ('workplace_visit', 'accompaniment')
          AND current_setting('tsunagu.retention', true) IS DISTINCT FROM 'later')
    EXECUTE FUNCTION placement_supported_by();

CREATE FUNCTION placement_categories() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE placement_spells SET categories = NEW.categories WHERE person_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER placement_categories AFTER UPDATE OF categories ON persons FOR EACH ROW
    WHEN (OLD.categories IS DISTINCT FROM NEW.categories
          AND current_setting('tsunagu.retention', true) IS DISTINCT FROM 'later')
    EXECUTE FUNCTION placement_categories();

-- Builds the spells and their counts from the records, set-wise: after a bulk load, and here for
-- the records written before they were kept.
CREATE FUNCTION rebuild_retention() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('tsunagu.retention', 'later', true);
    TRUNCATE placement_spells, retention_ended, retention_held;
    INSERT INTO placement_spells (id, prefecture, person_id, placed_on, ended_on, workplace_support, categories)
        SELECT s.id, s.prefecture, s.person_id, s.on_date, e.ended_on, COALESCE(r.supported, false), p.categories
          FROM stage_changes s
          JOIN persons p ON p.id = s.person_id AND p.prefecture = s.prefecture
          LEFT JOIN LATERAL (SELECT placement_end(s.prefecture, s.person_id, s.on_date) AS ended_on) e ON true
          LEFT JOIN LATERAL (SELECT placement_supported(s.prefecture, s.person_id, s.on_date) AS supported) r ON true
         WHERE s.stage = 'employed';
    INSERT INTO retention_ended (prefecture, grp, days, n)
        SELECT s.prefecture, g, s.ended_on - s.placed_on, count(*)
          FROM placement_spells s, retention_groups_of(s.categories, s.workplace_support) g
         WHERE s.ended_on IS NOT NULL GROUP BY 1, 2, 3;
    INSERT INTO retention_held (prefecture, grp, placed_on, n)
        SELECT s.prefecture, g, s.placed_on, count(*)
          FROM placement_spells s, retention_groups_of(s.categories, s.workplace_support) g
         WHERE s.ended_on IS NULL GROUP BY 1, 2, 3;
    PERFORM set_config('tsunagu.retention', '', true);
END;
$$;

SELECT rebuild_retention();
