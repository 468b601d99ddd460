-- An account's calendar feed: the hash of the secret in the address a calendar app subscribes
-- to (the address itself is shown once and never stored). One an account; a new one replaces it.
CREATE TABLE calendar_feeds (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    key_hash   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
