//! Job coaching in the JSON API: a dispatch with its days, and logging a day — what a coach's
//! phone sends from the workplace.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::coaching::{Activity, DayInput, DispatchId};
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
    OpenApiRouter::new().routes(routes!(get_dispatch)).routes(routes!(log_day))
}

/// A phase as planned.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhaseDto {
    /// `intensive`, `transition` or `follow_up`.
    phase: &'static str,
    /// Its last day.
    until: String,
    visits_a_month: u8,
}

/// A day a coach worked.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoachDayDto {
    id: uuid::Uuid,
    coach: uuid::Uuid,
    worked_on: String,
    minutes: u16,
    #[schema(schema_with = activities)]
    activities: Vec<&'static str>,
    day_note: String,
}

/// A dispatch (支援計画) with its days.
#[derive(Debug, Serialize, ToSchema)]
pub struct DispatchDto {
    id: uuid::Uuid,
    person_id: uuid::Uuid,
    agency_id: uuid::Uuid,
    employer_id: uuid::Uuid,
    coaches: Vec<uuid::Uuid>,
    starts_on: String,
    phases: Vec<PhaseDto>,
    person_agreed_on: Option<String>,
    employer_agreed_on: Option<String>,
    goals: String,
    /// The phase today, if it runs (`intensive`, `transition`, `follow_up`).
    phase_now: Option<&'static str>,
    support_ended_on: Option<String>,
    /// The latest first.
    days: Vec<CoachDayDto>,
    version: i64,
}

fn activities() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .description(Some("What was done, by code."))
        .items(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(Activity::ALL.map(Activity::code))))
        .into()
}

/// A dispatch with its days, on the person's record (audited).
#[utoipa::path(get, path = "/api/v1/dispatches/{id}", tag = "persons", operation_id = "get_dispatch",
    params(("id" = Uuid, Path, description = "Dispatch id")),
    responses((status = 200, body = DispatchDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_dispatch(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<DispatchDto>> {
    let id = DispatchId(parse_id(lang, &id)?);
    let view = state.app.dispatch_view(&actor, id).await.map_err(app_err(lang))?;
    let d = view.dispatch;
    let f = d.fields.clone();
    let today = state.app.today();
    Ok(Json(DispatchDto {
        id: d.id.0,
        person_id: d.person.0,
        agency_id: d.agency.0,
        employer_id: f.employer.0,
        coaches: f.coaches.iter().map(|c| c.0).collect(),
        starts_on: f.starts_on.to_string(),
        phases: tsunagu_domain::coaching::Phase::ALL
            .iter()
            .zip(f.phases)
            .map(|(phase, plan)| PhaseDto {
                phase: phase.code(),
                until: plan.until.to_string(),
                visits_a_month: plan.visits_a_month,
            })
            .collect(),
        person_agreed_on: f.person_agreed_on.map(|d| d.to_string()),
        employer_agreed_on: f.employer_agreed_on.map(|d| d.to_string()),
        goals: f.goals.clone(),
        phase_now: d.phase_on(today).map(tsunagu_domain::coaching::Phase::code),
        support_ended_on: f.ended_on.map(|d| d.to_string()),
        days: view
            .days
            .iter()
            .map(|day| CoachDayDto {
                id: day.id.0,
                coach: day.coach.0,
                worked_on: day.on.to_string(),
                minutes: day.minutes,
                activities: day.activities.iter().map(|a| a.code()).collect(),
                day_note: day.note.clone(),
            })
            .collect(),
        version: d.version,
    }))
}

/// A day as sent. Fields left out read as empty, and the answer names each one that is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DayInputDto {
    /// The coach's id: one of the dispatch's coaches.
    #[serde(default)]
    #[schema(required, max_length = 36)]
    coach: String,
    /// The day, as offices write it (2026-12-07, 令和8年12月7日).
    #[serde(default)]
    #[schema(required, max_length = 20)]
    worked_on: String,
    /// Minutes (150), or hours and minutes (2:30, 2時間30分); at most 12 hours a day, all cases
    /// together.
    #[serde(default)]
    #[schema(required, max_length = 10)]
    duration: String,
    #[serde(default)]
    #[schema(schema_with = activities)]
    activities: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    day_note: String,
}

/// Log a day a coach of the dispatch worked on it: within the dispatch and agreed by both the
/// person and the employer (422 `plan_not_agreed`), once per coach and day (422
/// `day_already_logged`), at most 12 hours a day for the coach (422 `day_over_limit`).
#[utoipa::path(post, path = "/api/v1/dispatches/{id}/days", tag = "persons", operation_id = "log_coach_day",
    params(("id" = Uuid, Path, description = "Dispatch id")),
    request_body = DayInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn log_day(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<DayInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = DispatchId(parse_id(lang, &id)?);
    let input = DayInput {
        coach: d.coach,
        worked_on: d.worked_on,
        duration: d.duration,
        activities: d.activities,
        day_note: d.day_note,
    };
    let day = state.app.log_coach_day(&actor, id, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: day.0 })))
}
