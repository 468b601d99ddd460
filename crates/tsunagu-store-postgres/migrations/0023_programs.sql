-- The program registry: the programs of the program document, the indicators each is measured
-- by, the document's result cells as written, and the figures per fiscal year (Gregorian year
-- the fiscal year starts in). Counts only: no person is ever named here.
CREATE TABLE programs (
    code        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL UNIQUE,
    viewpoint   INTEGER NOT NULL CHECK (viewpoint BETWEEN 1 AND 5),
    action      INTEGER NOT NULL CHECK (action BETWEEN 1 AND 10),
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    unit_price  TEXT NOT NULL,
    scale       TEXT NOT NULL,
    owner       TEXT NOT NULL,
    implementer TEXT NOT NULL,
    repeats     TEXT REFERENCES programs (code),
    ended       TEXT NOT NULL
);

CREATE TABLE indicators (
    code      TEXT PRIMARY KEY,
    program   TEXT NOT NULL REFERENCES programs (code),
    name      TEXT NOT NULL,
    unit      TEXT NOT NULL,
    breakdown TEXT NOT NULL,
    source    TEXT NOT NULL CHECK (source IN ('computed', 'entered'))
);

CREATE TABLE program_cells (
    program     TEXT NOT NULL REFERENCES programs (code),
    fiscal_year INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('actual', 'plan')),
    text        TEXT NOT NULL,
    PRIMARY KEY (program, fiscal_year, kind)
);

CREATE TABLE figures (
    indicator   TEXT NOT NULL REFERENCES indicators (code),
    fiscal_year INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('actual', 'plan', 'target')),
    breakdown   TEXT NOT NULL,
    value       BIGINT NOT NULL,
    max_value   BIGINT,
    PRIMARY KEY (indicator, fiscal_year, kind, breakdown)
);
