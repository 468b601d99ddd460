-- Whom to call in an emergency, and their phone: basic data of the person.
ALTER TABLE persons ADD COLUMN emergency_contact TEXT;
ALTER TABLE persons ADD COLUMN emergency_phone TEXT;
