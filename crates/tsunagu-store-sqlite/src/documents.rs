//! [`DocumentStore`] on SQLite, and the document changes a commit applies.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use time::OffsetDateTime;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::consent::ConsentId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::document::{AgencyDocument, Document, DocumentId, DocumentKind, FileType};
use tsunagu_domain::person::PersonId;
use tsunagu_store::{DocumentStore, StoreError, StoreResult};

use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err};

const COLUMNS: &str = "id, prefecture, person_id, agency_id, kind, title, file_name, file_type, size, sha256, \
     consent_id, uploaded_by, uploaded_at, removed_at";

fn unknown(what: &str, code: &str) -> rusqlite::Error {
    conv(StoreError::Backend(format!("unknown {what} {code:?} in documents").into()))
}

fn document_from_row(r: &Row<'_>) -> rusqlite::Result<Document> {
    let kind: String = r.get(4)?;
    let file_type: String = r.get(7)?;
    let consent: Option<String> = r.get(10)?;
    let removed_at: Option<String> = r.get(13)?;
    Ok(Document {
        id: DocumentId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        kind: DocumentKind::parse(&kind).ok_or_else(|| unknown("kind", &kind))?,
        title: r.get(5)?,
        file_name: r.get(6)?,
        file_type: FileType::parse(&file_type).ok_or_else(|| unknown("file type", &file_type))?,
        size: r.get::<_, i64>(8)?.try_into().unwrap_or_default(),
        sha256: r.get(9)?,
        consent: consent.as_deref().map(parse_uuid).transpose()?.map(ConsentId),
        uploaded_by: AccountId(parse_uuid(&r.get::<_, String>(11)?)?),
        uploaded_at: parse_timestamp(&r.get::<_, String>(12)?)?,
        removed_at: removed_at.as_deref().map(parse_timestamp).transpose()?,
    })
}

