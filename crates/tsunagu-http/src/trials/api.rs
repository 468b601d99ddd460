//! Trial employment in the JSON API: a person's trials (read, record), a trial with its weeks
//! (read, change on its version), the hours of a week, and Hello Work's grant decisions.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::trial::{
    GrantInput, MAX_RISES, Ramp, Trial, TrialCourse, TrialId, TrialInput, TrialOutcome, TrialWeek, WeekInput,
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
        .routes(routes!(list_trials, record_trial))
        .routes(routes!(get_trial, update_trial))
        .routes(routes!(log_week))
        .routes(routes!(record_grant))
}

/// Weekly hours planned from a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoursStepDto {
    from: String,
    minutes_a_week: u16,
}

/// The hours worked in a week, beside those planned.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrialWeekDto {
    /// The week's Monday.
    week_of: String,
    minutes_worked: u16,
    minutes_planned: u16,
}

/// A grant decided (支給決定).
#[derive(Debug, Serialize, ToSchema)]
pub struct GrantDto {
    decided_on: String,
    months: u8,
    amount_yen: u32,
}

/// A trial employment (トライアル雇用) with its weeks.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrialDto {
    id: uuid::Uuid,
    person_id: uuid::Uuid,
    agency_id: uuid::Uuid,
    employer_id: uuid::Uuid,
    #[schema(schema_with = course)]
    course: &'static str,
    job: String,
    starts_on: String,
    planned_until: String,
    /// From the start, then each planned rise.
    weekly_hours: Vec<HoursStepDto>,
    /// The day the plan reaches 20 hours a week, if it does.
    reaches_regular_on: Option<String>,
    trial_ended_on: Option<String>,
    #[schema(schema_with = outcome)]
    outcome: Option<&'static str>,
    outcome_note: String,
    grants: Vec<GrantDto>,
    /// In order.
    weeks: Vec<TrialWeekDto>,
    /// The latest logged weeks in a row that fell short of the plan (0: on plan).
    weeks_behind: usize,
    /// Weeks begun before this one with no hours logged.
    weeks_unlogged: usize,
    version: i64,
}

fn course() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("障害者トライアルコース (standard) or 障害者短時間トライアルコース (short_time)."))
        .enum_values(Some(TrialCourse::ALL.map(TrialCourse::code)))
        .into()
}

fn outcome() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("常用雇用へ移行 (hired) or not (not_hired); none while it runs."))
        .enum_values(Some(TrialOutcome::ALL.map(TrialOutcome::code)))
        .into()
}

fn trial_dto(t: &Trial, weeks: &[TrialWeek], ramp: Ramp) -> TrialDto {
    let f = &t.fields;
    TrialDto {
        id: t.id.0,
        person_id: t.person.0,
        agency_id: t.agency.0,
        employer_id: f.employer.0,
        course: f.course.code(),
        job: f.job.clone(),
        starts_on: f.starts_on.to_string(),
        planned_until: f.planned_until.to_string(),
        weekly_hours: f
            .steps
            .iter()
            .map(|s| HoursStepDto { from: s.from.to_string(), minutes_a_week: s.minutes })
            .collect(),
        reaches_regular_on: t.reaches_regular_on().map(|d| d.to_string()),
        trial_ended_on: f.ended_on.map(|d| d.to_string()),
        outcome: f.outcome.map(TrialOutcome::code),
        outcome_note: f.outcome_note.clone(),
        grants: f
            .grants
            .iter()
            .map(|g| GrantDto { decided_on: g.decided_on.to_string(), months: g.months, amount_yen: g.amount_yen })
            .collect(),
        weeks: weeks
            .iter()
            .filter(|w| w.trial == t.id)
            .map(|w| TrialWeekDto {
                week_of: w.week_of.to_string(),
                minutes_worked: w.minutes,
                minutes_planned: t.planned_minutes(w.week_of),
            })
            .collect(),
        weeks_behind: ramp.behind,
        weeks_unlogged: ramp.unlogged,
        version: t.version,
    }
}

