//! The journey in the JSON API: the timeline, support records, stage changes, plans and their
//! reviews, follow-ups done.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::person::PersonId;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::i18n::Lang;
use crate::web::session::{PersonsReader, PersonsWriter};

use crate::api::{ApiResult, app_err, parse_id, schema};
use crate::persons::api::CreatedDto;

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_timeline))
        .routes(routes!(create_support_record))
        .routes(routes!(change_stage))
        .routes(routes!(create_plan))
        .routes(routes!(review_plan))
        .routes(routes!(complete_follow_up))
}

/// One event of a timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEventDto {
    /// `stage` or `support`.
    event: String,
    /// The day it happened.
    date: String,
    agency_id: Uuid,
    /// For `stage`: the stage code.
    stage: Option<String>,
    /// For `stage`: why.
    reason: Option<String>,
    /// For `support`: the kind code.
    kind: Option<String>,
    minutes: Option<u32>,
    staff_name: Option<String>,
    note: Option<String>,
    next_action: Option<String>,
    next_action_on: Option<String>,
}

/// A person's journey as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineDto {
    /// The current stage code, if any.
    stage: Option<String>,
    /// Newest first.
    events: Vec<TimelineEventDto>,
    /// Support records of other agencies not shown (no consent covers them).
    hidden: usize,
    /// Retention follow-ups, by due date.
    follow_ups: Vec<FollowUpDto>,
    /// Support plans with their reviews, newest first.
    plans: Vec<PlanDto>,
}

/// A retention follow-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpDto {
    id: Uuid,
    agency_id: Uuid,
    placed_on: String,
    due_on: String,
    done_on: Option<String>,
}

/// A support plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDto {
    id: Uuid,
    agency_id: Uuid,
    goal: String,
    actions: String,
    owner: String,
    /// The next review, while the plan is open.
    review_on: Option<String>,
    /// `achieved` or `ended` once the plan ended.
    outcome: Option<String>,
    reviews: Vec<PlanReviewDto>,
}

/// A review of a support plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanReviewDto {
    reviewed_on: String,
    note: String,
    /// `continue`, `revise`, `achieved` or `ended`.
    outcome: String,
    next_review_on: Option<String>,
}

/// The person's journey: stage changes and the support records the caller may see.
#[utoipa::path(get, path = "/api/v1/persons/{id}/timeline", tag = "persons", operation_id = "get_timeline",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = TimelineDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_timeline(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<TimelineDto>> {
    use tsunagu_app::journey::TimelineEvent;
    let id = PersonId(parse_id(lang, &id)?);
    let t = state.app.timeline(&actor, id).await.map_err(app_err(lang))?;
    let events = t
        .events
        .into_iter()
        .map(|e| match e {
            TimelineEvent::Stage(s) => TimelineEventDto {
                event: "stage".into(),
                date: s.on.to_string(),
                agency_id: s.agency.0,
                stage: Some(s.stage.code().to_owned()),
                reason: Some(s.reason),
                kind: None,
                minutes: None,
                staff_name: None,
                note: None,
                next_action: None,
                next_action_on: None,
            },
            TimelineEvent::Support(r) => TimelineEventDto {
                event: "support".into(),
                date: r.fields.date.to_string(),
                agency_id: r.agency.0,
                stage: None,
                reason: None,
                kind: Some(r.fields.kind.code().to_owned()),
                minutes: Some(r.fields.minutes),
                staff_name: Some(r.staff_name),
                note: Some(r.fields.note),
                next_action: r.fields.next_action,
                next_action_on: r.fields.next_action_on.map(|d| d.to_string()),
            },
        })
        .collect();
    let follow_ups = t
        .follow_ups
        .iter()
        .map(|f| FollowUpDto {
            id: f.id,
            agency_id: f.agency.0,
            placed_on: f.placed_on.to_string(),
            due_on: f.due_on.to_string(),
            done_on: f.done.map(|(on, _)| on.to_string()),
        })
        .collect();
    let plans = t
        .plans
        .iter()
        .map(|p| PlanDto {
            id: p.id,
            agency_id: p.agency.0,
            goal: p.fields.goal.clone(),
            actions: p.fields.actions.clone(),
            owner: p.fields.owner.clone(),
            review_on: p.review_on.map(|d| d.to_string()),
            outcome: p.outcome.map(|o| o.code().to_owned()),
            reviews: p
                .reviews
                .iter()
                .map(|r| PlanReviewDto {
                    reviewed_on: r.reviewed_on.to_string(),
                    note: r.fields.note.clone(),
                    outcome: r.fields.outcome.code().to_owned(),
                    next_review_on: r.fields.next_review_on.map(|d| d.to_string()),
                })
                .collect(),
        })
        .collect();
    Ok(Json(TimelineDto { stage: t.stage.map(|s| s.code().to_owned()), events, hidden: t.hidden, follow_ups, plans }))
}

