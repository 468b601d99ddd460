-- Emergency overrides granted: an administrator or block coordinator who gave a written reason
-- may read the person's record and journey (never write) until `until`. Each grant is also in the
-- audit log with its reason, which the person's disclosure shows.
CREATE TABLE emergency_access (
    id         TEXT PRIMARY KEY,
    prefecture TEXT NOT NULL,
    account_id TEXT NOT NULL,
    person_id  TEXT NOT NULL REFERENCES persons (id),
    reason     TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    until      TEXT NOT NULL
);
CREATE INDEX emergency_access_by_account ON emergency_access (account_id, person_id, until);
