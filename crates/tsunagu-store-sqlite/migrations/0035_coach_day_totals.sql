-- A coach's days carry their case and minutes in the index the year's totals read, so that
-- counting them never visits the table.
DROP INDEX coach_days_of_coach;
CREATE INDEX coach_days_of_coach ON coach_days (coach_id, on_date, dispatch_id, minutes);
