-- The network directory: blocks, municipalities, agencies, employers.
CREATE TABLE blocks (
    code     TEXT PRIMARY KEY,
    name_ja  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE municipalities (
    lg_code                     TEXT PRIMARY KEY,
    name                        TEXT NOT NULL,
    name_kana                   TEXT NOT NULL,
    kind                        TEXT NOT NULL,
    block_code                  TEXT NOT NULL REFERENCES blocks (code),
    block_provisional           BOOLEAN NOT NULL,
    runs_support_centre         BOOLEAN NOT NULL,
    has_development_coordinator BOOLEAN NOT NULL
);

CREATE TABLE agencies (
    id                UUID PRIMARY KEY,
    prefecture        TEXT NOT NULL,
    kind              TEXT NOT NULL,
    kind_rank         INTEGER NOT NULL,
    name              TEXT NOT NULL,
    name_kana         TEXT NOT NULL,
    municipality_code TEXT REFERENCES municipalities (lg_code),
    block_code        TEXT REFERENCES blocks (code),
    postal_code       TEXT,
    address           TEXT,
    phone             TEXT,
    email             TEXT,
    website           TEXT,
    services          TEXT NOT NULL,
    departments       TEXT NOT NULL,
    notes             TEXT,
    search_key        TEXT NOT NULL,
    version           BIGINT NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX agencies_by_order ON agencies (kind_rank, name_kana COLLATE "C", id);
CREATE INDEX agencies_by_municipality ON agencies (municipality_code);
CREATE INDEX agencies_by_block ON agencies (block_code);

CREATE TABLE employers (
    id                 UUID PRIMARY KEY,
    prefecture         TEXT NOT NULL,
    corporate_number   TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    name_kana          TEXT NOT NULL,
    industry           TEXT NOT NULL,
    regular_workers    INTEGER NOT NULL,
    special_subsidiary BOOLEAN NOT NULL,
    municipality_code  TEXT REFERENCES municipalities (lg_code),
    updated_at         TIMESTAMPTZ NOT NULL
);
