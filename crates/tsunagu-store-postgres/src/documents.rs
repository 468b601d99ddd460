//! [`DocumentStore`] on PostgreSQL, and the document changes a commit applies.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use time::OffsetDateTime;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::consent::ConsentId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::document::{AgencyDocument, Document, DocumentId, DocumentKind, FileType};
use tsunagu_domain::person::PersonId;
use tsunagu_store::{DocumentStore, StoreError, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt};

const COLUMNS: &str = "id, prefecture, person_id, agency_id, kind, title, file_name, file_type, size, sha256, \
     consent_id, uploaded_by, uploaded_at, removed_at";

fn unknown(what: &str, code: &str) -> StoreError {
    StoreError::Backend(format!("unknown {what} {code:?} in documents").into())
}

fn document_from_row(r: &Row) -> StoreResult<Document> {
    let kind: &str = r.try_get(4).map_err(db_err)?;
    let file_type: &str = r.try_get(7).map_err(db_err)?;
    Ok(Document {
        id: DocumentId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        kind: DocumentKind::parse(kind).ok_or_else(|| unknown("kind", kind))?,
        title: r.try_get(5).map_err(db_err)?,
        file_name: r.try_get(6).map_err(db_err)?,
        file_type: FileType::parse(file_type).ok_or_else(|| unknown("file type", file_type))?,
        size: r.try_get::<_, i64>(8).map_err(db_err)?.try_into().unwrap_or_default(),
        sha256: r.try_get(9).map_err(db_err)?,
        consent: r.try_get::<_, Option<uuid::Uuid>>(10).map_err(db_err)?.map(ConsentId),
        uploaded_by: AccountId(r.try_get(11).map_err(db_err)?),
        uploaded_at: r.try_get(12).map_err(db_err)?,
        removed_at: r.try_get(13).map_err(db_err)?,
    })
}

