//! Job coaching in the JSON API: the agency's roster (read, add, edit on its version), a person's
//! dispatches (read, plan), a dispatch with its days (read, change on its version), and logging a
//! day — what a coach's phone sends from the workplace.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::coaching::{
    Activity, Coach, CoachId, CoachInput, CoachKind, DayInput, Dispatch, DispatchId, DispatchInput,
};
use tsunagu_domain::person::PersonId;
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
        .routes(routes!(list_coaches, create_coach))
        .routes(routes!(coach_totals))
        .routes(routes!(update_coach))
        .routes(routes!(list_dispatches, plan_dispatch))
        .routes(routes!(get_dispatch, update_dispatch))
        .routes(routes!(log_day))
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
    Ok(Json(dispatch_dto(&view.dispatch, &view.days, state.app.today())))
}

fn dispatch_dto(d: &Dispatch, days: &[tsunagu_domain::coaching::CoachDay], today: time::Date) -> DispatchDto {
    let f = &d.fields;
    DispatchDto {
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
        days: days
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
    }
}

/// A plan as sent, with the form's field names, so that a 422 names the field sent. Fields left
/// out read as empty, and the answer names each one that is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DispatchInputDto {
    /// The employer's 法人番号 (13 digits).
    #[serde(default)]
    #[schema(required, max_length = 20)]
    corporate_number: String,
    /// The coaches' ids: one to four of the agency's coaches active on the first day.
    #[serde(default)]
    #[schema(required)]
    coaches: Vec<String>,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    starts_on: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    intensive_until: String,
    /// Visits a month (0–31).
    #[serde(default)]
    #[schema(required, max_length = 2)]
    intensive_visits: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    transition_until: String,
    #[serde(default)]
    #[schema(required, max_length = 2)]
    transition_visits: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    follow_up_until: String,
    #[serde(default)]
    #[schema(required, max_length = 2)]
    follow_up_visits: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    person_agreed_on: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    employer_agreed_on: String,
    #[serde(default)]
    #[schema(required, max_length = 2000)]
    goals: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    transition_began_on: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    follow_up_began_on: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    support_ended_on: String,
    /// When changing it: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl DispatchInputDto {
    fn input(self) -> (DispatchInput, String, Option<i64>) {
        let plan = DispatchInput {
            coaches: self.coaches,
            starts_on: self.starts_on,
            intensive_until: self.intensive_until,
            intensive_visits: self.intensive_visits,
            transition_until: self.transition_until,
            transition_visits: self.transition_visits,
            follow_up_until: self.follow_up_until,
            follow_up_visits: self.follow_up_visits,
            person_agreed_on: self.person_agreed_on,
            employer_agreed_on: self.employer_agreed_on,
            goals: self.goals,
            transition_began_on: self.transition_began_on,
            follow_up_began_on: self.follow_up_began_on,
            support_ended_on: self.support_ended_on,
        };
        (plan, self.corporate_number, self.version)
    }
}

/// Change a dispatch's plan, or record how it moved on, from the `version` read (422
/// `dispatch_changed` when someone changed it since). Staff of the dispatch's agency.
#[utoipa::path(put, path = "/api/v1/dispatches/{id}", tag = "persons", operation_id = "update_dispatch",
    params(("id" = Uuid, Path, description = "Dispatch id")),
    request_body = DispatchInputDto,
    responses((status = 200, body = DispatchDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_dispatch(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<DispatchInputDto>,
) -> ApiResult<Json<DispatchDto>> {
    let id = DispatchId(parse_id(lang, &id)?);
    let (plan, corporate_number, version) = d.input();
    let version = crate::api::required_version(lang, version)?;
    state.app.edit_dispatch(&actor, id, &plan, &corporate_number, version).await.map_err(app_err(lang))?;
    let view = state.app.dispatch_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dispatch_dto(&view.dispatch, &view.days, state.app.today())))
}

/// The person's dispatches with their days, the latest start first, on the person's record
/// (audited).
#[utoipa::path(get, path = "/api/v1/persons/{id}/dispatches", tag = "persons", operation_id = "list_dispatches",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = [DispatchDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_dispatches(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DispatchDto>>> {
    let id = PersonId(parse_id(lang, &id)?);
    let read = state.app.person_coaching(&actor, id).await.map_err(app_err(lang))?;
    let today = state.app.today();
    Ok(Json(read.dispatches.iter().map(|(d, _, days)| dispatch_dto(d, days, today)).collect()))
}

/// Plan a dispatch of the caller's agency's coaches for the person: staff of an agency with
/// coaches who may write the person's support data.
#[utoipa::path(post, path = "/api/v1/persons/{id}/dispatches", tag = "persons", operation_id = "plan_dispatch",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = DispatchInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn plan_dispatch(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<DispatchInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let (plan, corporate_number, _) = d.input();
    let dispatch = state.app.open_dispatch(&actor, id, &plan, &corporate_number).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: dispatch.0 })))
}

