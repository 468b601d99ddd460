-- How long placements last, kept as the records are written so that the retention analysis
-- reads a few thousand counts and never the history.
--
-- `placement_spells` holds one row per placement (a stage change to 就職): its day, its end (the
-- first separation, move to welfare or closing on or after it), whether a workplace visit or an
-- accompaniment was recorded on or after its day, and the person's disability categories; never
-- whose beyond the person's id, which the triggers use to find a person's placements.
-- `retention_ended` counts, per group, the ended placements by days from placement to end;
-- `retention_held` the others by their day (their duration grows with the calendar). A group is
-- every placement, a disability category, or with/without workplace support (`retention_groups`,
-- the codes of `GroupKey::code`). `tsunagu report --verify` compares them with the placements.
CREATE TABLE placement_spells (
    id                TEXT PRIMARY KEY,
    prefecture        TEXT NOT NULL,
    person_id         TEXT NOT NULL,
    placed_on         TEXT NOT NULL,
    ended_on          TEXT,
    workplace_support INTEGER NOT NULL,
    categories        TEXT NOT NULL
);
CREATE INDEX placement_spells_by_person ON placement_spells (person_id, placed_on);
CREATE INDEX placement_spells_by_end ON placement_spells (prefecture, ended_on);

CREATE TABLE retention_groups (
    grp      TEXT PRIMARY KEY,
    category TEXT,
    support  INTEGER
);
INSERT INTO retention_groups (grp, category, support) VALUES
    ('all', NULL, NULL),
    ('category:physical', 'physical', NULL),
    ('category:intellectual', 'intellectual', NULL),
    ('category:mental', 'mental', NULL),
    ('category:developmental', 'developmental', NULL),
    ('category:higher_brain_dysfunction', 'higher_brain_dysfunction', NULL),
    ('category:intractable_disease', 'intractable_disease', NULL),
    ('support:1', NULL, 1),
    ('support:0', NULL, 0);

CREATE TABLE retention_ended (
    prefecture TEXT NOT NULL,
    grp        TEXT NOT NULL,
    days       INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (prefecture, grp, days)
) WITHOUT ROWID;

CREATE TABLE retention_held (
    prefecture TEXT NOT NULL,
    grp        TEXT NOT NULL,
    placed_on  TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (prefecture, grp, placed_on)
) WITHOUT ROWID;

-- Inserting a row here adds `n` spells (−1 takes one away) to every group the spell is in.
CREATE VIEW retention_tally (prefecture, categories, workplace_support, placed_on, ended_on, n) AS
    SELECT prefecture, categories, workplace_support, placed_on, ended_on, 0 FROM placement_spells;
CREATE TRIGGER retention_tallied INSTEAD OF INSERT ON retention_tally
BEGIN
    INSERT INTO retention_ended (prefecture, grp, days, n)
        SELECT NEW.prefecture, g.grp, CAST(julianday(NEW.ended_on) - julianday(NEW.placed_on) AS INTEGER), NEW.n
          FROM retention_groups g
         WHERE NEW.ended_on IS NOT NULL
           AND (CASE WHEN g.category IS NOT NULL THEN instr(',' || NEW.categories || ',', ',' || g.category || ',') > 0
                     ELSE g.support IS NULL OR g.support = NEW.workplace_support END)
        ON CONFLICT (prefecture, grp, days) DO UPDATE SET n = n + excluded.n;
    INSERT INTO retention_held (prefecture, grp, placed_on, n)
        SELECT NEW.prefecture, g.grp, NEW.placed_on, NEW.n
          FROM retention_groups g
         WHERE NEW.ended_on IS NULL
           AND (CASE WHEN g.category IS NOT NULL THEN instr(',' || NEW.categories || ',', ',' || g.category || ',') > 0
                     ELSE g.support IS NULL OR g.support = NEW.workplace_support END)
        ON CONFLICT (prefecture, grp, placed_on) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER placement_spells_tallied AFTER INSERT ON placement_spells
BEGIN
    INSERT INTO retention_tally VALUES (NEW.prefecture, NEW.categories, NEW.workplace_support, NEW.placed_on, NEW.ended_on, 1);
END;

CREATE TRIGGER placement_spells_retallied AFTER UPDATE ON placement_spells
BEGIN
    INSERT INTO retention_tally VALUES (OLD.prefecture, OLD.categories, OLD.workplace_support, OLD.placed_on, OLD.ended_on, -1);
    INSERT INTO retention_tally VALUES (NEW.prefecture, NEW.categories, NEW.workplace_support, NEW.placed_on, NEW.ended_on, 1);
END;

-- Each placement as the records give it: its end and support may already be recorded (a
-- placement entered late, or all of them before this was kept).
CREATE VIEW placements_of_records (id, prefecture, person_id, placed_on, ended_on, workplace_support, categories) AS
    SELECT s.id, s.prefecture, s.person_id, s.on_date,
           (SELECT MIN(e.on_date) FROM stage_changes e
             WHERE e.person_id = s.person_id AND e.prefecture = s.prefecture
               AND e.stage IN ('separated', 'welfare_transition', 'closed') AND e.on_date >= s.on_date),
           EXISTS (SELECT 1 FROM support_records r
                    WHERE r.person_id = s.person_id AND r.prefecture = s.prefecture
                      AND r.kind IN ('workplace_visit', 'accompaniment') AND r.on_date >= s.on_date),
           p.categories
      FROM stage_changes s JOIN persons p ON p.id = s.person_id AND p.prefecture = s.prefecture
     WHERE s.stage = 'employed';

CREATE TRIGGER placement_begun AFTER INSERT ON stage_changes WHEN NEW.stage = 'employed'
BEGIN
    INSERT INTO placement_spells (id, prefecture, person_id, placed_on, ended_on, workplace_support, categories)
        SELECT * FROM placements_of_records WHERE id = NEW.id;
END;

-- An end: the person's placements on or before its day that had no earlier end now end here.
CREATE TRIGGER placement_ended AFTER INSERT ON stage_changes
    WHEN NEW.stage IN ('separated', 'welfare_transition', 'closed')
BEGIN
    UPDATE placement_spells SET ended_on = NEW.on_date
     WHERE person_id = NEW.person_id AND prefecture = NEW.prefecture AND placed_on <= NEW.on_date
       AND (ended_on IS NULL OR ended_on > NEW.on_date);
END;

CREATE TRIGGER placement_supported AFTER INSERT ON support_records
    WHEN NEW.kind IN ('workplace_visit', 'accompaniment')
BEGIN
    UPDATE placement_spells SET workplace_support = 1
     WHERE person_id = NEW.person_id AND prefecture = NEW.prefecture AND placed_on <= NEW.on_date
       AND workplace_support = 0;
END;

CREATE TRIGGER placement_categories AFTER UPDATE OF categories ON persons WHEN OLD.categories <> NEW.categories
BEGIN
    UPDATE placement_spells SET categories = NEW.categories WHERE person_id = NEW.id;
END;

-- The placements recorded before this was kept.
INSERT INTO placement_spells (id, prefecture, person_id, placed_on, ended_on, workplace_support, categories)
    SELECT * FROM placements_of_records;
