//! Return to work's pages: a centre's plans (`/rework`), a person's plans
//! (`/persons/{id}/rework`), the plan form, and a plan (`/rework/{id}`) with the three parties'
//! agreement, the warm-up phase today and the outcome.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use time::Date;
use tsunagu_app::AppError;
use tsunagu_app::rework::{PersonRework, ReworkView};
use tsunagu_domain::Problems;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::rework::{ReturnOutcome, ReturnPlan, ReturnPlanId, ReturnPlanInput, WarmUp};
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, coded_options, date_text, errors_of, field, render};

/// Where the plan stands on `today`: how it ended, the warm-up phase, or whom the agreement awaits.
fn status_text(tr: Tr, plan: &ReturnPlan, today: Date) -> String {
    let f = &plan.fields;
    if let Some(outcome) = f.outcome {
        return tr.get(&format!("rework-outcome-{}", outcome.code()));
    }
    if let Some(phase) = plan.phase_on(today) {
        return tr.get(&format!("rework-phase-{}", phase.code()));
    }
    let awaiting = plan.awaiting();
    if awaiting.is_empty() {
        return tr.get("rework-agreed");
    }
    let who = awaiting.iter().map(|w| tr.get(&format!("rework-party-{w}"))).collect::<Vec<_>>().join(tr.separator());
    tr.with("rework-awaiting", &[("who", who.into())])
}

fn parse_plan(ctx: &Ctx, raw: &str) -> Result<ReturnPlanId, PageError> {
    Uuid::parse_str(raw).map(ReturnPlanId).map_err(|_| PageError::not_found(ctx))
}

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
}

struct PlanRow {
    id: Uuid,
    name: String,
    began: String,
    status: String,
}

fn rows(tr: Tr, plans: &[(ReturnPlan, String)], today: Date) -> Vec<PlanRow> {
    plans
        .iter()
        .map(|(p, name)| PlanRow {
            id: p.id.0,
            name: name.clone(),
            began: date_text(tr, p.fields.coordination_began_on),
            status: status_text(tr, p, today),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "rework.html")]
struct ReworkPage {
    layout: Layout,
    rows: Vec<PlanRow>,
}

/// `GET /rework`
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let home = state.app.rework_home(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let page =
        ReworkPage { layout: ctx.layout(tr.get("rework-title")), rows: rows(tr, &home.plans, state.app.today()) };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "person_rework.html")]
struct PersonReworkPage {
    layout: Layout,
    id: Uuid,
    rows: Vec<PlanRow>,
    writable: bool,
}