/// A support record to write. Fields left out read as empty, and the answer names each one that
/// is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SupportInputDto {
    #[serde(default)]
    #[schema(required, schema_with = schema::support_kind)]
    kind: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::record_date)]
    date: String,
    /// Minutes spent, 1–720.
    #[serde(default)]
    #[schema(required, pattern = "^([1-9][0-9]?|[1-6][0-9]{2}|7[01][0-9]|720)$")]
    minutes: String,
    #[serde(default)]
    #[schema(required, max_length = 4000)]
    note: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    next_action: String,
    #[serde(default)]
    #[schema(schema_with = schema::next_action_on)]
    next_action_on: String,
}

/// Write a support record as the caller's agency.
#[utoipa::path(post, path = "/api/v1/persons/{id}/support-records", tag = "persons",
    operation_id = "create_support_record",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = SupportInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn create_support_record(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<SupportInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let input = tsunagu_domain::journey::SupportInput {
        kind: d.kind,
        date: d.date,
        minutes: d.minutes,
        note: d.note,
        next_action: d.next_action,
        next_action_on: d.next_action_on,
    };
    let record = state.app.add_support_record(&actor, id, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: record })))
}

/// A stage change. Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StageChangeDto {
    #[serde(default)]
    #[schema(required, schema_with = schema::stage)]
    stage: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::stage_date)]
    on: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    reason: String,
    #[serde(default)]
    #[schema(schema_with = schema::current_stage)]
    current: Option<String>,
}

/// Move the journey to a stage; a move the rules forbid answers 422 `transition_refused`, naming
/// the stages allowed next.
#[utoipa::path(post, path = "/api/v1/persons/{id}/stage", tag = "persons", operation_id = "change_stage",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = StageChangeDto,
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn change_stage(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<StageChangeDto>,
) -> ApiResult<StatusCode> {
    let id = PersonId(parse_id(lang, &id)?);
    let current = d.current.as_deref().and_then(tsunagu_domain::journey::Stage::parse);
    state.app.change_stage(&actor, id, &d.stage, &d.on, &d.reason, current).await.map_err(app_err(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A support plan to make. Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PlanInputDto {
    #[serde(default)]
    #[schema(required, max_length = 500)]
    goal: String,
    /// One per line.
    #[serde(default)]
    #[schema(required, max_length = 2000)]
    actions: String,
    #[serde(default)]
    #[schema(required, max_length = 100)]
    owner: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::review_on)]
    review_on: String,
}

/// Make a support plan as the caller's agency.
#[utoipa::path(post, path = "/api/v1/persons/{id}/plans", tag = "persons", operation_id = "create_plan",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = PlanInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn create_plan(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<PlanInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let input =
        tsunagu_domain::plan::PlanInput { goal: d.goal, actions: d.actions, owner: d.owner, review_on: d.review_on };
    let plan = state.app.create_plan(&actor, id, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: plan })))
}

/// A review of a support plan. Fields left out read as empty, and the answer names each one that
/// is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReviewInputDto {
    #[serde(default)]
    #[schema(required, max_length = 2000)]
    note: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::review_outcome)]
    outcome: String,
    #[serde(default)]
    #[schema(schema_with = schema::next_review_on)]
    next_review_on: String,
}

/// Record a review of an open support plan.
#[utoipa::path(post, path = "/api/v1/persons/{id}/plans/{plan}/review", tag = "persons", operation_id = "review_plan",
    params(("id" = Uuid, Path, description = "Person id"), ("plan" = Uuid, Path, description = "Plan id")),
    request_body = ReviewInputDto,
    responses((status = 204), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn review_plan(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path((id, plan)): Path<(String, String)>,
    Json(d): Json<ReviewInputDto>,
) -> ApiResult<StatusCode> {
    let id = PersonId(parse_id(lang, &id)?);
    let plan = parse_id(lang, &plan)?;
    let input =
        tsunagu_domain::plan::ReviewInput { note: d.note, outcome: d.outcome, next_review_on: d.next_review_on };
    state.app.review_plan(&actor, id, plan, &input).await.map_err(|e| match e {
        tsunagu_app::AppError::Invalid(p) => ApiError::invalid(lang, &p.renamed("review_note", "note")),
        other => ApiError::from_app(lang, other),
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark a retention follow-up done today.
#[utoipa::path(post, path = "/api/v1/persons/{id}/follow-ups/{follow_up}/done", tag = "persons",
    operation_id = "complete_follow_up",
    params(("id" = Uuid, Path, description = "Person id"), ("follow_up" = Uuid, Path, description = "Follow-up id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn complete_follow_up(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path((id, follow_up)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let id = PersonId(parse_id(lang, &id)?);
    let follow_up = parse_id(lang, &follow_up)?;
    state.app.complete_follow_up(&actor, id, follow_up, "").await.map_err(app_err(lang))?;
    Ok(StatusCode::NO_CONTENT)
}
