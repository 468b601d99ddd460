//! Casework imports in the JSON API: a persons file, a support-records file.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::PersonsWriter;

use crate::api::{ApiResult, app_err};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import_persons)).routes(routes!(import_support_records))
}

/// Options of a persons import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonImportParams {
    /// Register rows whose reading and birth date match a person elsewhere in the network as
    /// other persons, linked to those records (never merged). Without it such rows are refused.
    #[serde(default)]
    link_duplicates: bool,
}

/// What a persons import wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonImportDto {
    /// Persons registered, each with their consent and a case at the caller's agency.
    registered: usize,
    /// Of those, persons linked to a record with the same reading and birth date elsewhere.
    linked: usize,
    /// Retention follow-ups scheduled for persons imported as employed.
    follow_ups: usize,
}

/// Register the persons of a CSV (UTF-8 or Shift_JIS) or XLSX file sent as the request body,
/// each with the consent the row records, at the caller's agency; all rows or none. The columns
/// are those of `/persons/import/persons.csv`.
#[utoipa::path(post, path = "/api/v1/persons/import", tag = "persons", operation_id = "import_persons",
    params(PersonImportParams),
    request_body(description = "The file: CSV (UTF-8, with or without a BOM, or Shift_JIS) or XLSX; its type is read from its content.",
        content((String = "text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = PersonImportDto), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn import_persons(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Query(params): Query<PersonImportParams>,
    body: Bytes,
) -> ApiResult<Json<PersonImportDto>> {
    let o = state.app.import_persons(&actor, &body, params.link_duplicates).await.map_err(app_err(lang))?;
    Ok(Json(PersonImportDto { registered: o.registered, linked: o.linked, follow_ups: o.follow_ups }))
}

/// What a support-records import wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportImportDto {
    /// Support records added.
    records: usize,
    /// Persons they belong to.
    persons: usize,
}

/// Add the support records of a CSV or XLSX file sent as the request body, as written by the
/// caller's agency, for persons on its caseload; all rows or none. The columns are those of
/// `/persons/import/support-records.csv`.
#[utoipa::path(post, path = "/api/v1/support-records/import", tag = "persons",
    operation_id = "import_support_records",
    request_body(description = "The file: CSV (UTF-8, with or without a BOM, or Shift_JIS) or XLSX; its type is read from its content.",
        content((String = "text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = SupportImportDto), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn import_support_records(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    body: Bytes,
) -> ApiResult<Json<SupportImportDto>> {
    let o = state.app.import_support_records(&actor, &body).await.map_err(app_err(lang))?;
    Ok(Json(SupportImportDto { records: o.records, persons: o.persons }))
}
