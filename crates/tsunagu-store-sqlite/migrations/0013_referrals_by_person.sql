-- A person's referrals, for the disclosure.
CREATE INDEX referrals_by_person ON referrals (person_id, sent_at);
