//! Job coaching's pages: the agency's coaches and dispatches (`/coaching`), the coach form, a
//! coach's week, a person's dispatches (`/persons/{id}/coaching`), the plan form, and a dispatch
//! with its days and the form that logs one — made to be filled in on a phone at the workplace.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use time::{Date, Duration};
use tsunagu_app::AppError;
use tsunagu_app::coaching::{DispatchView, PersonCoaching};
use tsunagu_domain::Problems;
use tsunagu_domain::coaching::{
    Activity, Coach, CoachDayId, CoachId, CoachInput, CoachKind, DayInput, Dispatch, DispatchId, DispatchInput, Phase,
};
use tsunagu_domain::person::PersonId;
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, coded_options, date_text, errors_of, field, render};

/// "2時間30分".
pub(crate) fn minutes_text(tr: Tr, minutes: u32) -> String {
    let (hours, minutes) = (minutes / 60, minutes % 60);
    match (hours, minutes) {
        (_, 0) => tr.with("coaching-duration-hours", &[("hours", hours.into())]),
        (0, _) => tr.with("coaching-duration-minutes", &[("minutes", minutes.into())]),
        _ => tr.with("coaching-duration", &[("hours", hours.into()), ("minutes", minutes.into())]),
    }
}

/// What was done, in words.
pub(crate) fn activities_text(tr: Tr, activities: &[Activity]) -> String {
    activities.iter().map(|a| tr.get(&format!("activity-{}", a.code()))).collect::<Vec<_>>().join(tr.separator())
}

fn kind_text(tr: Tr, kind: CoachKind) -> String {
    tr.get(&format!("coach-kind-{}", kind.code()))
}

fn phase_text(tr: Tr, phase: Option<Phase>) -> String {
    phase.map_or_else(|| tr.get("coaching-phase-none"), |p| tr.get(&format!("coaching-phase-{}", p.code())))
}

fn period_text(tr: Tr, d: &Dispatch) -> String {
    format!("{} – {}", date_text(tr, d.fields.starts_on), date_text(tr, d.last_day()))
}

fn parse_coach(ctx: &Ctx, raw: &str) -> Result<CoachId, PageError> {
    Uuid::parse_str(raw).map(CoachId).map_err(|_| PageError::not_found(ctx))
}

fn parse_dispatch(ctx: &Ctx, raw: &str) -> Result<DispatchId, PageError> {
    Uuid::parse_str(raw).map(DispatchId).map_err(|_| PageError::not_found(ctx))
}

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
    logged: Option<String>,
    removed: Option<String>,
    /// A day of the week to show (`YYYY-MM-DD`).
    week: Option<String>,
}

