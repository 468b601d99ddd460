-- An agency's FAX and opening hours: many agencies still take referrals and forms by FAX, and
-- a caller needs to know when someone answers.
ALTER TABLE agencies ADD COLUMN fax TEXT;
ALTER TABLE agencies ADD COLUMN opening_hours TEXT;
