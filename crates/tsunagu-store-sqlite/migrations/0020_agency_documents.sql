-- Documents an agency keeps on its page for the network's staff (its guide, a pamphlet, the
-- referral form it asks for): the entry, and the content apart from it. Not personal data.
CREATE TABLE agency_documents (
    id          TEXT PRIMARY KEY,
    prefecture  TEXT NOT NULL,
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    title       TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    file_type   TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    removed_at  TEXT
);
CREATE INDEX agency_documents_by_agency ON agency_documents (agency_id, uploaded_at);

CREATE TABLE agency_document_contents (
    document_id TEXT PRIMARY KEY REFERENCES agency_documents (id),
    content     BLOB NOT NULL
);
