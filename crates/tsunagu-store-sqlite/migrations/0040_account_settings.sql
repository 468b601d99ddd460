-- What an account chose for itself: the register a person's own pages speak in (easy, plain,
-- english), a display choice like the language cookie, kept with the account so that it follows
-- the person from one device to another.
CREATE TABLE account_settings (
    account_id TEXT PRIMARY KEY REFERENCES accounts (id),
    register   TEXT NOT NULL
);