/// A trial with its weeks, on the person's record (audited).
#[utoipa::path(get, path = "/api/v1/trials/{id}", tag = "persons", operation_id = "get_trial",
    params(("id" = Uuid, Path, description = "Trial id")),
    responses((status = 200, body = TrialDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_trial(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<TrialDto>> {
    let id = TrialId(parse_id(lang, &id)?);
    let view = state.app.trial_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(trial_dto(&view.trial, &view.weeks, view.ramp)))
}

/// The person's trials with their weeks, the latest start first, on the person's record
/// (audited).
#[utoipa::path(get, path = "/api/v1/persons/{id}/trials", tag = "persons", operation_id = "list_trials",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = [TrialDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_trials(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<TrialDto>>> {
    let id = PersonId(parse_id(lang, &id)?);
    let read = state.app.person_trials(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(read.trials.iter().map(|l| trial_dto(&l.trial, &l.weeks, l.ramp)).collect()))
}

/// A trial as sent, with the form's field names, so that a 422 names the field sent. Fields left
/// out read as empty, and the answer names each one that is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TrialInputDto {
    /// The employer's 法人番号 (13 digits).
    #[serde(default)]
    #[schema(required, max_length = 20)]
    corporate_number: String,
    #[serde(default)]
    #[schema(required, schema_with = course)]
    course: String,
    /// 仕事内容.
    #[serde(default)]
    #[schema(required, max_length = 200)]
    job: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    starts_on: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    planned_until: String,
    /// Weekly hours at the start (18, 17.5, 17:30): 10 to under 20 on the short-time course, 20
    /// or more on the standard one.
    #[serde(default)]
    #[schema(required, max_length = 10)]
    start_hours: String,
    /// Up to three planned rises, each a day…
    #[serde(default)]
    #[schema(max_items = 3)]
    rise_on: Vec<String>,
    /// …and the weekly hours from then, in the same order.
    #[serde(default)]
    #[schema(max_items = 3)]
    rise_hours: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 20)]
    trial_ended_on: String,
    #[serde(default)]
    #[schema(schema_with = outcome)]
    outcome: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    outcome_note: String,
    /// When changing it: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl TrialInputDto {
    fn input(self, lang: Lang) -> ApiResult<(TrialInput, String, Option<i64>)> {
        if self.rise_on.len() > MAX_RISES || self.rise_hours.len() > MAX_RISES {
            let mut p = tsunagu_domain::Problems::new();
            p.push(tsunagu_domain::Problem { field: "rise_on", code: "too_many", limit: Some(MAX_RISES as u32) });
            return Err(crate::web::error::ApiError::invalid(lang, &p));
        }
        let mut rise_on: [String; MAX_RISES] = Default::default();
        let mut rise_hours: [String; MAX_RISES] = Default::default();
        for (slot, value) in rise_on.iter_mut().zip(self.rise_on) {
            *slot = value;
        }
        for (slot, value) in rise_hours.iter_mut().zip(self.rise_hours) {
            *slot = value;
        }
        let input = TrialInput {
            course: self.course,
            job: self.job,
            starts_on: self.starts_on,
            planned_until: self.planned_until,
            start_hours: self.start_hours,
            rise_on,
            rise_hours,
            trial_ended_on: self.trial_ended_on,
            outcome: self.outcome,
            outcome_note: self.outcome_note,
        };
        Ok((input, self.corporate_number, self.version))
    }
}

/// Record a trial of the person, arranged by the caller's agency: staff who may write the
/// person's support data. The short-time course is for a person with a mental or developmental
/// disability (422 `short_time_not_eligible`), starts at 10 to under 20 hours a week (422
/// `short_time_start_range`) and is planned to reach 20 (422 `short_time_never_regular`).
#[utoipa::path(post, path = "/api/v1/persons/{id}/trials", tag = "persons", operation_id = "record_trial",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = TrialInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn record_trial(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<TrialInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let (input, corporate_number, _) = d.input(lang)?;
    let trial = state.app.open_trial(&actor, id, &input, &corporate_number).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: trial.0 })))
}

