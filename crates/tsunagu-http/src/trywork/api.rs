//! The トライワークプロジェクト in the JSON API: a person's participations (read, record) and a
//! participation changed on its version, under the persons scopes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::trywork::{
    Participation, ParticipationId, ParticipationInput, TryWorkCourse, TryWorkOutcome, TryWorkTrack,
};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id};
use crate::persons::api::CreatedDto;
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{PersonsReader, PersonsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_participations, record_participation))
        .routes(routes!(update_participation))
}

/// A participation in the トライワークプロジェクト.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipationDto {
    id: uuid::Uuid,
    person_id: uuid::Uuid,
    agency_id: uuid::Uuid,
    #[schema(schema_with = course)]
    trywork_course: &'static str,
    #[schema(schema_with = track)]
    track: &'static str,
    starts_on: String,
    planned_until: String,
    trywork_ended_on: Option<String>,
    #[schema(schema_with = outcome)]
    trywork_outcome: Option<&'static str>,
    trywork_note: String,
    version: i64,
}

fn enumerated(description: &'static str, values: &[&'static str]) -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values.to_vec()))
        .into()
}

fn course() -> utoipa::openapi::schema::Schema {
    enumerated(
        "リターンワークコース (return_work) or ワークトレーニングコース (work_training).",
        &TryWorkCourse::ALL.map(TryWorkCourse::code),
    )
}

fn track() -> utoipa::openapi::schema::Schema {
    enumerated(
        "主にうつ病 (depression), 主に統合失調症 (schizophrenia) or 主に自閉スペクトラム症 (autism).",
        &TryWorkTrack::ALL.map(TryWorkTrack::code),
    )
}

fn outcome() -> utoipa::openapi::schema::Schema {
    enumerated(
        "修了 (completed) or 途中で終了 (withdrew); none while it runs.",
        &TryWorkOutcome::ALL.map(TryWorkOutcome::code),
    )
}

fn dto(p: &Participation) -> ParticipationDto {
    let f = &p.fields;
    ParticipationDto {
        id: p.id.0,
        person_id: p.person.0,
        agency_id: p.agency.0,
        trywork_course: f.course.code(),
        track: f.track.code(),
        starts_on: f.starts_on.to_string(),
        planned_until: f.planned_until.to_string(),
        trywork_ended_on: f.ended_on.map(|d| d.to_string()),
        trywork_outcome: f.outcome.map(TryWorkOutcome::code),
        trywork_note: f.note.clone(),
        version: p.version,
    }
}

/// The person's participations in the トライワークプロジェクト, the latest first, on the person's
/// record (audited).
#[utoipa::path(get, path = "/api/v1/persons/{id}/trywork", tag = "persons", operation_id = "list_trywork",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = [ParticipationDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_participations(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ParticipationDto>>> {
    let id = PersonId(parse_id(lang, &id)?);
    let read = state.app.person_trywork(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(read.participations.iter().map(dto).collect()))
}

/// A participation as sent. Fields left out read as empty, and the answer names each one that
/// is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ParticipationInputDto {
    #[serde(default)]
    #[schema(required, schema_with = course)]
    trywork_course: String,
    #[serde(default)]
    #[schema(required, schema_with = track)]
    track: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    starts_on: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    planned_until: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    trywork_ended_on: String,
    #[serde(default)]
    #[schema(schema_with = outcome)]
    trywork_outcome: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    trywork_note: String,
    /// When changing it: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl ParticipationInputDto {
    fn input(self) -> (ParticipationInput, Option<i64>) {
        let input = ParticipationInput {
            trywork_course: self.trywork_course,
            track: self.track,
            starts_on: self.starts_on,
            planned_until: self.planned_until,
            trywork_ended_on: self.trywork_ended_on,
            trywork_outcome: self.trywork_outcome,
            trywork_note: self.trywork_note,
        };
        (input, self.version)
    }
}

/// Record the person's participation in the トライワークプロジェクト, for the caller's agency: staff
/// who may write the person's support data. For a person with a mental or developmental
/// disability (422 `trywork_not_eligible`).
#[utoipa::path(post, path = "/api/v1/persons/{id}/trywork", tag = "persons", operation_id = "record_trywork",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = ParticipationInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn record_participation(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<ParticipationInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let (input, _) = d.input();
    let made = state.app.record_participation(&actor, id, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: made.0 })))
}

/// Change a participation — how it ended, most often — from the `version` read (422
/// `participation_changed` when someone changed it since). Staff of the agency that recorded it.
#[utoipa::path(put, path = "/api/v1/trywork/{id}", tag = "persons", operation_id = "update_trywork",
    params(("id" = Uuid, Path, description = "Participation id")),
    request_body = ParticipationInputDto,
    responses((status = 200, body = ParticipationDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_participation(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<ParticipationInputDto>,
) -> ApiResult<Json<ParticipationDto>> {
    let id = ParticipationId(parse_id(lang, &id)?);
    let (input, version) = d.input();
    let version = crate::api::required_version(lang, version)?;
    state.app.edit_participation(&actor, id, &input, version).await.map_err(app_err(lang))?;
    let view = state.app.participation_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view.participation)))
}
