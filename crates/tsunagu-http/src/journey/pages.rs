//! The journey page (`/persons/{id}/timeline`): the current stage and its change form, the
//! support-record form (kind, date, minutes, note, next action: entered in seconds, by keyboard
//! alone), and every stage change and support record the viewer may see, newest first.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::journey::{Timeline, TimelineEvent};
use tsunagu_domain::Problems;
use tsunagu_domain::journey::{Stage, SupportInput, SupportKind};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::plan::{Outcome, PlanInput, ReviewInput};
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::{CsrfOnly, Submitted};
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, date_text, field, milestone_text, render};

/// A line of the timeline.
struct EventRow {
    date: String,
    what: String,
    agency: String,
    who: String,
    detail: String,
    next: String,
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelinePage {
    layout: Layout,
    id: Uuid,
    /// 段階・年齢 under the heading.
    facts: String,
    /// What a printed copy says it is: the agency that printed it, and when.
    printed: String,
    notice: Option<String>,
    /// Shown on an emergency override: until when, read only.
    override_notice: Option<String>,
    stage_code: String,
    writable: bool,
    stage_errors: Vec<(String, String)>,
    next_stage: Field,
    next_stage_options: Vec<SelectOption>,
    stage_on: Field,
    stage_reason: Field,
    support_errors: Vec<(String, String)>,
    kind: Field,
    kind_options: Vec<SelectOption>,
    date: Field,
    minutes: Field,
    note: Field,
    next_action: Field,
    next_action_on: Field,
    events: Vec<EventRow>,
    hidden: String,
    follow_ups: Vec<FollowUpRow>,
    plans: Vec<PlanRow>,
    plan_errors: Vec<(String, String)>,
    goal: Field,
    actions: Field,
    owner: Field,
    review_on: Field,
    /// The plan whose review form came back with problems, and the form's fields.
    review_for: Option<Uuid>,
    review_errors: Vec<(String, String)>,
    review_note: Field,
    outcome: Field,
    outcome_options: Vec<SelectOption>,
    next_review_on: Field,
}

impl TimelinePage {
    /// True when the review form of plan `id` came back with problems.
    fn reviewing(&self, id: &Uuid) -> bool {
        self.review_for.as_ref() == Some(id)
    }
}

/// A plan as the journey page lists it.
struct PlanRow {
    id: Uuid,
    goal: String,
    actions: String,
    owner: String,
    state: String,
    open: bool,
    /// Review date, outcome, note.
    reviews: Vec<(String, String, String)>,
}

/// A retention follow-up as the journey page lists it.
struct FollowUpRow {
    id: Uuid,
    /// 就職から1か月.
    milestone: String,
    /// Its day.
    due: String,
    /// Done, closed, overdue or due, in words.
    state: String,
    overdue: bool,
    note: String,
    /// Neither done nor closed: it can be marked done.
    open: bool,
    /// Done: it can be undone.
    done: bool,
}

/// Flags a redirect leaves behind.
#[derive(Debug, serde::Deserialize)]
pub struct TimelineFlash {
    recorded: Option<String>,
    moved: Option<String>,
    followed: Option<String>,
    reopened: Option<String>,
    planned: Option<String>,
    reviewed: Option<String>,
}

/// What the forms hold when shown again.
#[derive(Default)]
struct Forms {
    support: SupportInput,
    support_problems: Problems,
    stage: String,
    stage_on: String,
    reason: String,
    stage_problems: Problems,
    stage_error: Option<String>,
    plan: PlanInput,
    plan_problems: Problems,
    review_for: Option<Uuid>,
    review: ReviewInput,
    review_problems: Problems,
}

pub(crate) fn stage_name(tr: Tr, stage: Option<Stage>) -> String {
    stage.map_or_else(|| tr.get("stage-none"), |s| tr.get(&format!("stage-{}", s.code())))
}

async fn timeline_page(
    state: &AppState,
    ctx: &Ctx,
    id: PersonId,
    timeline: Timeline,
    forms: Forms,
    notice: Option<String>,
) -> Result<TimelinePage, AppError> {
    let tr = ctx.tr();
    let index = state.app.directory().await?;
    let today = state.app.today();
    let writable = timeline.writable;
    let override_notice = timeline
        .override_until
        .map(|until| tr.with("override-in-use", &[("until", crate::web::views::time_text(tr, until).into())]));
    let events = timeline
        .events
        .iter()
        .map(|e| match e {
            TimelineEvent::Stage(s) => EventRow {
                date: date_text(tr, s.on),
                what: tr.with("timeline-stage", &[("stage", stage_name(tr, Some(s.stage)).into())]),
                agency: index.agency(s.agency).map(|a| a.name.clone()).unwrap_or_default(),
                who: String::new(),
                detail: s.reason.clone(),
                next: String::new(),
            },
            TimelineEvent::Support(r) => EventRow {
                date: date_text(tr, r.fields.date),
                what: format!(
                    "{}（{}）",
                    tr.get(&format!("support-kind-{}", r.fields.kind.code())),
                    tr.with("minutes", &[("minutes", r.fields.minutes.into())])
                ),
                agency: index.agency(r.agency).map(|a| a.name.clone()).unwrap_or_default(),
                who: r.staff_name.clone(),
                detail: r.fields.note.clone(),
                next: match (&r.fields.next_action, r.fields.next_action_on) {
                    (Some(a), Some(on)) => {
                        tr.with("next-action-due", &[("action", a.as_str().into()), ("on", date_text(tr, on).into())])
                    }
                    (Some(a), None) => a.clone(),
                    _ => String::new(),
                },
            },
        })
        .collect();
    let sp = &forms.support_problems;
    let s = &forms.support;
    let f = |problems: &Problems, name, value: &str, input_type, max, required| {
        field(tr, problems, name, value, input_type, max, required)
    };
    let summary = |problems: &Problems, names: &[&'static str]| -> Vec<(String, String)> {
        names
            .iter()
            .filter_map(|n| {
                problems.for_field(n).map(|p| ((*n).to_owned(), tr.problem(p.field, false, p.code, p.limit)))
            })
            .collect()
    };
    let mut stage_errors = summary(&forms.stage_problems, &["stage", "on", "reason"]);
    if let Some(e) = &forms.stage_error {
        stage_errors.insert(0, ("next_stage".to_owned(), e.clone()));
    }
    let stage_errors =
        stage_errors.into_iter().map(|(f, m)| (if f == "stage" { "next_stage".to_owned() } else { f }, m)).collect();
    let mut next_stage = f(&forms.stage_problems, "stage", &forms.stage, "select", 0, true);
    next_stage.name = "next_stage";
    next_stage.label = tr.get("field-next_stage");
    if next_stage.error.is_none() {
        next_stage.error = forms.stage_error.clone();
    }
    let choices: Vec<Stage> = tsunagu_domain::journey::stage_choices(timeline.stage).to_vec();
    let stage_on = if forms.stage_on.is_empty() { today.to_string() } else { forms.stage_on.clone() };
    let mut on = f(&forms.stage_problems, "on", &stage_on, "date", 10, true);
    on.label = tr.get("field-stage_on");
    let date_value = if s.date.is_empty() { today.to_string() } else { s.date.clone() };
    let minutes_value = if s.minutes.is_empty() { "30".to_owned() } else { s.minutes.clone() };
    // Typed as text with a numeric keyboard: `type="number"` drops full-width digits (４５), and
    // with them what was typed when the form comes back with an error.
    let mut minutes = f(sp, "minutes", &minutes_value, "text", 4, true);
    minutes.inputmode = Some("numeric");
    let age = tsunagu_domain::calendar::age_on(timeline.birth_date, today);
    let printer = ctx.account().and_then(|a| a.agency).and_then(|a| index.agency(a)).map(|a| a.name.clone());
    Ok(TimelinePage {
        layout: ctx.layout(tr.with("timeline-title-of", &[("name", timeline.name.as_str().into())])),
        id: id.0,
        facts: tr.with("timeline-facts", &[("stage", stage_name(tr, timeline.stage).into()), ("age", age.into())]),
        printed: tr.with(
            "timeline-printed",
            &[("agency", printer.unwrap_or_default().into()), ("on", date_text(tr, today).into())],
        ),
        notice,
        override_notice,
        stage_code: timeline.stage.map(|s| s.code().to_owned()).unwrap_or_default(),
        writable,
        stage_errors,
        next_stage,
        next_stage_options: choices
            .into_iter()
            .map(|c| SelectOption {
                value: c.code().to_owned(),
                label: stage_name(tr, Some(c)),
                selected: forms.stage == c.code(),
            })
            .collect(),
        stage_on: on,
        stage_reason: f(&forms.stage_problems, "reason", &forms.reason, "text", 500, false),
        support_errors: summary(sp, &["kind", "date", "minutes", "note", "next_action", "next_action_on"]),
        kind: f(sp, "kind", &s.kind, "select", 0, true),
        kind_options: SupportKind::ALL
            .iter()
            .map(|k| SelectOption {
                value: k.code().to_owned(),
                label: tr.get(&format!("support-kind-{}", k.code())),
                selected: s.kind == k.code(),
            })
            .collect(),
        date: f(sp, "date", &date_value, "date", 10, true),
        minutes,
        note: f(sp, "note", &s.note, "textarea", 4000, true),
        next_action: f(sp, "next_action", &s.next_action, "text", 200, false),
        next_action_on: f(sp, "next_action_on", &s.next_action_on, "date", 10, false),
        events,
        follow_ups: timeline
            .follow_ups
            .iter()
            .map(|f| {
                let late = (today - f.due_on).whole_days();
                let state = match (f.done, f.closed_on) {
                    (Some((on, _)), _) => tr.with("follow-up-done-on", &[("on", date_text(tr, on).into())]),
                    (None, Some(on)) => tr.with("follow-up-closed-on", &[("on", date_text(tr, on).into())]),
                    (None, None) if late > 0 => tr.with("dashboard-overdue-days", &[("days", late.into())]),
                    (None, None) if late == 0 => tr.get("dashboard-due-today"),
                    (None, None) => tr.get("follow-up-due"),
                };
                FollowUpRow {
                    id: f.id,
                    milestone: tr
                        .with("follow-up-milestone", &[("milestone", milestone_text(tr, f.milestone()).into())]),
                    due: date_text(tr, f.due_on),
                    state,
                    overdue: f.is_overdue(today),
                    note: f.note.clone().unwrap_or_default(),
                    open: f.is_open(),
                    done: f.done.is_some(),
                }
            })
            .collect(),
        plans: timeline
            .plans
            .iter()
            .map(|p| PlanRow {
                id: p.id,
                goal: p.fields.goal.clone(),
                actions: p.fields.actions.clone(),
                owner: p.fields.owner.clone(),
                state: match (p.outcome, p.review_on) {
                    (Some(o), _) => tr.get(&format!("outcome-{}", o.code())),
                    (None, Some(on)) => tr.with("plan-next-review", &[("on", date_text(tr, on).into())]),
                    (None, None) => String::new(),
                },
                open: p.outcome.is_none(),
                reviews: p
                    .reviews
                    .iter()
                    .map(|r| {
                        (
                            date_text(tr, r.reviewed_on),
                            tr.get(&format!("outcome-{}", r.fields.outcome.code())),
                            r.fields.note.clone(),
                        )
                    })
                    .collect(),
            })
            .collect(),
        plan_errors: summary(&forms.plan_problems, &["goal", "actions", "owner", "review_on"]),
        goal: f(&forms.plan_problems, "goal", &forms.plan.goal, "text", 500, true),
        actions: f(&forms.plan_problems, "actions", &forms.plan.actions, "textarea", 2000, true),
        owner: f(&forms.plan_problems, "owner", &forms.plan.owner, "text", 100, true),
        review_on: f(&forms.plan_problems, "review_on", &forms.plan.review_on, "date", 10, true),
        review_for: forms.review_for,
        review_errors: summary(&forms.review_problems, &["review_note", "outcome", "next_review_on"]),
        review_note: f(&forms.review_problems, "review_note", &forms.review.note, "textarea", 2000, true),
        outcome: f(&forms.review_problems, "outcome", &forms.review.outcome, "select", 0, true),
        outcome_options: Outcome::ALL
            .iter()
            .map(|o| SelectOption {
                value: o.code().to_owned(),
                label: tr.get(&format!("outcome-{}", o.code())),
                selected: forms.review.outcome == o.code(),
            })
            .collect(),
        next_review_on: f(&forms.review_problems, "next_review_on", &forms.review.next_review_on, "date", 10, false),
        hidden: if timeline.hidden == 0 {
            String::new()
        } else {
            tr.with("timeline-hidden", &[("count", timeline.hidden.into())])
        },
    })
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    id: PersonId,
    forms: Forms,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult {
    let actor = ctx.require_account()?;
    let timeline = match state.app.timeline(actor, id).await {
        Ok(t) => t,
        Err(AppError::Denied(denial)) => return Err(denied_response(ctx, id, denial)),
        Err(e) => return Err(PageError::of(ctx, e)),
    };
    let page = timeline_page(state, ctx, id, timeline, forms, notice).await.map_err(|e| PageError::of(ctx, e))?;
    Ok(render(status, &page))
}

/// `GET /persons/{id}/timeline`
pub async fn timeline(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<TimelineFlash>,
) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let tr = ctx.tr();
    let notice = if flash.recorded.is_some() {
        Some(tr.get("support-recorded"))
    } else if flash.moved.is_some() {
        Some(tr.get("stage-moved"))
    } else if flash.followed.is_some() {
        Some(tr.get("follow-up-completed"))
    } else if flash.reopened.is_some() {
        Some(tr.get("follow-up-reopened"))
    } else if flash.planned.is_some() {
        Some(tr.get("plan-created"))
    } else if flash.reviewed.is_some() {
        Some(tr.get("plan-reviewed"))
    } else {
        None
    };
    show(&state, &ctx, id, Forms::default(), notice, StatusCode::OK).await
}

/// The support-record form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SupportForm {
    csrf: Option<String>,
    kind: String,
    date: String,
    minutes: String,
    note: String,
    next_action: String,
    next_action_on: String,
}