/// Change a trial's plan, or record how it ended, from the `version` read (422 `trial_changed`
/// when someone changed it since). Staff of the trial's agency.
#[utoipa::path(put, path = "/api/v1/trials/{id}", tag = "persons", operation_id = "update_trial",
    params(("id" = Uuid, Path, description = "Trial id")),
    request_body = TrialInputDto,
    responses((status = 200, body = TrialDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_trial(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<TrialInputDto>,
) -> ApiResult<Json<TrialDto>> {
    let id = TrialId(parse_id(lang, &id)?);
    let (input, corporate_number, version) = d.input(lang)?;
    let version = crate::api::required_version(lang, version)?;
    state.app.edit_trial(&actor, id, &input, &corporate_number, version).await.map_err(app_err(lang))?;
    let view = state.app.trial_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(trial_dto(&view.trial, &view.weeks, view.ramp)))
}

/// A week's hours as sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WeekInputDto {
    /// A day of the week (its Monday is kept).
    #[serde(default)]
    #[schema(required, max_length = 20)]
    week_of: String,
    /// Hours worked (18, 17.5, 17:30), at most 60.
    #[serde(default)]
    #[schema(required, max_length = 10)]
    worked_hours: String,
}

/// Log the hours worked in a week of the trial, from the employer's timesheet; a second log of
/// the week replaces the first. A week of the trial that has begun (422 `outside_trial`,
/// `week_not_begun`). Staff of the trial's agency.
#[utoipa::path(post, path = "/api/v1/trials/{id}/weeks", tag = "persons", operation_id = "log_trial_week",
    params(("id" = Uuid, Path, description = "Trial id")),
    request_body = WeekInputDto,
    responses((status = 200, body = TrialDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn log_week(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<WeekInputDto>,
) -> ApiResult<Json<TrialDto>> {
    let id = TrialId(parse_id(lang, &id)?);
    let input = WeekInput { week_of: d.week_of, worked_hours: d.worked_hours };
    state.app.log_trial_week(&actor, id, &input).await.map_err(app_err(lang))?;
    let view = state.app.trial_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(trial_dto(&view.trial, &view.weeks, view.ramp)))
}

/// A grant decision as sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct GrantInputDto {
    #[serde(default)]
    #[schema(required, max_length = 20)]
    decided_on: String,
    /// The months it pays for: with those decided before, at most the course's (3 or 6 on the
    /// standard course, 12 on the short-time one).
    #[serde(default)]
    #[schema(required, max_length = 2)]
    grant_months: String,
    /// Yen (120000, 120,000円), at most the course's monthly amount times the months.
    #[serde(default)]
    #[schema(required, max_length = 20)]
    grant_amount: String,
    /// The trial's `version` read.
    #[serde(default)]
    version: Option<i64>,
}

/// Record a grant decided for the trial (支給決定): Hello Work staff who may write the person's
/// support data, from the trial's `version` read.
#[utoipa::path(post, path = "/api/v1/trials/{id}/grants", tag = "persons", operation_id = "record_trial_grant",
    params(("id" = Uuid, Path, description = "Trial id")),
    request_body = GrantInputDto,
    responses((status = 200, body = TrialDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn record_grant(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<GrantInputDto>,
) -> ApiResult<Json<TrialDto>> {
    let id = TrialId(parse_id(lang, &id)?);
    let input = GrantInput { decided_on: d.decided_on, grant_months: d.grant_months, grant_amount: d.grant_amount };
    state.app.record_grant(&actor, id, &input, d.version).await.map_err(app_err(lang))?;
    let view = state.app.trial_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(trial_dto(&view.trial, &view.weeks, view.ramp)))
}
