-- Documents attached to persons (同意書, signed plans, doctors' letters, assessment reports): the
-- entry, and the content apart from it so that listing a person's documents never reads a file.
-- A removed document keeps its entry (removed_at) and loses its content.
CREATE TABLE documents (
    id          UUID PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    person_id   UUID NOT NULL REFERENCES persons (id),
    agency_id   UUID NOT NULL REFERENCES agencies (id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    file_type   TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    consent_id  UUID REFERENCES consents (id),
    uploaded_by UUID NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL,
    removed_at  TIMESTAMPTZ
);
CREATE INDEX documents_by_person ON documents (person_id, uploaded_at);

CREATE TABLE document_contents (
    document_id UUID PRIMARY KEY REFERENCES documents (id),
    prefecture  TEXT NOT NULL,
    content     BYTEA NOT NULL
);