/// The stage form as submitted: the stage chosen, and the one the page was loaded at.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StageForm {
    csrf: Option<String>,
    next_stage: String,
    on: String,
    reason: String,
    loaded_stage: String,
}

/// The plan form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlanForm {
    csrf: Option<String>,
    goal: String,
    actions: String,
    owner: String,
    review_on: String,
}

/// The plan-review form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    csrf: Option<String>,
    review_note: String,
    outcome: String,
    next_review_on: String,
}

/// `POST /persons/{id}/support`
pub async fn add_support(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<SupportForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let SupportForm { kind, date, minutes, note, next_action, next_action_on, .. } = form;
    let input = SupportInput { kind, date, minutes, note, next_action, next_action_on };
    match state.app.add_support_record(actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{}/timeline?recorded=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let forms = Forms { support: input, support_problems: problems, ..Forms::default() };
            show(&state, &ctx, id, forms, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `POST /persons/{id}/stage`
pub async fn change_stage(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<StageForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let StageForm { next_stage: stage, on, reason, loaded_stage, .. } = form;
    let loaded = Stage::parse(&loaded_stage);
    let tr = ctx.tr();
    let again = |problems: Problems, error: Option<String>| Forms {
        stage: stage.clone(),
        stage_on: on.clone(),
        reason: reason.clone(),
        stage_problems: problems,
        stage_error: error,
        ..Forms::default()
    };
    match state.app.change_stage(actor, id, &stage, &on, &reason, loaded).await {
        Ok(()) => Ok(Redirect::to(&format!("/persons/{}/timeline?moved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            show(&state, &ctx, id, again(problems, None), None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e @ (AppError::Transition(_) | AppError::StageMoved(_))) => {
            let (message, status) = journey_error(tr, &e).unwrap_or_default();
            show(&state, &ctx, id, again(Problems::new(), Some(message)), None, status).await
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(AppError::Forbidden) => Err(PageError::forbidden(&ctx)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// The message for a journey that cannot move where asked (422), or moved meanwhile (409);
/// `None` for other errors.
pub(crate) fn journey_error(tr: Tr, e: &AppError) -> Option<(String, StatusCode)> {
    match e {
        AppError::Transition(refused) => {
            let allowed =
                refused.from.next().iter().map(|s| stage_name(tr, Some(*s))).collect::<Vec<_>>().join(tr.separator());
            let message = tr.with(
                "error-transition_refused",
                &[
                    ("from", stage_name(tr, Some(refused.from)).into()),
                    ("to", stage_name(tr, Some(refused.to)).into()),
                    ("allowed", allowed.into()),
                ],
            );
            Some((message, StatusCode::UNPROCESSABLE_ENTITY))
        }
        AppError::StageMoved(now) => {
            Some((tr.with("error-stage_moved", &[("stage", stage_name(tr, *now).into())]), StatusCode::CONFLICT))
        }
        _ => None,
    }
}

/// The form that marks a follow-up done, with what was noted.
#[derive(Debug, serde::Deserialize)]
pub struct FollowUpForm {
    csrf: Option<String>,
    #[serde(default)]
    note: String,
}

/// `POST /persons/{id}/follow-ups/{follow_up}/done`
pub async fn complete_follow_up(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, follow_up)): Path<(String, String)>,
    Submitted(form): Submitted<FollowUpForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let follow_up = Uuid::parse_str(&follow_up).map_err(|_| PageError::not_found(&ctx))?;
    let done = state.app.complete_follow_up(actor, id, follow_up, &form.note).await;
    follow_up_written(&ctx, id, done, "followed")
}

/// `POST /persons/{id}/follow-ups/{follow_up}/undo`: a follow-up marked done by mistake is open
/// again.
pub async fn reopen_follow_up(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, follow_up)): Path<(String, String)>,
    Submitted(form): Submitted<CsrfOnly>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let follow_up = Uuid::parse_str(&follow_up).map_err(|_| PageError::not_found(&ctx))?;
    let reopened = state.app.reopen_follow_up(actor, id, follow_up).await;
    follow_up_written(&ctx, id, reopened, "reopened")
}

/// Back to the follow-ups of the journey page with `flash`, or the page of the failure.
fn follow_up_written(ctx: &Ctx, id: PersonId, written: Result<(), AppError>, flash: &str) -> PageResult {
    match written {
        Ok(()) => Ok(Redirect::to(&format!("/persons/{}/timeline?{flash}=1#follow-ups", id.0)).into_response()),
        Err(AppError::Denied(denial)) => Err(denied_response(ctx, id, denial)),
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// `POST /persons/{id}/plans`
pub async fn create_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<PlanForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let PlanForm { goal, actions, owner, review_on, .. } = form;
    let input = PlanInput { goal, actions, owner, review_on };
    match state.app.create_plan(actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{}/timeline?planned=1#plans", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let forms = Forms { plan: input, plan_problems: problems, ..Forms::default() };
            show(&state, &ctx, id, forms, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `POST /persons/{id}/plans/{plan}/review`
pub async fn review_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, plan)): Path<(String, String)>,
    Submitted(form): Submitted<ReviewForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let plan = Uuid::parse_str(&plan).map_err(|_| PageError::not_found(&ctx))?;
    let ReviewForm { review_note: note, outcome, next_review_on, .. } = form;
    let input = ReviewInput { note, outcome, next_review_on };
    match state.app.review_plan(actor, id, plan, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/persons/{}/timeline?reviewed=1#plans", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let forms = Forms { review_for: Some(plan), review: input, review_problems: problems, ..Forms::default() };
            show(&state, &ctx, id, forms, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
