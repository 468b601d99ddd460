//! Documents in the JSON API: a person's documents listed, one downloaded, one attached (the file
//! as the request body, its kind and title in the query).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tsunagu_domain::document::{DocumentId, DocumentInput};
use tsunagu_domain::person::PersonId;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id};
use crate::persons::api::CreatedDto;
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{PersonsReader, PersonsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_documents, attach_document)).routes(routes!(download_document))
}

/// A document attached to a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDto {
    id: Uuid,
    /// The agency that attached it.
    agency_id: Uuid,
    /// `consent_form`, `signed_plan`, `medical_letter`, `assessment_report` or `other`.
    kind: String,
    title: String,
    /// The name it downloads under.
    file_name: String,
    media_type: String,
    /// Bytes.
    size: u64,
    /// SHA-256 of the file, hex.
    sha256: String,
    /// The consent whose signed form it is.
    consent_id: Option<Uuid>,
    /// RFC 3339.
    uploaded_at: String,
}

/// List the person's documents the caller may see, oldest first (the read is audited).
#[utoipa::path(get, path = "/api/v1/persons/{id}/documents", tag = "persons", operation_id = "list_documents",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = Vec<DocumentDto>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_documents(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DocumentDto>>> {
    let id = PersonId(parse_id(lang, &id)?);
    let documents = state.app.documents(&actor, id).await.map_err(app_err(lang))?;
    let rfc3339 =
        |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    Ok(Json(
        documents
            .into_iter()
            .map(|v| {
                let d = v.document;
                DocumentDto {
                    id: d.id.0,
                    agency_id: d.agency.0,
                    kind: d.kind.code().into(),
                    title: d.title,
                    file_name: d.file_name,
                    media_type: d.file_type.media_type().into(),
                    size: d.size,
                    sha256: d.sha256,
                    consent_id: d.consent.map(|c| c.0),
                    uploaded_at: rfc3339(d.uploaded_at),
                }
            })
            .collect(),
    ))
}

/// What describes a file sent to be attached.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachParams {
    /// `consent_form`, `signed_plan`, `medical_letter`, `assessment_report` or `other`.
    #[serde(default)]
    kind: String,
    /// Its title (empty: the file's name).
    #[serde(default)]
    title: String,
    /// The file's name (its extension is replaced by the one of the type its content shows).
    #[serde(default)]
    file_name: String,
    /// For a consent form: the consent it records.
    #[serde(default)]
    consent_id: String,
}

/// Attach the request body (PDF, JPEG, PNG, TIFF, HEIC, .docx or .xlsx, at most 10 MB; the type
/// is read from the content) to the person, as the caller's agency.
#[utoipa::path(post, path = "/api/v1/persons/{id}/documents", tag = "persons", operation_id = "attach_document",
    params(("id" = Uuid, Path, description = "Person id"), AttachParams),
    request_body(description = "The file's bytes (PDF, JPEG, PNG, TIFF, HEIC, .docx or .xlsx; the type is read from the content), at most 10 MiB.",
        content(("application/octet-stream"))),
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn attach_document(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Query(params): Query<AttachParams>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let input = DocumentInput {
        kind: params.kind,
        title: params.title,
        consent: params.consent_id,
        file_name: params.file_name,
        content: &body,
    };
    let document = state.app.attach_document(&actor, id, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: document.0 })))
}

/// Download one document's file (the read is audited; a file that no longer matches its
/// checksum is refused with 500 `damaged`).
#[utoipa::path(get, path = "/api/v1/persons/{id}/documents/{document}", tag = "persons",
    operation_id = "download_document",
    params(("id" = Uuid, Path, description = "Person id"), ("document" = Uuid, Path, description = "Document id")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody), (status = 500, body = ErrorBody)))]
async fn download_document(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path((id, document)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = PersonId(parse_id(lang, &id)?);
    let document = DocumentId(parse_id(lang, &document)?);
    let (document, content) = state.app.download_document(&actor, id, document).await.map_err(app_err(lang))?;
    Ok(super::pages::file_response(&document, content))
}