/// A job coach on the agency's roster.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoachDto {
    id: uuid::Uuid,
    agency_id: uuid::Uuid,
    coach_name: String,
    #[schema(schema_with = coach_kind)]
    coach_kind: &'static str,
    active_from: String,
    /// Their last day, once they stopped.
    active_until: Option<String>,
    /// The coach is the account calling.
    mine: bool,
    /// Send it back to edit the coach.
    version: i64,
}

fn coach_kind() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("配置型 (placed), 訪問型 (visiting), 企業在籍型 (in_house) or 東京ジョブコーチ (tokyo)."))
        .enum_values(Some(CoachKind::ALL.map(CoachKind::code)))
        .into()
}

fn coach_dto(c: &Coach, me: tsunagu_domain::account::AccountId) -> CoachDto {
    CoachDto {
        id: c.id.0,
        agency_id: c.agency.0,
        coach_name: c.fields.name.clone(),
        coach_kind: c.fields.kind.code(),
        active_from: c.fields.active_from.to_string(),
        active_until: c.fields.active_until.map(|d| d.to_string()),
        mine: c.account == Some(me),
        version: c.version,
    }
}

/// The caller's agency's job coaches, by name (the agency's staff).
#[utoipa::path(get, path = "/api/v1/coaches", tag = "coaching", operation_id = "list_coaches",
    responses((status = 200, body = [CoachDto]), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_coaches(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
) -> ApiResult<Json<Vec<CoachDto>>> {
    let roster = state.app.roster(&actor).await.map_err(app_err(lang))?;
    Ok(Json(roster.iter().map(|c| coach_dto(c, actor.id)).collect()))
}

/// A coach as sent. Fields left out read as empty, and the answer names each one that is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CoachInputDto {
    #[serde(default)]
    #[schema(required, max_length = 100)]
    coach_name: String,
    #[serde(default)]
    #[schema(required, schema_with = coach_kind)]
    coach_kind: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    active_from: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    active_until: String,
    /// The coach is the account calling.
    #[serde(default)]
    mine: bool,
    /// When editing: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl CoachInputDto {
    fn input(&self) -> CoachInput {
        CoachInput {
            coach_name: self.coach_name.clone(),
            coach_kind: self.coach_kind.clone(),
            active_from: self.active_from.clone(),
            active_until: self.active_until.clone(),
        }
    }
}

/// Add a job coach to the caller's agency's roster.
#[utoipa::path(post, path = "/api/v1/coaches", tag = "coaching", operation_id = "create_coach",
    request_body = CoachInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn create_coach(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Json(d): Json<CoachInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = state.app.save_coach(&actor, None, &d.input(), None, d.mine).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: id.0 })))
}

/// Edit a job coach of the caller's agency from the `version` read (422 `coach_changed` when
/// someone changed it since).
#[utoipa::path(put, path = "/api/v1/coaches/{id}", tag = "coaching", operation_id = "update_coach",
    params(("id" = Uuid, Path, description = "Coach id")),
    request_body = CoachInputDto,
    responses((status = 200, body = CoachDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_coach(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<CoachInputDto>,
) -> ApiResult<Json<CoachDto>> {
    let id = CoachId(parse_id(lang, &id)?);
    // Another agency's coach, or none, is refused before the body is.
    state.app.coach(&actor, id).await.map_err(app_err(lang))?;
    let version = crate::api::required_version(lang, d.version)?;
    state.app.save_coach(&actor, Some(id), &d.input(), Some(version), d.mine).await.map_err(app_err(lang))?;
    let coach = state.app.coach(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(coach_dto(&coach, actor.id)))
}

/// What a coach worked in a fiscal year.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoachTotalsDto {
    id: uuid::Uuid,
    agency_id: uuid::Uuid,
    coach_name: String,
    #[schema(schema_with = coach_kind)]
    coach_kind: &'static str,
    /// Dispatches worked on.
    cases: usize,
    /// Days worked (a day on two cases is one).
    days: usize,
    /// Minutes worked.
    minutes: u32,
}

/// What each coach worked in a fiscal year, up to today: the caller's agency's coaches for its
/// staff, every coach for program managers and administrators (program 9-1). Counts only.
#[utoipa::path(get, path = "/api/v1/coaches/totals/{year}", tag = "coaching", operation_id = "coach_totals",
    params(("year" = i32, Path, minimum = 2000, maximum = 2100, description = "The fiscal year: the Gregorian year it starts in (2026 for 令和8年度)")),
    responses((status = 200, body = [CoachTotalsDto]), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn coach_totals(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(year): Path<String>,
) -> ApiResult<Json<Vec<CoachTotalsDto>>> {
    let year = tsunagu_domain::program::FiscalYear::parse(&year).map_err(|code| {
        let mut p = tsunagu_domain::Problems::new();
        p.add("year", code);
        crate::web::error::ApiError::invalid(lang, &p)
    })?;
    let totals = state.app.coach_year_totals(&actor, year).await.map_err(app_err(lang))?;
    Ok(Json(
        totals
            .iter()
            .map(|(c, t)| CoachTotalsDto {
                id: c.id.0,
                agency_id: c.agency.0,
                coach_name: c.fields.name.clone(),
                coach_kind: c.fields.kind.code(),
                cases: t.cases,
                days: t.days,
                minutes: t.minutes,
            })
            .collect(),
    ))
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
