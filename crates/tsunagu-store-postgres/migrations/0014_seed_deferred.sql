-- The indexes and foreign keys a bulk load (`tsunagu demo`) drops before it starts and builds
-- again once it has finished, as a restore of a dump does: building an index once over 30 million
-- rows is much faster than keeping it up to date row by row. One statement each, run in order.
-- Rows left here mean a load stopped half-way: the next start builds them.
CREATE TABLE seed_deferred (
    ord       BIGSERIAL PRIMARY KEY,
    statement TEXT NOT NULL
);
