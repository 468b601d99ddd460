-- A counter every directory write increments, so readers can tell a cached snapshot is current.
CREATE TABLE directory_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO directory_revision (id, revision) VALUES (1, 0);
