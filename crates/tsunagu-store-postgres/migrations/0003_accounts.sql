-- Accounts, sessions (only token hashes are kept) and failed sign-ins for throttling.
CREATE TABLE accounts (
    id                   UUID PRIMARY KEY,
    login                TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    agency_id            UUID REFERENCES agencies (id),
    roles                TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    disabled             BOOLEAN NOT NULL,
    sessions_valid_after TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES accounts (id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE failed_logins (
    throttle_key TEXT NOT NULL,
    at_micros    BIGINT NOT NULL
);
CREATE INDEX failed_logins_by_key ON failed_logins (throttle_key, at_micros);