async fn read_person(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<PersonRework, PageError> {
    let actor = ctx.require_account()?;
    match state.app.person_rework(actor, person).await {
        Ok(read) => Ok(read),
        Err(AppError::Denied(denial)) => Err(denied_response(ctx, person, denial)),
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// `GET /persons/{id}/rework`
pub async fn person_rework(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let tr = ctx.tr();
    let id = parse_person(&ctx, &id)?;
    let read = read_person(&state, &ctx, id).await?;
    let page = PersonReworkPage {
        layout: ctx.layout(tr.with("rework-person-title", &[("name", read.name.as_str().into())])),
        id: id.0,
        rows: rows(tr, &read.plans, state.app.today()),
        writable: read.writable,
    };
    Ok(render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------------------------------------
// The plan form

struct PhaseFields {
    legend: String,
    from: Field,
    until: Field,
}

#[derive(Template)]
#[template(path = "return_plan_form.html")]
struct PlanFormPage {
    layout: Layout,
    action: String,
    back: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    corporate_number: Field,
    employer_contact: Field,
    doctor: Field,
    leave_began_on: Field,
    coordination_began_on: Field,
    agreements: Vec<Field>,
    agreed_activities: Field,
    phases: Vec<PhaseFields>,
    support_began_on: Field,
    returned_on: Field,
    return_ended_on: Field,
    return_outcome: Field,
    outcome_options: Vec<SelectOption>,
    return_note: Field,
}

struct FormTarget {
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
}

fn plan_form(
    ctx: &Ctx,
    target: FormTarget,
    input: &ReturnPlanInput,
    corporate_number: &str,
    problems: &Problems,
) -> PlanFormPage {
    let tr = ctx.tr();
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let mut corporate = text("corporate_number", corporate_number, "text", 20, true);
    corporate.inputmode = Some("numeric");
    corporate.hint = Some(tr.get("hint-rework-employer"));
    let max = tsunagu_domain::rework::PARTY_MAX;
    let phases = [
        (WarmUp::Rhythm, "rhythm_from", &input.rhythm_from, "rhythm_until", &input.rhythm_until),
        (WarmUp::Stress, "stress_from", &input.stress_from, "stress_until", &input.stress_until),
        (WarmUp::Adjustment, "adjustment_from", &input.adjustment_from, "adjustment_until", &input.adjustment_until),
    ]
    .into_iter()
    .map(|(phase, from_name, from, until_name, until)| {
        let mut from = text(from_name, from, "date", 10, true);
        from.label = tr.get("rework-phase-from");
        let mut until = text(until_name, until, "date", 10, true);
        until.label = tr.get("rework-phase-until");
        PhaseFields { legend: tr.get(&format!("rework-phase-{}", phase.code())), from, until }
    })
    .collect();
    PlanFormPage {
        layout: ctx.layout(target.heading),
        action: target.action,
        back: target.back,
        version: target.version,
        errors: errors_of(tr, problems),
        corporate_number: corporate,
        employer_contact: text("employer_contact", &input.employer_contact, "text", max, true),
        doctor: text("doctor", &input.doctor, "text", max, true),
        leave_began_on: text("leave_began_on", &input.leave_began_on, "date", 10, true),
        coordination_began_on: text("coordination_began_on", &input.coordination_began_on, "date", 10, true),
        agreements: vec![
            text("person_agreed_on", &input.person_agreed_on, "date", 10, false),
            text("employer_agreed_on", &input.employer_agreed_on, "date", 10, false),
            text("doctor_agreed_on", &input.doctor_agreed_on, "date", 10, false),
        ],
        agreed_activities: text(
            "agreed_activities",
            &input.agreed_activities,
            "textarea",
            tsunagu_domain::rework::ACTIVITIES_MAX,
            true,
        ),
        phases,
        support_began_on: text("support_began_on", &input.support_began_on, "date", 10, false),
        returned_on: text("returned_on", &input.returned_on, "date", 10, false),
        return_ended_on: text("return_ended_on", &input.return_ended_on, "date", 10, false),
        return_outcome: text("return_outcome", &input.return_outcome, "radio", 0, false),
        outcome_options: coded_options(
            tr,
            &ReturnOutcome::ALL,
            ReturnOutcome::code,
            "rework-outcome",
            std::slice::from_ref(&input.return_outcome),
        ),
        return_note: text(
            "return_note",
            &input.return_note,
            "textarea",
            tsunagu_domain::rework::OUTCOME_NOTE_MAX,
            false,
        ),
    }
}

/// The plan form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlanForm {
    csrf: Option<String>,
    version: Option<i64>,
    corporate_number: String,
    #[serde(flatten)]
    plan: ReturnPlanInput,
}

async fn new_target(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<(FormTarget, PersonRework), PageError> {
    let read = read_person(state, ctx, person).await?;
    if !read.writable {
        return Err(PageError::forbidden(ctx));
    }
    let target = FormTarget {
        heading: ctx.tr().with("rework-new-title", &[("name", read.name.as_str().into())]),
        action: format!("/persons/{}/rework", person.0),
        back: format!("/persons/{}/rework", person.0),
        version: None,
    };
    Ok((target, read))
}

/// `GET /persons/{id}/rework/new`
pub async fn new_plan(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let (target, read) = new_target(&state, &ctx, id).await?;
    let input = ReturnPlanInput { coordination_began_on: state.app.today().to_string(), ..ReturnPlanInput::default() };
    Ok(render(StatusCode::OK, &plan_form(&ctx, target, &input, &read.employer_number, &Problems::new())))
}

/// `POST /persons/{id}/rework`
pub async fn open_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<PlanForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    match state.app.open_return_plan(actor, id, &form.plan, &form.corporate_number).await {
        Ok(plan) => Ok(Redirect::to(&format!("/rework/{}?saved=1", plan.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let (target, _) = new_target(&state, &ctx, id).await?;
            let page = plan_form(&ctx, target, &form.plan, &form.corporate_number, &problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

fn edit_target(ctx: &Ctx, view: &ReworkView) -> Result<FormTarget, PageError> {
    if !view.writable {
        return Err(PageError::forbidden(ctx));
    }
    let id = view.plan.id.0;
    Ok(FormTarget {
        heading: ctx.tr().with("rework-edit-title", &[("name", view.name.as_str().into())]),
        action: format!("/rework/{id}/edit"),
        back: format!("/rework/{id}"),
        version: Some(view.plan.version),
    })
}

async fn read_plan(state: &AppState, ctx: &Ctx, id: ReturnPlanId) -> Result<ReworkView, PageError> {
    let actor = ctx.require_account()?;
    state.app.rework_view(actor, id).await.map_err(|e| PageError::of(ctx, e))
}

/// `GET /rework/{id}/edit`
pub async fn edit_plan(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_plan(&ctx, &id)?;
    let view = read_plan(&state, &ctx, id).await?;
    let target = edit_target(&ctx, &view)?;
    let input = ReturnPlanInput::of(&view.plan.fields);
    Ok(render(StatusCode::OK, &plan_form(&ctx, target, &input, &view.employer.0, &Problems::new())))
}

/// `POST /rework/{id}/edit`
pub async fn update_plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<PlanForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_plan(&ctx, &id)?;
    let version = form.version.unwrap_or_default();
    match state.app.edit_return_plan(actor, id, &form.plan, &form.corporate_number, version).await {
        Ok(()) => Ok(Redirect::to(&format!("/rework/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = read_plan(&state, &ctx, id).await?;
            let target = edit_target(&ctx, &view)?;
            let page = plan_form(&ctx, target, &form.plan, &form.corporate_number, &problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// A plan

struct PartyRow {
    party: String,
    who: String,
    agreed: String,
}

struct PhaseRow {
    name: String,
    from: String,
    until: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "return_plan.html")]
struct PlanPage {
    layout: Layout,
    id: Uuid,
    person: Uuid,
    notice: Option<String>,
    warnings: Vec<String>,
    status: String,
    parties: Vec<PartyRow>,
    activities: String,
    phases: Vec<PhaseRow>,
    facts: Vec<(String, String)>,
    writable: bool,
}

/// `GET /rework/{id}`
pub async fn plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let tr = ctx.tr();
    let id = parse_plan(&ctx, &id)?;
    let view = read_plan(&state, &ctx, id).await?;
    let today = state.app.today();
    let p = &view.plan;
    let f = &p.fields;
    let opt = |day: Option<Date>| day.map_or_else(|| tr.get("rework-not-yet"), |d| date_text(tr, d));
    let parties = vec![
        PartyRow { party: tr.get("rework-party-person"), who: view.name.clone(), agreed: opt(f.person_agreed_on) },
        PartyRow {
            party: tr.get("rework-party-employer"),
            who: format!("{}（{}）", view.employer.1, f.employer_contact),
            agreed: opt(f.employer_agreed_on),
        },
        PartyRow { party: tr.get("rework-party-doctor"), who: f.doctor.clone(), agreed: opt(f.doctor_agreed_on) },
    ];
    let current = p.phase_on(today);
    let phases = WarmUp::ALL
        .iter()
        .zip(f.phases)
        .map(|(w, plan)| PhaseRow {
            name: tr.get(&format!("rework-phase-{}", w.code())),
            from: date_text(tr, plan.from),
            until: date_text(tr, plan.until),
            current: current == Some(*w),
        })
        .collect();
    let mut facts = vec![
        (tr.field("leave_began_on"), date_text(tr, f.leave_began_on)),
        (tr.field("coordination_began_on"), date_text(tr, f.coordination_began_on)),
        (tr.field("support_began_on"), opt(f.support_began_on)),
        (tr.field("returned_on"), opt(f.returned_on)),
        (tr.field("return_ended_on"), opt(f.ended_on)),
    ];
    if !f.outcome_note.is_empty() {
        facts.push((tr.field("return_note"), f.outcome_note.clone()));
    }
    let mut warnings = Vec::new();
    if f.outcome.is_none() {
        if f.support_began_on.is_none() && !p.awaiting().is_empty() {
            warnings.push(tr.get("rework-agreement-first"));
        }
        if f.phases[2].until < today {
            warnings.push(tr.get("rework-outcome-due"));
        }
    }
    let page = PlanPage {
        layout: ctx.layout(tr.with("rework-plan-title", &[("name", view.name.as_str().into())])),
        id: p.id.0,
        person: p.person.0,
        notice: flash.saved.map(|_| tr.get("rework-saved")),
        warnings,
        status: status_text(tr, p, today),
        parties,
        activities: f.activities.clone(),
        phases,
        facts,
        writable: view.writable,
    };
    Ok(render(StatusCode::OK, &page))
}
