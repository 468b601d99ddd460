//! A person's placements in the JSON API: read them, record one (moving the journey to 就職),
//! record its end (moving it to 離職).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::journey::Stage;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::placement::{EndInput, PlacementId, PlacementInput};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id, schema};
use crate::persons::api::CreatedDto;
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{PersonsReader, PersonsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_placements, record_placement)).routes(routes!(end_placement))
}

/// A placement.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementDto {
    id: Uuid,
    employer_id: Uuid,
    employer_name: String,
    opening_id: Option<Uuid>,
    job_title: String,
    /// The first day of work.
    starts_on: String,
    hours_per_week: u8,
    #[schema(schema_with = schema::employment_kind)]
    kind: &'static str,
    /// The last day of work, once it ended.
    ended_on: Option<String>,
    end_reason: Option<&'static str>,
    end_note: Option<String>,
    /// Send it back to end the placement.
    version: i64,
}

/// A person's placements and where their journey stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementsDto {
    /// The current stage code, if any (send it back as `current`).
    stage: Option<&'static str>,
    /// The latest start first.
    placements: Vec<PlacementDto>,
}

/// The person's placements (就職), the latest start first.
#[utoipa::path(get, path = "/api/v1/persons/{id}/placements", tag = "persons", operation_id = "list_placements",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = PlacementsDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_placements(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<PlacementsDto>> {
    let id = PersonId(parse_id(lang, &id)?);
    let read = state.app.person_placements(&actor, id).await.map_err(app_err(lang))?;
    let placements = read
        .placements
        .into_iter()
        .map(|v| {
            let p = v.placement;
            let f = p.fields;
            PlacementDto {
                id: p.id.0,
                employer_id: f.employer.0,
                employer_name: v.employer_name,
                opening_id: f.opening.map(|o| o.0),
                job_title: f.job_title,
                starts_on: f.starts_on.to_string(),
                hours_per_week: f.hours,
                kind: f.kind.code(),
                ended_on: p.end.as_ref().map(|e| e.ended_on.to_string()),
                end_reason: p.end.as_ref().map(|e| e.reason.code()),
                end_note: p.end.map(|e| e.note),
                version: p.version,
            }
        })
        .collect();
    Ok(Json(PlacementsDto { stage: read.stage.map(Stage::code), placements }))
}

/// A job to record. Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PlacementInputDto {
    #[serde(default)]
    #[schema(required, schema_with = schema::corporate_number)]
    corporate_number: String,
    /// The opening's id, if the job came through one of the employer's openings.
    #[serde(default)]
    #[schema(max_length = 36)]
    opening: String,
    /// 職種.
    #[serde(default)]
    #[schema(max_length = 100)]
    job_title: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::job_date)]
    hired_on: String,
    /// Hours a week, 1–40.
    #[serde(default)]
    #[schema(required, pattern = r"^[0-9]{1,2}$")]
    weekly_hours: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::employment_kind)]
    employment_kind: String,
    #[serde(default)]
    #[schema(schema_with = schema::current_stage)]
    current: Option<String>,
}

/// Record that the person was hired, as the caller's agency: the journey moves to 就職 and the
/// retention follow-ups are scheduled in the same write. One job at a time: a job still held
/// answers 422 `placement_still_open`.
#[utoipa::path(post, path = "/api/v1/persons/{id}/placements", tag = "persons", operation_id = "record_placement",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = PlacementInputDto,
    responses((status = 201, body = CreatedDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn record_placement(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<PlacementInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let current = d.current.as_deref().and_then(Stage::parse);
    let input = PlacementInput {
        corporate_number: d.corporate_number,
        opening: d.opening,
        job_title: d.job_title,
        hired_on: d.hired_on,
        weekly_hours: d.weekly_hours,
        employment_kind: d.employment_kind,
    };
    let placement = state.app.record_placement(&actor, id, &input, current).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: placement.0 })))
}

/// How a job ended. Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EndInputDto {
    #[serde(default)]
    #[schema(required, schema_with = schema::job_date)]
    ended_on: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::end_reason)]
    end_reason: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    end_note: String,
    /// The placement's version as read; another version answers 409.
    #[serde(default)]
    #[schema(required)]
    version: i64,
}

/// Record that the job ended: if the journey stands at a stage of holding a job, it moves to
/// 離職 and the follow-ups still open close, in the same write.
#[utoipa::path(post, path = "/api/v1/persons/{id}/placements/{placement}/end", tag = "persons",
    operation_id = "end_placement",
    params(("id" = Uuid, Path, description = "Person id"), ("placement" = Uuid, Path, description = "Placement id")),
    request_body = EndInputDto,
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn end_placement(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path((id, placement)): Path<(String, String)>,
    Json(d): Json<EndInputDto>,
) -> ApiResult<StatusCode> {
    let id = PersonId(parse_id(lang, &id)?);
    let placement = PlacementId(parse_id(lang, &placement)?);
    let input = EndInput { ended_on: d.ended_on, end_reason: d.end_reason, end_note: d.end_note };
    state.app.end_placement(&actor, id, placement, &input, d.version).await.map_err(app_err(lang))?;
    Ok(StatusCode::NO_CONTENT)
}