/// Inserts a document and its content through `c`.
pub(crate) fn insert_document_in(c: &rusqlite::Connection, d: &Document, content: &[u8]) -> rusqlite::Result<()> {
    c.prepare_cached(&format!(
        "INSERT INTO documents ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    ))?
    .execute(params![
        d.id.0.to_string(),
        d.prefecture,
        d.person.0.to_string(),
        d.agency.0.to_string(),
        d.kind.code(),
        d.title,
        d.file_name,
        d.file_type.code(),
        i64::try_from(d.size).unwrap_or(i64::MAX),
        d.sha256,
        d.consent.map(|c| c.0.to_string()),
        d.uploaded_by.0.to_string(),
        timestamp(d.uploaded_at),
        d.removed_at.map(timestamp),
    ])?;
    c.prepare_cached("INSERT INTO document_contents (document_id, prefecture, content) VALUES (?1, ?2, ?3)")?
        .execute(params![d.id.0.to_string(), d.prefecture, content])
        .map(|_| ())
}

/// Marks a document of `person` removed at `at` and deletes its content, through `c`; a document
/// that is not there, or removed already, is [`StoreError::NotFound`].
pub(crate) fn remove_document_in(
    c: &rusqlite::Connection,
    person: PersonId,
    id: DocumentId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let n = c
        .prepare_cached("UPDATE documents SET removed_at = ?3 WHERE id = ?1 AND person_id = ?2 AND removed_at IS NULL")
        .and_then(|mut s| s.execute(params![id.0.to_string(), person.0.to_string(), timestamp(at)]))
        .map_err(db_err)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    c.prepare_cached("DELETE FROM document_contents WHERE document_id = ?1")
        .and_then(|mut s| s.execute([id.0.to_string()]))
        .map(|_| ())
        .map_err(db_err)
}

const AGENCY_COLUMNS: &str =
    "id, prefecture, agency_id, title, file_name, file_type, size, sha256, uploaded_by, uploaded_at, removed_at";

fn agency_document_from_row(r: &Row<'_>) -> rusqlite::Result<AgencyDocument> {
    let file_type: String = r.get(5)?;
    let removed_at: Option<String> = r.get(10)?;
    Ok(AgencyDocument {
        id: DocumentId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        agency: AgencyId(parse_uuid(&r.get::<_, String>(2)?)?),
        title: r.get(3)?,
        file_name: r.get(4)?,
        file_type: FileType::parse(&file_type).ok_or_else(|| unknown("file type", &file_type))?,
        size: r.get::<_, i64>(6)?.try_into().unwrap_or_default(),
        sha256: r.get(7)?,
        uploaded_by: AccountId(parse_uuid(&r.get::<_, String>(8)?)?),
        uploaded_at: parse_timestamp(&r.get::<_, String>(9)?)?,
        removed_at: removed_at.as_deref().map(parse_timestamp).transpose()?,
    })
}

/// Inserts an agency's document and its content through `c`.
pub(crate) fn insert_agency_document_in(
    c: &rusqlite::Connection,
    d: &AgencyDocument,
    content: &[u8],
) -> rusqlite::Result<()> {
    c.prepare_cached(&format!(
        "INSERT INTO agency_documents ({AGENCY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?
    .execute(params![
        d.id.0.to_string(),
        d.prefecture,
        d.agency.0.to_string(),
        d.title,
        d.file_name,
        d.file_type.code(),
        i64::try_from(d.size).unwrap_or(i64::MAX),
        d.sha256,
        d.uploaded_by.0.to_string(),
        timestamp(d.uploaded_at),
        d.removed_at.map(timestamp),
    ])?;
    c.prepare_cached("INSERT INTO agency_document_contents (document_id, content) VALUES (?1, ?2)")?
        .execute(params![d.id.0.to_string(), content])
        .map(|_| ())
}

/// Marks a document of `agency` removed at `at` and deletes its content, through `c`.
pub(crate) fn remove_agency_document_in(
    c: &rusqlite::Connection,
    agency: AgencyId,
    id: DocumentId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let n = c
        .prepare_cached(
            "UPDATE agency_documents SET removed_at = ?3 WHERE id = ?1 AND agency_id = ?2 AND removed_at IS NULL",
        )
        .and_then(|mut s| s.execute(params![id.0.to_string(), agency.0.to_string(), timestamp(at)]))
        .map_err(db_err)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    c.prepare_cached("DELETE FROM agency_document_contents WHERE document_id = ?1")
        .and_then(|mut s| s.execute([id.0.to_string()]))
        .map(|_| ())
        .map_err(db_err)
}

#[async_trait]
impl DocumentStore for SqliteStore {
    async fn agency_documents(&self, agency: AgencyId) -> StoreResult<Vec<AgencyDocument>> {
        self.query(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {AGENCY_COLUMNS} FROM agency_documents WHERE agency_id = ?1 ORDER BY uploaded_at, id"
            ))?;
            let rows = stmt.query_map([agency.0.to_string()], agency_document_from_row)?;
            rows.collect()
        })
        .await
    }

    async fn agency_document_file(
        &self,
        agency: AgencyId,
        id: DocumentId,
    ) -> StoreResult<Option<(AgencyDocument, Vec<u8>)>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {AGENCY_COLUMNS}, content
                 FROM agency_documents JOIN agency_document_contents ON document_id = id
                 WHERE id = ?1 AND agency_id = ?2 AND removed_at IS NULL"
            ))?
            .query_row([id.0.to_string(), agency.0.to_string()], |r| Ok((agency_document_from_row(r)?, r.get(11)?)))
            .optional()
        })
        .await
    }

    async fn documents_of(&self, person: PersonId) -> StoreResult<Vec<Document>> {
        self.query(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM documents WHERE person_id = ?1 ORDER BY uploaded_at, id"
            ))?;
            let rows = stmt.query_map([person.0.to_string()], document_from_row)?;
            rows.collect()
        })
        .await
    }

    async fn document_file(&self, person: PersonId, id: DocumentId) -> StoreResult<Option<(Document, Vec<u8>)>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS}, content
                 FROM documents JOIN (SELECT document_id, content FROM document_contents) AS f ON document_id = id
                 WHERE id = ?1 AND person_id = ?2 AND removed_at IS NULL"
            ))?
            .query_row([id.0.to_string(), person.0.to_string()], |r| Ok((document_from_row(r)?, r.get(14)?)))
            .optional()
        })
        .await
    }
}
