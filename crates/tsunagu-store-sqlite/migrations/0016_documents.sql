-- Documents attached to persons (同意書, signed plans, doctors' letters, assessment reports): the
-- entry, and the content apart from it so that listing a person's documents never reads a file.
-- A removed document keeps its entry (removed_at) and loses its content.
CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES persons (id),
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    file_type   TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    consent_id  TEXT REFERENCES consents (id),
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    removed_at  TEXT
);
CREATE INDEX documents_by_person ON documents (person_id, uploaded_at);

CREATE TABLE document_contents (
    document_id TEXT PRIMARY KEY REFERENCES documents (id),
    prefecture  TEXT NOT NULL,
    content     BLOB NOT NULL
);