impl Flash {
    fn notice(&self, tr: Tr) -> Option<String> {
        if self.logged.is_some() {
            Some(tr.get("coaching-day-logged"))
        } else if self.removed.is_some() {
            Some(tr.get("coaching-day-removed"))
        } else {
            self.saved.as_ref().map(|_| tr.get("coaching-saved"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The agency's coaching

struct CoachRow {
    id: Uuid,
    name: String,
    kind: String,
    active: String,
    cases: usize,
    days: usize,
    hours: String,
    mine: bool,
    week_label: String,
}

struct DispatchRow {
    id: Uuid,
    name: String,
    period: String,
    phase: String,
}

#[derive(Template)]
#[template(path = "coaching.html")]
struct CoachingPage {
    layout: Layout,
    caption: String,
    coaches: Vec<CoachRow>,
    dispatches: Vec<DispatchRow>,
}

fn active_text(tr: Tr, c: &Coach, today: Date) -> String {
    match (c.active_on(today), c.fields.active_until) {
        (true, _) => tr.get("coach-active"),
        (false, Some(until)) if until < today => tr.with("coach-left-on", &[("date", date_text(tr, until).into())]),
        (false, _) => tr.with("coach-starts-on", &[("date", date_text(tr, c.fields.active_from).into())]),
    }
}

/// `GET /coaching`
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let home = state.app.coaching_home(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let today = state.app.today();
    let coaches = home
        .coaches
        .iter()
        .map(|(c, t)| CoachRow {
            id: c.id.0,
            name: c.fields.name.clone(),
            kind: kind_text(tr, c.fields.kind),
            active: active_text(tr, c, today),
            cases: t.cases,
            days: t.days,
            hours: minutes_text(tr, t.minutes),
            mine: c.account == Some(actor.id),
            week_label: tr.with("coaching-week-of", &[("name", c.fields.name.as_str().into())]),
        })
        .collect();
    let dispatches = home
        .dispatches
        .iter()
        .map(|(d, name)| DispatchRow {
            id: d.id.0,
            name: name.clone(),
            period: period_text(tr, d),
            phase: phase_text(tr, d.phase_on(today)),
        })
        .collect();
    let page = CoachingPage {
        layout: ctx.layout(tr.get("coaching-title")),
        caption: tr.with("coaching-coaches-caption", &[("year", home.year.wareki().into())]),
        coaches,
        dispatches,
    };
    Ok(render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------------------------------------
// The coach form

#[derive(Template)]
#[template(path = "coach_form.html")]
struct CoachFormPage {
    layout: Layout,
    notice: Option<String>,
    action: String,
    /// The coach's week, once they exist.
    week_href: Option<String>,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    coach_name: Field,
    coach_kind: Field,
    kind_options: Vec<SelectOption>,
    active_from: Field,
    active_until: Field,
    mine: bool,
}

fn coach_form(
    ctx: &Ctx,
    stored: Option<&Coach>,
    input: &CoachInput,
    mine: bool,
    problems: &Problems,
    notice: Option<String>,
) -> CoachFormPage {
    let tr = ctx.tr();
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let heading = stored.map_or_else(|| tr.get("coach-new-title"), |c| c.fields.name.clone());
    CoachFormPage {
        layout: ctx.layout(heading),
        notice,
        action: stored.map_or_else(|| "/coaching/coaches".to_owned(), |c| format!("/coaching/coaches/{}", c.id.0)),
        week_href: stored.map(|c| format!("/coaching/coaches/{}/week", c.id.0)),
        version: stored.map(|c| c.version),
        errors: errors_of(tr, problems),
        coach_name: text("coach_name", &input.coach_name, "text", tsunagu_domain::coaching::NAME_MAX, true),
        coach_kind: text("coach_kind", &input.coach_kind, "radio", 0, true),
        kind_options: coded_options(
            tr,
            &CoachKind::ALL,
            CoachKind::code,
            "coach-kind",
            std::slice::from_ref(&input.coach_kind),
        ),
        active_from: text("active_from", &input.active_from, "date", 10, true),
        active_until: text("active_until", &input.active_until, "date", 10, false),
        mine,
    }
}

/// The coach form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CoachForm {
    csrf: Option<String>,
    version: Option<i64>,
    coach_name: String,
    coach_kind: String,
    active_from: String,
    active_until: String,
    /// Any value: the coach is the one signed in.
    mine: Option<String>,
}

impl CoachForm {
    fn input(&self) -> CoachInput {
        CoachInput {
            coach_name: self.coach_name.clone(),
            coach_kind: self.coach_kind.clone(),
            active_from: self.active_from.clone(),
            active_until: self.active_until.clone(),
        }
    }

    fn mine(&self) -> bool {
        self.mine.as_deref().is_some_and(|m| !m.is_empty())
    }
}

/// `GET /coaching/coaches/new`
pub async fn new_coach(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let actor = ctx.require_account()?;
    if !tsunagu_app::App::may_register(actor) {
        return Err(PageError::forbidden(&ctx));
    }
    let input = CoachInput { active_from: state.app.today().to_string(), ..CoachInput::default() };
    Ok(render(StatusCode::OK, &coach_form(&ctx, None, &input, false, &Problems::new(), None)))
}

/// `POST /coaching/coaches`
pub async fn create_coach(
    State(state): State<AppState>,
    ctx: Ctx,
    Submitted(form): Submitted<CoachForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let input = form.input();
    match state.app.save_coach(actor, None, &input, None, form.mine()).await {
        Ok(id) => Ok(Redirect::to(&format!("/coaching/coaches/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &coach_form(&ctx, None, &input, form.mine(), &problems, None)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `GET /coaching/coaches/{id}`
pub async fn coach(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_coach(&ctx, &id)?;
    let coach = state.app.coach(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let input = CoachInput::of(&coach.fields);
    let mine = coach.account == Some(actor.id);
    let notice = flash.notice(ctx.tr());
    Ok(render(StatusCode::OK, &coach_form(&ctx, Some(&coach), &input, mine, &Problems::new(), notice)))
}

/// `POST /coaching/coaches/{id}`
pub async fn update_coach(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<CoachForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_coach(&ctx, &id)?;
    let input = form.input();
    match state.app.save_coach(actor, Some(id), &input, form.version, form.mine()).await {
        Ok(id) => Ok(Redirect::to(&format!("/coaching/coaches/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let coach = state.app.coach(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &coach_form(&ctx, Some(&coach), &input, form.mine(), &problems, None),
            ))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// A coach's week

struct WeekEntry {
    dispatch: Uuid,
    name: String,
    duration: String,
    activities: String,
}

struct WeekDay {
    label: String,
    entries: Vec<WeekEntry>,
    total: String,
}

#[derive(Template)]
#[template(path = "coach_week.html")]
struct WeekPage {
    layout: Layout,
    coach: Uuid,
    previous: String,
    next: String,
    days: Vec<WeekDay>,
    total: String,
}

/// `GET /coaching/coaches/{id}/week?week=YYYY-MM-DD`
pub async fn week(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let id = parse_coach(&ctx, &id)?;
    let day = flash.week.as_deref().and_then(tsunagu_domain::calendar::parse_date).unwrap_or_else(|| state.app.today());
    let week = state.app.coach_week(actor, id, day).await.map_err(|e| PageError::of(&ctx, e))?;
    let days = (0..7)
        .map(|i| {
            let on = week.monday + Duration::days(i);
            let entries: Vec<WeekEntry> = week
                .days
                .iter()
                .filter(|(d, _)| d.on == on)
                .map(|(d, name)| WeekEntry {
                    dispatch: d.dispatch.0,
                    name: name.clone(),
                    duration: minutes_text(tr, u32::from(d.minutes)),
                    activities: activities_text(tr, &d.activities),
                })
                .collect();
            let minutes: u32 = week.days.iter().filter(|(d, _)| d.on == on).map(|(d, _)| u32::from(d.minutes)).sum();
            let total = if minutes == 0 { "—".to_owned() } else { minutes_text(tr, minutes) };
            WeekDay { label: date_text(tr, on), entries, total }
        })
        .collect();
    let total: u32 = week.days.iter().map(|(d, _)| u32::from(d.minutes)).sum();
    let href = |d: Date| format!("/coaching/coaches/{}/week?week={d}", id.0);
    let page = WeekPage {
        layout: ctx.layout(tr.with(
            "coach-week-title",
            &[("name", week.coach.fields.name.as_str().into()), ("monday", date_text(tr, week.monday).into())],
        )),
        coach: id.0,
        previous: href(week.monday - Duration::days(7)),
        next: href(week.monday + Duration::days(7)),
        days,
        total: tr.with("coaching-week-total", &[("total", minutes_text(tr, total).into())]),
    };
    Ok(render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------------------------------------
// A person's dispatches

struct DispatchSummary {
    id: Uuid,
    employer: String,
    period: String,
    phase: String,
    days: usize,
    hours: String,
}

#[derive(Template)]
#[template(path = "person_coaching.html")]
struct PersonCoachingPage {
    layout: Layout,
    id: Uuid,
    rows: Vec<DispatchSummary>,
    writable: bool,
}

/// `GET /persons/{id}/coaching`
pub async fn person_coaching(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let id = parse_person(&ctx, &id)?;
    let read = match state.app.person_coaching(actor, id).await {
        Ok(read) => read,
        Err(AppError::Denied(denial)) => return Err(denied_response(&ctx, id, denial)),
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    let today = state.app.today();
    let rows = read
        .dispatches
        .iter()
        .map(|(d, employer, days)| DispatchSummary {
            id: d.id.0,
            employer: employer.clone(),
            period: period_text(tr, d),
            phase: phase_text(tr, d.phase_on(today)),
            days: days.iter().map(|day| day.on).collect::<std::collections::BTreeSet<_>>().len(),
            hours: minutes_text(tr, days.iter().map(|day| u32::from(day.minutes)).sum()),
        })
        .collect();
    let page = PersonCoachingPage {
        layout: ctx.layout(tr.with("coaching-person-title", &[("name", read.name.as_str().into())])),
        id: id.0,
        rows,
        writable: read.writable,
    };
    Ok(render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------------------------------------
// The plan form

#[derive(Template)]
#[template(path = "dispatch_form.html")]
struct DispatchFormPage {
    layout: Layout,
    action: String,
    back: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    corporate_number: Field,
    coaches: Field,
    coach_options: Vec<SelectOption>,
    starts_on: Field,
    intensive_until: Field,
    intensive_visits: Field,
    transition_until: Field,
    transition_visits: Field,
    follow_up_until: Field,
    follow_up_visits: Field,
    person_agreed_on: Field,
    employer_agreed_on: Field,
    goals: Field,
    /// The actual moves (an existing dispatch only).
    moves: Vec<Field>,
}

struct PlanTarget {
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
    coaches: Vec<Coach>,
}

fn dispatch_form(
    ctx: &Ctx,
    target: PlanTarget,
    input: &DispatchInput,
    corporate_number: &str,
    problems: &Problems,
) -> DispatchFormPage {
    let tr = ctx.tr();
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let visits = |name: &'static str, value: &str| {
        let mut f = text(name, value, "text", 2, true);
        f.inputmode = Some("numeric");
        f.hint = Some(tr.get("hint-visits"));
        f
    };
    let mut corporate = text("corporate_number", corporate_number, "text", 20, true);
    corporate.inputmode = Some("numeric");
    corporate.hint = Some(tr.get("hint-dispatch-employer"));
    let mut transition_until = text("transition_until", &input.transition_until, "date", 10, true);
    transition_until.hint = Some(tr.get("hint-transition_until"));
    let mut follow_up_until = text("follow_up_until", &input.follow_up_until, "date", 10, true);
    follow_up_until.hint = Some(tr.get("hint-follow_up_until"));
    let moves = if target.version.is_some() {
        vec![
            text("transition_began_on", &input.transition_began_on, "date", 10, false),
            text("follow_up_began_on", &input.follow_up_began_on, "date", 10, false),
            text("support_ended_on", &input.support_ended_on, "date", 10, false),
        ]
    } else {
        Vec::new()
    };
    DispatchFormPage {
        layout: ctx.layout(target.heading),
        action: target.action,
        back: target.back,
        version: target.version,
        errors: errors_of(tr, problems),
        corporate_number: corporate,
        coaches: text("coaches", "", "checkbox", 0, true),
        coach_options: target
            .coaches
            .iter()
            .map(|c| SelectOption {
                value: c.id.0.to_string(),
                label: format!("{}（{}）", c.fields.name, kind_text(tr, c.fields.kind)),
                selected: input.coaches.iter().any(|s| s.trim() == c.id.0.to_string()),
            })
            .collect(),
        starts_on: text("starts_on", &input.starts_on, "date", 10, true),
        intensive_until: text("intensive_until", &input.intensive_until, "date", 10, true),
        intensive_visits: visits("intensive_visits", &input.intensive_visits),
        transition_until,
        transition_visits: visits("transition_visits", &input.transition_visits),
        follow_up_until,
        follow_up_visits: visits("follow_up_visits", &input.follow_up_visits),
        person_agreed_on: text("person_agreed_on", &input.person_agreed_on, "date", 10, false),
        employer_agreed_on: text("employer_agreed_on", &input.employer_agreed_on, "date", 10, false),
        goals: text("goals", &input.goals, "textarea", tsunagu_domain::coaching::GOALS_MAX, true),
        moves,
    }
}

/// The plan form as submitted (fields named one by one: a flattened struct would not collect
/// the repeated checkboxes).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DispatchForm {
    csrf: Option<String>,
    version: Option<i64>,
    corporate_number: String,
    coaches: Vec<String>,
    starts_on: String,
    intensive_until: String,
    intensive_visits: String,
    transition_until: String,
    transition_visits: String,
    follow_up_until: String,
    follow_up_visits: String,
    person_agreed_on: String,
    employer_agreed_on: String,
    goals: String,
    transition_began_on: String,
    follow_up_began_on: String,
    support_ended_on: String,
}

impl DispatchForm {
    fn plan(&self) -> DispatchInput {
        DispatchInput {
            coaches: self.coaches.clone(),
            starts_on: self.starts_on.clone(),
            intensive_until: self.intensive_until.clone(),
            intensive_visits: self.intensive_visits.clone(),
            transition_until: self.transition_until.clone(),
            transition_visits: self.transition_visits.clone(),
            follow_up_until: self.follow_up_until.clone(),
            follow_up_visits: self.follow_up_visits.clone(),
            person_agreed_on: self.person_agreed_on.clone(),
            employer_agreed_on: self.employer_agreed_on.clone(),
            goals: self.goals.clone(),
            transition_began_on: self.transition_began_on.clone(),
            follow_up_began_on: self.follow_up_began_on.clone(),
            support_ended_on: self.support_ended_on.clone(),
        }
    }
}

async fn new_target(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<(PlanTarget, PersonCoaching), PageError> {
    let actor = ctx.require_account()?;
    let read = match state.app.person_coaching(actor, person).await {
        Ok(read) => read,
        Err(AppError::Denied(denial)) => return Err(denied_response(ctx, person, denial)),
        Err(e) => return Err(PageError::of(ctx, e)),
    };
    if !read.writable {
        return Err(PageError::forbidden(ctx));
    }
    let target = PlanTarget {
        heading: ctx.tr().with("dispatch-new-title", &[("name", read.name.as_str().into())]),
        action: format!("/persons/{}/coaching", person.0),
        back: format!("/persons/{}/coaching", person.0),
        version: None,
        coaches: read.coaches.clone(),
    };
    Ok((target, read))
}

/// `GET /persons/{id}/coaching/new`
pub async fn new_dispatch(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let (target, read) = new_target(&state, &ctx, id).await?;
    let input = DispatchInput { starts_on: state.app.today().to_string(), ..DispatchInput::default() };
    Ok(render(StatusCode::OK, &dispatch_form(&ctx, target, &input, &read.employer_number, &Problems::new())))
}

/// `POST /persons/{id}/coaching`
pub async fn open_dispatch(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<DispatchForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let plan = form.plan();
    match state.app.open_dispatch(actor, id, &plan, &form.corporate_number).await {
        Ok(dispatch) => Ok(Redirect::to(&format!("/dispatches/{}?saved=1", dispatch.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let (target, _) = new_target(&state, &ctx, id).await?;
            let page = dispatch_form(&ctx, target, &plan, &form.corporate_number, &problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

fn edit_target(ctx: &Ctx, view: &DispatchView) -> Result<PlanTarget, PageError> {
    if !view.writable {
        return Err(PageError::forbidden(ctx));
    }
    let id = view.dispatch.id.0;
    Ok(PlanTarget {
        heading: ctx.tr().with("dispatch-edit-title", &[("name", view.name.as_str().into())]),
        action: format!("/dispatches/{id}/edit"),
        back: format!("/dispatches/{id}"),
        version: Some(view.dispatch.version),
        coaches: view.coaches.clone(),
    })
}

async fn read_dispatch(state: &AppState, ctx: &Ctx, id: DispatchId) -> Result<DispatchView, PageError> {
    let actor = ctx.require_account()?;
    state.app.dispatch_view(actor, id).await.map_err(|e| PageError::of(ctx, e))
}

/// `GET /dispatches/{id}/edit`
pub async fn edit_dispatch(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_dispatch(&ctx, &id)?;
    let view = read_dispatch(&state, &ctx, id).await?;
    let target = edit_target(&ctx, &view)?;
    let input = DispatchInput::of(&view.dispatch.fields);
    Ok(render(StatusCode::OK, &dispatch_form(&ctx, target, &input, &view.employer.0, &Problems::new())))
}

/// `POST /dispatches/{id}/edit`
pub async fn update_dispatch(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<DispatchForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_dispatch(&ctx, &id)?;
    let version = form.version.unwrap_or_default();
    let plan = form.plan();
    match state.app.edit_dispatch(actor, id, &plan, &form.corporate_number, version).await {
        Ok(()) => Ok(Redirect::to(&format!("/dispatches/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = read_dispatch(&state, &ctx, id).await?;
            let target = edit_target(&ctx, &view)?;
            let page = dispatch_form(&ctx, target, &plan, &form.corporate_number, &problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// A dispatch with its days

struct PhaseRow {
    name: String,
    until: String,
    visits: String,
    began: String,
    current: bool,
}

struct DayRow {
    id: Uuid,
    remove_label: String,
    on: String,
    coach: String,
    duration: String,
    activities: String,
    note: String,
}

#[derive(Template)]
#[template(path = "dispatch.html")]
struct DispatchPage {
    layout: Layout,
    id: Uuid,
    person: Uuid,
    notice: Option<String>,
    facts: Vec<(String, String)>,
    /// Said when the plan runs longer than the standard, or is not yet agreed.
    remarks: Vec<String>,
    phases: Vec<PhaseRow>,
    days: Vec<DayRow>,
    /// Per coach of the dispatch: their days and hours on it.
    totals: Vec<String>,
    writable: bool,
    errors: Vec<(String, String)>,
    coach: Field,
    coach_options: Vec<SelectOption>,
    worked_on: Field,
    duration: Field,
    activities: Field,
    activity_options: Vec<SelectOption>,
    day_note: Field,
}

fn dispatch_page(
    ctx: &Ctx,
    view: &DispatchView,
    typed: Option<&DayInput>,
    problems: &Problems,
    notice: Option<String>,
    today: Date,
) -> DispatchPage {
    let tr = ctx.tr();
    let d = &view.dispatch;
    let f = &d.fields;
    let coach_name =
        |id: CoachId| view.coaches.iter().find(|c| c.id == id).map(|c| c.fields.name.clone()).unwrap_or_default();
    let opt = |day: Option<Date>| day.map_or_else(|| tr.get("dispatch-not-yet"), |d| date_text(tr, d));
    let facts = vec![
        (tr.get("col-employer"), format!("{}（{}）", view.employer.1, view.employer.0)),
        (tr.field("coaches"), f.coaches.iter().map(|c| coach_name(*c)).collect::<Vec<_>>().join(tr.separator())),
        (tr.field("goals"), f.goals.clone()),
        (tr.field("person_agreed_on"), opt(f.person_agreed_on)),
        (tr.field("employer_agreed_on"), opt(f.employer_agreed_on)),
        (tr.get("dispatch-phase-now"), phase_text(tr, d.phase_on(today))),
        (tr.field("support_ended_on"), opt(f.ended_on)),
    ];
    let mut remarks = Vec::new();
    if !d.agreed_by(today) {
        remarks.push(tr.get("dispatch-not-agreed"));
    }
    if d.longer_than_standard() {
        remarks.push(tr.get("dispatch-longer-than-standard"));
    }
    let current = d.phase_on(today);
    let began = [Some(f.starts_on), f.transition_began_on, f.follow_up_began_on];
    let phases = Phase::ALL
        .iter()
        .zip(f.phases)
        .zip(began)
        .map(|((phase, plan), began)| PhaseRow {
            name: tr.get(&format!("coaching-phase-{}", phase.code())),
            until: date_text(tr, plan.until),
            visits: tr.with("dispatch-visits", &[("count", plan.visits_a_month.into())]),
            began: began.map(|b| date_text(tr, b)).unwrap_or_default(),
            current: current == Some(*phase),
        })
        .collect();
    let days = view
        .days
        .iter()
        .map(|day| DayRow {
            id: day.id.0,
            remove_label: tr.with("coaching-remove-day-of", &[("date", date_text(tr, day.on).into())]),
            on: date_text(tr, day.on),
            coach: coach_name(day.coach),
            duration: minutes_text(tr, u32::from(day.minutes)),
            activities: activities_text(tr, &day.activities),
            note: day.note.clone(),
        })
        .collect();
    let totals = f
        .coaches
        .iter()
        .map(|c| {
            let mine: Vec<_> = view.days.iter().filter(|day| day.coach == *c).collect();
            let hours = minutes_text(tr, mine.iter().map(|day| u32::from(day.minutes)).sum());
            tr.with(
                "coaching-coach-total",
                &[("name", coach_name(*c).into()), ("days", mine.len().into()), ("hours", hours.into())],
            )
        })
        .collect();
    // The form starts on the dispatch's one coach, or on the coach signed in.
    let me = ctx.require_account().ok().map(|a| a.id);
    let own = view.coaches.iter().find(|c| f.coaches.contains(&c.id) && c.account.is_some() && c.account == me);
    let default_coach = match (f.coaches.as_slice(), own) {
        ([only], _) => only.0.to_string(),
        (_, Some(own)) => own.id.0.to_string(),
        _ => String::new(),
    };
    let input = typed.cloned().unwrap_or_else(|| DayInput {
        coach: default_coach,
        worked_on: today.to_string(),
        ..DayInput::default()
    });
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let mut duration = text("duration", &input.duration, "text", 10, true);
    duration.hint = Some(tr.get("hint-duration"));
    DispatchPage {
        layout: ctx.layout(tr.with("dispatch-title", &[("name", view.name.as_str().into())])),
        id: d.id.0,
        person: d.person.0,
        notice,
        facts,
        remarks,
        phases,
        days,
        totals,
        writable: view.writable,
        errors: errors_of(tr, problems),
        coach: text("coach", &input.coach, "radio", 0, true),
        coach_options: f
            .coaches
            .iter()
            .map(|c| SelectOption {
                value: c.0.to_string(),
                label: coach_name(*c),
                selected: input.coach.trim() == c.0.to_string(),
            })
            .collect(),
        worked_on: text("worked_on", &input.worked_on, "date", 10, true),
        duration,
        activities: text("activities", "", "checkbox", 0, true),
        activity_options: coded_options(tr, &Activity::ALL, Activity::code, "activity", &input.activities),
        day_note: text("day_note", &input.day_note, "textarea", tsunagu_domain::coaching::DAY_NOTE_MAX, false),
    }
}

/// `GET /dispatches/{id}`
pub async fn dispatch(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id = parse_dispatch(&ctx, &id)?;
    let view = read_dispatch(&state, &ctx, id).await?;
    let notice = flash.notice(ctx.tr());
    Ok(render(StatusCode::OK, &dispatch_page(&ctx, &view, None, &Problems::new(), notice, state.app.today())))
}

/// The day form as submitted (fields named one by one: a flattened struct would not collect the
/// repeated checkboxes).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DayForm {
    csrf: Option<String>,
    coach: String,
    worked_on: String,
    duration: String,
    activities: Vec<String>,
    day_note: String,
}

impl DayForm {
    fn input(&self) -> DayInput {
        DayInput {
            coach: self.coach.clone(),
            worked_on: self.worked_on.clone(),
            duration: self.duration.clone(),
            activities: self.activities.clone(),
            day_note: self.day_note.clone(),
        }
    }
}

/// `POST /dispatches/{id}/days`
pub async fn log_day(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<DayForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_dispatch(&ctx, &id)?;
    let input = form.input();
    match state.app.log_coach_day(actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/dispatches/{}?logged=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = read_dispatch(&state, &ctx, id).await?;
            let page = dispatch_page(&ctx, &view, Some(&input), &problems, None, state.app.today());
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `POST /dispatches/{id}/days/{day}/remove`
pub async fn remove_day(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, day)): Path<(String, String)>,
    Submitted(form): Submitted<crate::web::form::CsrfOnly>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_dispatch(&ctx, &id)?;
    let day = Uuid::parse_str(&day).map(CoachDayId).map_err(|_| PageError::not_found(&ctx))?;
    state.app.remove_coach_day(actor, id, day).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(Redirect::to(&format!("/dispatches/{}?removed=1", id.0)).into_response())
}