/// Inserts a document and its content through `c`.
pub(crate) async fn insert_document_in(c: &impl GenericClient, d: &Document, content: &[u8]) -> StoreResult<()> {
    execute(
        c,
        &format!(
            "INSERT INTO documents ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ),
        &[
            &d.id.0,
            &d.prefecture,
            &d.person.0,
            &d.agency.0,
            &d.kind.code(),
            &d.title,
            &d.file_name,
            &d.file_type.code(),
            &i64::try_from(d.size).unwrap_or(i64::MAX),
            &d.sha256,
            &d.consent.map(|c| c.0),
            &d.uploaded_by.0,
            &d.uploaded_at,
            &d.removed_at,
        ],
    )
    .await?;
    execute(
        c,
        "INSERT INTO document_contents (document_id, prefecture, content) VALUES ($1, $2, $3)",
        &[&d.id.0, &d.prefecture, &content],
    )
    .await
    .map(|_| ())
}

/// Marks a document of `person` removed at `at` and deletes its content, through `c`; a document
/// that is not there, or removed already, is [`StoreError::NotFound`].
pub(crate) async fn remove_document_in(
    c: &impl GenericClient,
    prefecture: &str,
    person: PersonId,
    id: DocumentId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let n = execute(
        c,
        "UPDATE documents SET removed_at = $4
         WHERE id = $1 AND person_id = $2 AND prefecture = $3 AND removed_at IS NULL",
        &[&id.0, &person.0, &prefecture, &at],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    execute(c, "DELETE FROM document_contents WHERE document_id = $1 AND prefecture = $2", &[&id.0, &prefecture])
        .await
        .map(|_| ())
}

const AGENCY_COLUMNS: &str =
    "id, prefecture, agency_id, title, file_name, file_type, size, sha256, uploaded_by, uploaded_at, removed_at";

fn agency_document_from_row(r: &Row) -> StoreResult<AgencyDocument> {
    let file_type: &str = r.try_get(5).map_err(db_err)?;
    Ok(AgencyDocument {
        id: DocumentId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        agency: AgencyId(r.try_get(2).map_err(db_err)?),
        title: r.try_get(3).map_err(db_err)?,
        file_name: r.try_get(4).map_err(db_err)?,
        file_type: FileType::parse(file_type).ok_or_else(|| unknown("file type", file_type))?,
        size: r.try_get::<_, i64>(6).map_err(db_err)?.try_into().unwrap_or_default(),
        sha256: r.try_get(7).map_err(db_err)?,
        uploaded_by: AccountId(r.try_get(8).map_err(db_err)?),
        uploaded_at: r.try_get(9).map_err(db_err)?,
        removed_at: r.try_get(10).map_err(db_err)?,
    })
}

/// Inserts an agency's document and its content through `c`.
pub(crate) async fn insert_agency_document_in(
    c: &impl GenericClient,
    d: &AgencyDocument,
    content: &[u8],
) -> StoreResult<()> {
    execute(
        c,
        &format!(
            "INSERT INTO agency_documents ({AGENCY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ),
        &[
            &d.id.0,
            &d.prefecture,
            &d.agency.0,
            &d.title,
            &d.file_name,
            &d.file_type.code(),
            &i64::try_from(d.size).unwrap_or(i64::MAX),
            &d.sha256,
            &d.uploaded_by.0,
            &d.uploaded_at,
            &d.removed_at,
        ],
    )
    .await?;
    execute(c, "INSERT INTO agency_document_contents (document_id, content) VALUES ($1, $2)", &[&d.id.0, &content])
        .await
        .map(|_| ())
}

/// Marks a document of `agency` removed at `at` and deletes its content, through `c`.
pub(crate) async fn remove_agency_document_in(
    c: &impl GenericClient,
    agency: AgencyId,
    id: DocumentId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let n = execute(
        c,
        "UPDATE agency_documents SET removed_at = $3 WHERE id = $1 AND agency_id = $2 AND removed_at IS NULL",
        &[&id.0, &agency.0, &at],
    )
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    execute(c, "DELETE FROM agency_document_contents WHERE document_id = $1", &[&id.0]).await.map(|_| ())
}

#[async_trait]
impl DocumentStore for PostgresStore {
    async fn agency_documents(&self, agency: AgencyId) -> StoreResult<Vec<AgencyDocument>> {
        let sql =
            format!("SELECT {AGENCY_COLUMNS} FROM agency_documents WHERE agency_id = $1 ORDER BY uploaded_at, id");
        query(&self.client().await?, &sql, &[&agency.0]).await?.iter().map(agency_document_from_row).collect()
    }

    async fn agency_document_file(
        &self,
        agency: AgencyId,
        id: DocumentId,
    ) -> StoreResult<Option<(AgencyDocument, Vec<u8>)>> {
        let sql = format!(
            "SELECT {AGENCY_COLUMNS}, content
             FROM agency_documents JOIN agency_document_contents ON document_id = id
             WHERE id = $1 AND agency_id = $2 AND removed_at IS NULL"
        );
        let Some(row) = query_opt(&self.client().await?, &sql, &[&id.0, &agency.0]).await? else {
            return Ok(None);
        };
        Ok(Some((agency_document_from_row(&row)?, row.try_get(11).map_err(db_err)?)))
    }

    async fn documents_of(&self, person: PersonId) -> StoreResult<Vec<Document>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM documents WHERE person_id = $1 AND prefecture = $2 ORDER BY uploaded_at, id"
        );
        query(&self.client().await?, &sql, &[&person.0, &&*self.prefecture])
            .await?
            .iter()
            .map(document_from_row)
            .collect()
    }

    async fn document_file(&self, person: PersonId, id: DocumentId) -> StoreResult<Option<(Document, Vec<u8>)>> {
        let sql = format!(
            "SELECT {COLUMNS}, content
             FROM documents JOIN (SELECT document_id, content FROM document_contents WHERE prefecture = $3) AS f
                  ON document_id = id
             WHERE id = $1 AND person_id = $2 AND prefecture = $3 AND removed_at IS NULL"
        );
        let Some(row) = query_opt(&self.client().await?, &sql, &[&id.0, &person.0, &&*self.prefecture]).await? else {
            return Ok(None);
        };
        Ok(Some((document_from_row(&row)?, row.try_get(14).map_err(db_err)?)))
    }
}
