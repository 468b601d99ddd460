-- The annual report's counts of the journey, kept by triggers in the transaction that writes the
-- record, so that the report reads a few rows and never the history: placements (a stage change
-- to 就職), separations (to 離職), support records by their kind, and referrals sent, per fiscal
-- year (April to March, of the record's date; a referral's by its sending time in Japan).
-- Each count is kept per agency and per kind of agency: the report reads the second, and when an
-- agency's kind is corrected the agency's own counts move from its old kind to its new one.
-- `tsunagu report --verify` recounts both from the records. Counts only: no person is named here.
CREATE TABLE agency_journey_counts (
    agency_id   TEXT NOT NULL,
    prefecture  TEXT NOT NULL,
    measure     TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    breakdown   TEXT NOT NULL,
    value       INTEGER NOT NULL,
    PRIMARY KEY (agency_id, prefecture, measure, fiscal_year, breakdown)
) WITHOUT ROWID;

CREATE TABLE journey_counts (
    prefecture  TEXT NOT NULL,
    measure     TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    agency_kind TEXT NOT NULL,
    breakdown   TEXT NOT NULL,
    value       INTEGER NOT NULL,
    PRIMARY KEY (prefecture, measure, fiscal_year, agency_kind, breakdown)
) WITHOUT ROWID;

-- One record counted: inserting a row here adds one to both tables.
CREATE VIEW journey_tally (agency_id, prefecture, measure, fiscal_year, breakdown) AS
    SELECT agency_id, prefecture, measure, fiscal_year, breakdown FROM agency_journey_counts;
CREATE TRIGGER journey_tallied INSTEAD OF INSERT ON journey_tally
BEGIN
    INSERT INTO agency_journey_counts (agency_id, prefecture, measure, fiscal_year, breakdown, value)
        VALUES (NEW.agency_id, NEW.prefecture, NEW.measure, NEW.fiscal_year, NEW.breakdown, 1)
        ON CONFLICT (agency_id, prefecture, measure, fiscal_year, breakdown) DO UPDATE SET value = value + 1;
    INSERT INTO journey_counts (prefecture, measure, fiscal_year, agency_kind, breakdown, value)
        VALUES (NEW.prefecture, NEW.measure, NEW.fiscal_year,
                COALESCE((SELECT kind FROM agencies WHERE id = NEW.agency_id), ''), NEW.breakdown, 1)
        ON CONFLICT (prefecture, measure, fiscal_year, agency_kind, breakdown) DO UPDATE SET value = value + 1;
END;

CREATE TRIGGER stage_changes_counted AFTER INSERT ON stage_changes WHEN NEW.stage IN ('employed', 'separated')
BEGIN
    INSERT INTO journey_tally VALUES (NEW.agency_id, NEW.prefecture,
        CASE NEW.stage WHEN 'employed' THEN 'placements' ELSE 'separations' END,
        CAST(strftime('%Y', NEW.on_date, '-3 months') AS INTEGER), '');
END;

CREATE TRIGGER support_records_counted AFTER INSERT ON support_records
BEGIN
    INSERT INTO journey_tally VALUES (NEW.agency_id, NEW.prefecture, 'support_records',
        CAST(strftime('%Y', NEW.on_date, '-3 months') AS INTEGER), NEW.kind);
END;

CREATE TRIGGER referrals_counted AFTER INSERT ON referrals
BEGIN
    INSERT INTO journey_tally VALUES (NEW.from_agency, NEW.prefecture, 'referrals',
        CAST(strftime('%Y', NEW.sent_at, '+9 hours', '-3 months') AS INTEGER), '');
END;

CREATE TRIGGER agency_kind_counted AFTER UPDATE OF kind ON agencies WHEN OLD.kind <> NEW.kind
BEGIN
    INSERT INTO journey_counts (prefecture, measure, fiscal_year, agency_kind, breakdown, value)
        SELECT prefecture, measure, fiscal_year, OLD.kind, breakdown, -value
          FROM agency_journey_counts WHERE agency_id = NEW.id AND true
        ON CONFLICT (prefecture, measure, fiscal_year, agency_kind, breakdown) DO UPDATE SET value = value + excluded.value;
    INSERT INTO journey_counts (prefecture, measure, fiscal_year, agency_kind, breakdown, value)
        SELECT prefecture, measure, fiscal_year, NEW.kind, breakdown, value
          FROM agency_journey_counts WHERE agency_id = NEW.id AND true
        ON CONFLICT (prefecture, measure, fiscal_year, agency_kind, breakdown) DO UPDATE SET value = value + excluded.value;
END;

-- The records written before these counts existed.
INSERT INTO agency_journey_counts (agency_id, prefecture, measure, fiscal_year, breakdown, value)
    SELECT agency_id, prefecture, CASE stage WHEN 'employed' THEN 'placements' ELSE 'separations' END,
           CAST(strftime('%Y', on_date, '-3 months') AS INTEGER), '', count(*)
      FROM stage_changes WHERE stage IN ('employed', 'separated') GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT agency_id, prefecture, 'support_records', CAST(strftime('%Y', on_date, '-3 months') AS INTEGER), kind, count(*)
      FROM support_records GROUP BY 1, 2, 4, 5
    UNION ALL
    SELECT from_agency, prefecture, 'referrals', CAST(strftime('%Y', sent_at, '+9 hours', '-3 months') AS INTEGER), '', count(*)
      FROM referrals GROUP BY 1, 2, 4;
INSERT INTO journey_counts (prefecture, measure, fiscal_year, agency_kind, breakdown, value)
    SELECT c.prefecture, c.measure, c.fiscal_year, COALESCE(a.kind, ''), c.breakdown, sum(c.value)
      FROM agency_journey_counts c LEFT JOIN agencies a ON a.id = c.agency_id GROUP BY 1, 2, 3, 4, 5;
