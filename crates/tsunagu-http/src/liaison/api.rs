//! The coordinators' roster in the JSON API: the caller's agency's coordinators, one added and one
//! changed on its version, under the `events` scope (the 10-2 program's liaison work, as its
//! liaison meetings are).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::liaison::{Coordinator, CoordinatorId, CoordinatorInput};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id};
use crate::persons::api::CreatedDto;
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{EventsReader, EventsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_coordinators, record_coordinator)).routes(routes!(update_coordinator))
}

/// A medical-liaison coordinator of program 10-2.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoordinatorDto {
    id: uuid::Uuid,
    agency_id: uuid::Uuid,
    coordinator_name: String,
    serves_since: String,
    serves_until: Option<String>,
    /// The medical institutions they work with (ids in the directory).
    institutions: Vec<uuid::Uuid>,
    coordinator_note: String,
    version: i64,
}

fn dto(c: &Coordinator) -> CoordinatorDto {
    let f = &c.fields;
    CoordinatorDto {
        id: c.id.0,
        agency_id: c.agency.0,
        coordinator_name: f.name.clone(),
        serves_since: f.since.to_string(),
        serves_until: f.until.map(|d| d.to_string()),
        institutions: f.institutions.iter().map(|i| i.0).collect(),
        coordinator_note: f.note.clone(),
        version: c.version,
    }
}

/// The caller's agency's coordinators, the latest to begin first (staff who hold cases).
#[utoipa::path(get, path = "/api/v1/coordinators", tag = "events", operation_id = "list_coordinators",
    responses((status = 200, body = [CoordinatorDto]), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_coordinators(
    State(state): State<AppState>,
    lang: Lang,
    EventsReader(actor): EventsReader,
) -> ApiResult<Json<Vec<CoordinatorDto>>> {
    let lines = state.app.agency_coordinators(&actor).await.map_err(app_err(lang))?;
    Ok(Json(lines.iter().map(|l| dto(&l.coordinator)).collect()))
}

/// A coordinator as sent. Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CoordinatorInputDto {
    #[serde(default)]
    #[schema(required, max_length = 100)]
    coordinator_name: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    serves_since: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    serves_until: String,
    /// Medical institutions of the directory (422 `not_a_medical_institution` for another agency).
    #[serde(default)]
    institutions: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    coordinator_note: String,
    /// When changing one: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl CoordinatorInputDto {
    fn input(self) -> (CoordinatorInput, Option<i64>) {
        let input = CoordinatorInput {
            coordinator_name: self.coordinator_name,
            serves_since: self.serves_since,
            serves_until: self.serves_until,
            institutions: self.institutions,
            coordinator_note: self.coordinator_note,
        };
        (input, self.version)
    }
}

/// Add a coordinator to the caller's agency's roster.
#[utoipa::path(post, path = "/api/v1/coordinators", tag = "events", operation_id = "record_coordinator",
    request_body = CoordinatorInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn record_coordinator(
    State(state): State<AppState>,
    lang: Lang,
    EventsWriter(actor): EventsWriter,
    Json(d): Json<CoordinatorInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let (input, _) = d.input();
    let id = state.app.record_coordinator(&actor, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: id.0 })))
}

/// Change a coordinator of the caller's agency from the `version` read (422
/// `coordinator_changed` when someone changed them since).
#[utoipa::path(put, path = "/api/v1/coordinators/{id}", tag = "events", operation_id = "update_coordinator",
    params(("id" = Uuid, Path, description = "Coordinator id")),
    request_body = CoordinatorInputDto,
    responses((status = 200, body = CoordinatorDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_coordinator(
    State(state): State<AppState>,
    lang: Lang,
    EventsWriter(actor): EventsWriter,
    Path(id): Path<String>,
    Json(d): Json<CoordinatorInputDto>,
) -> ApiResult<Json<CoordinatorDto>> {
    let id = CoordinatorId(parse_id(lang, &id)?);
    // Whose coordinator it is comes before what was sent.
    state.app.coordinator(&actor, id).await.map_err(app_err(lang))?;
    let (input, version) = d.input();
    let version = crate::api::required_version(lang, version)?;
    state.app.edit_coordinator(&actor, id, &input, version).await.map_err(app_err(lang))?;
    let coordinator = state.app.coordinator(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&coordinator)))
}
