//! A person's job-search conditions (希望条件) in the JSON API: read them, record or change them.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use tsunagu_app::preferences::PersonPreferences;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::preferences::PreferencesInput;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id, schema};
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{PersonsReader, PersonsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_preferences, put_preferences))
}

/// A person's job-search conditions.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreferencesDto {
    /// Municipalities they can commute to; empty: anywhere.
    #[schema(schema_with = schema::municipality_codes)]
    areas: Vec<String>,
    /// Accommodations they need, by code.
    #[schema(schema_with = schema::accommodations)]
    needs: Vec<String>,
    /// In their words.
    preference_note: String,
    /// 希望勤務時間, hours a week, from the person's record.
    preferred_hours: Option<u8>,
    /// Send it back to change them; none while nothing is recorded.
    version: Option<i64>,
    /// When they were last written (RFC 3339); none while nothing is recorded.
    updated_at: Option<String>,
}

fn dto(read: PersonPreferences) -> PreferencesDto {
    let stored = read.preferences;
    let fields = stored.as_ref().map(|p| p.fields.clone()).unwrap_or_default();
    PreferencesDto {
        areas: fields.areas.iter().map(|a| a.as_str().to_owned()).collect(),
        needs: fields.needs.iter().map(|n| n.code().to_owned()).collect(),
        preference_note: fields.note.unwrap_or_default(),
        preferred_hours: read.preferred_hours,
        version: stored.as_ref().map(|p| p.version),
        updated_at: stored.and_then(|p| p.updated_at.format(&time::format_description::well_known::Rfc3339).ok()),
    }
}

/// The person's job-search conditions (empty, with no version, while none are recorded). The
/// read is on the person's record and audited.
#[utoipa::path(get, path = "/api/v1/persons/{id}/preferences", tag = "persons", operation_id = "get_preferences",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = PreferencesDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_preferences(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<PreferencesDto>> {
    let id = PersonId(parse_id(lang, &id)?);
    let read = state.app.person_preferences(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(read)))
}

/// The conditions as sent. Fields left out read as empty.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PreferencesInputDto {
    /// Municipalities they can commute to; empty: anywhere.
    #[serde(default)]
    #[schema(schema_with = schema::municipality_codes)]
    areas: Vec<String>,
    /// Accommodations needed, by code.
    #[serde(default)]
    #[schema(schema_with = schema::accommodations)]
    needs: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 400)]
    preference_note: String,
    /// The `version` read; none to record the first conditions.
    #[serde(default)]
    version: Option<i64>,
}

/// Record the person's job-search conditions, or change them from the `version` read (422
/// `preferences_changed` when someone changed them since, or recorded them first).
#[utoipa::path(put, path = "/api/v1/persons/{id}/preferences", tag = "persons", operation_id = "put_preferences",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = PreferencesInputDto,
    responses((status = 200, body = PreferencesDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn put_preferences(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<PreferencesInputDto>,
) -> ApiResult<Json<PreferencesDto>> {
    let id = PersonId(parse_id(lang, &id)?);
    let input = PreferencesInput { areas: d.areas, needs: d.needs, note: d.preference_note };
    state.app.record_preferences(&actor, id, &input, d.version).await.map_err(app_err(lang))?;
    let read = state.app.person_preferences(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(read)))
}
