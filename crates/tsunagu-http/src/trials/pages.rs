//! Trial employment's pages: the agency's trials with those falling behind first (`/trials`), a
//! person's trials (`/persons/{id}/trials`), the trial form, and a trial with its weeks planned
//! and worked, the form that logs a week, and Hello Work's grant decisions.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use time::Date;
use tsunagu_app::AppError;
use tsunagu_app::trials::{PersonTrials, TrialLine, TrialView};
use tsunagu_domain::Problems;
use tsunagu_domain::coaching::week_of;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::trial::{
    GrantInput, MAX_RISES, RISE_HOURS_FIELDS, RISE_ON_FIELDS, Trial, TrialCourse, TrialId, TrialInput, TrialOutcome,
    WeekInput, hours_text,
};
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, coded_options, date_text, errors_of, field, grouped, render};

/// "週18時間".
fn weekly_text(tr: Tr, minutes: u16) -> String {
    tr.with("trial-weekly-hours", &[("hours", hours_text(minutes).into())])
}

fn course_text(tr: Tr, course: TrialCourse) -> String {
    tr.get(&format!("trial-course-{}", course.code()))
}

fn period_text(tr: Tr, t: &Trial) -> String {
    format!("{} – {}", date_text(tr, t.fields.starts_on), date_text(tr, t.last_day()))
}

/// Where the trial stands: how it ended, or how its hours keep to the plan.
fn status_text(tr: Tr, line: &TrialLine) -> String {
    let f = &line.trial.fields;
    match (f.outcome, f.ended_on) {
        (Some(outcome), _) => tr.get(&format!("trial-outcome-{}", outcome.code())),
        _ if line.ramp.falls_behind() => tr.with(
            "trial-behind",
            &[("weeks", line.ramp.behind.into()), ("short", hours_text(line.ramp.shortfall).into())],
        ),
        _ if line.weeks.is_empty() => tr.get("trial-no-weeks"),
        _ => tr.get("trial-on-plan"),
    }
}

fn parse_trial(ctx: &Ctx, raw: &str) -> Result<TrialId, PageError> {
    Uuid::parse_str(raw).map(TrialId).map_err(|_| PageError::not_found(ctx))
}

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
    logged: Option<String>,
    removed: Option<String>,
    granted: Option<String>,
}

impl Flash {
    fn notice(&self, tr: Tr) -> Option<String> {
        if self.logged.is_some() {
            Some(tr.get("trial-week-logged"))
        } else if self.removed.is_some() {
            Some(tr.get("trial-removed"))
        } else if self.granted.is_some() {
            Some(tr.get("trial-grant-recorded"))
        } else {
            self.saved.as_ref().map(|_| tr.get("trial-saved"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The agency's trials and a person's

struct TrialRow {
    id: Uuid,
    name: String,
    course: String,
    period: String,
    planned: String,
    last: String,
    status: String,
    behind: bool,
}

fn rows(tr: Tr, lines: &[TrialLine], today: Date) -> Vec<TrialRow> {
    lines
        .iter()
        .map(|l| TrialRow {
            id: l.trial.id.0,
            name: l.name.clone(),
            course: course_text(tr, l.trial.fields.course),
            period: period_text(tr, &l.trial),
            planned: weekly_text(tr, l.trial.planned_minutes(week_of(today))),
            last: l.weeks.last().map_or_else(
                || "—".to_owned(),
                |w| {
                    tr.with(
                        "trial-last-week",
                        &[("monday", date_text(tr, w.week_of).into()), ("hours", hours_text(w.minutes).into())],
                    )
                },
            ),
            status: status_text(tr, l),
            behind: l.ramp.falls_behind() && l.trial.fields.outcome.is_none(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "trials.html")]
struct TrialsPage {
    layout: Layout,
    rows: Vec<TrialRow>,
}

/// `GET /trials`
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let home = state.app.trials_home(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let page =
        TrialsPage { layout: ctx.layout(tr.get("trials-title")), rows: rows(tr, &home.trials, state.app.today()) };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "person_trials.html")]
struct PersonTrialsPage {
    layout: Layout,
    id: Uuid,
    rows: Vec<TrialRow>,
    writable: bool,
}

async fn read_person(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<PersonTrials, PageError> {
    let actor = ctx.require_account()?;
    match state.app.person_trials(actor, person).await {
        Ok(read) => Ok(read),
        Err(AppError::Denied(denial)) => Err(denied_response(ctx, person, denial)),
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// `GET /persons/{id}/trials`
pub async fn person_trials(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let tr = ctx.tr();
    let id = parse_person(&ctx, &id)?;
    let read = read_person(&state, &ctx, id).await?;
    let page = PersonTrialsPage {
        layout: ctx.layout(tr.with("trials-person-title", &[("name", read.name.as_str().into())])),
        id: id.0,
        rows: rows(tr, &read.trials, state.app.today()),
        writable: read.writable,
    };
    Ok(render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------------------------------------
// The trial form

struct Rise {
    on: Field,
    hours: Field,
    legend: String,
}

#[derive(Template)]
#[template(path = "trial_form.html")]
struct TrialFormPage {
    layout: Layout,
    action: String,
    back: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    corporate_number: Field,
    course: Field,
    course_options: Vec<SelectOption>,
    job: Field,
    starts_on: Field,
    planned_until: Field,
    start_hours: Field,
    rises: Vec<Rise>,
    /// How it ended (an existing trial only).
    ending: Option<(Field, Field, Vec<SelectOption>, Field)>,
}

struct FormTarget {
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
    /// The course the person may not be put on.
    short_time_eligible: bool,
}

fn trial_form(
    ctx: &Ctx,
    target: FormTarget,
    input: &TrialInput,
    corporate_number: &str,
    problems: &Problems,
) -> TrialFormPage {
    let tr = ctx.tr();
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let hours = |name: &'static str, value: &str, required: bool| {
        let mut f = text(name, value, "text", 10, required);
        f.inputmode = Some("decimal");
        f
    };
    let mut corporate = text("corporate_number", corporate_number, "text", 20, true);
    corporate.inputmode = Some("numeric");
    corporate.hint = Some(tr.get("hint-trial-employer"));
    let courses: Vec<TrialCourse> =
        TrialCourse::ALL.into_iter().filter(|c| target.short_time_eligible || *c == TrialCourse::Standard).collect();
    let mut course = text("course", &input.course, "radio", 0, true);
    if !target.short_time_eligible {
        course.hint = Some(tr.get("hint-course-not-eligible"));
    }
    let rises = (0..MAX_RISES)
        .map(|i| {
            let mut hours = hours(RISE_HOURS_FIELDS[i], &input.rise_hours[i], false);
            hours.label = tr.get("field-rise_hours");
            let mut on = text(RISE_ON_FIELDS[i], &input.rise_on[i], "date", 10, false);
            on.label = tr.get("field-rise_on");
            Rise { on, hours, legend: tr.with("trial-rise-legend", &[("n", (i + 1).into())]) }
        })
        .collect();
    let ending = target.version.map(|_| {
        (
            text("trial_ended_on", &input.trial_ended_on, "date", 10, false),
            text("outcome", &input.outcome, "radio", 0, false),
            coded_options(
                tr,
                &TrialOutcome::ALL,
                TrialOutcome::code,
                "trial-outcome",
                std::slice::from_ref(&input.outcome),
            ),
            text("outcome_note", &input.outcome_note, "textarea", tsunagu_domain::trial::OUTCOME_NOTE_MAX, false),
        )
    });
    TrialFormPage {
        layout: ctx.layout(target.heading),
        action: target.action,
        back: target.back,
        version: target.version,
        errors: errors_of(tr, problems),
        corporate_number: corporate,
        course,
        course_options: coded_options(
            tr,
            &courses,
            TrialCourse::code,
            "trial-course",
            std::slice::from_ref(&input.course),
        ),
        job: text("job", &input.job, "text", tsunagu_domain::trial::JOB_MAX, true),
        starts_on: {
            let mut f = text("starts_on", &input.starts_on, "date", 10, true);
            f.hint = None;
            f
        },
        planned_until: text("planned_until", &input.planned_until, "date", 10, true),
        start_hours: hours("start_hours", &input.start_hours, true),
        rises,
        ending,
    }
}

/// The trial form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TrialForm {
    csrf: Option<String>,
    version: Option<i64>,
    corporate_number: String,
    course: String,
    job: String,
    starts_on: String,
    planned_until: String,
    start_hours: String,
    rise_on_1: String,
    rise_hours_1: String,
    rise_on_2: String,
    rise_hours_2: String,
    rise_on_3: String,
    rise_hours_3: String,
    trial_ended_on: String,
    outcome: String,
    outcome_note: String,
}

impl TrialForm {
    fn input(&self) -> TrialInput {
        TrialInput {
            course: self.course.clone(),
            job: self.job.clone(),
            starts_on: self.starts_on.clone(),
            planned_until: self.planned_until.clone(),
            start_hours: self.start_hours.clone(),
            rise_on: [self.rise_on_1.clone(), self.rise_on_2.clone(), self.rise_on_3.clone()],
            rise_hours: [self.rise_hours_1.clone(), self.rise_hours_2.clone(), self.rise_hours_3.clone()],
            trial_ended_on: self.trial_ended_on.clone(),
            outcome: self.outcome.clone(),
            outcome_note: self.outcome_note.clone(),
        }
    }
}

async fn new_target(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<(FormTarget, PersonTrials), PageError> {
    let read = read_person(state, ctx, person).await?;
    if !read.writable {
        return Err(PageError::forbidden(ctx));
    }
    let target = FormTarget {
        heading: ctx.tr().with("trial-new-title", &[("name", read.name.as_str().into())]),
        action: format!("/persons/{}/trials", person.0),
        back: format!("/persons/{}/trials", person.0),
        version: None,
        short_time_eligible: read.short_time_eligible,
    };
    Ok((target, read))
}

/// `GET /persons/{id}/trials/new`
pub async fn new_trial(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let (target, read) = new_target(&state, &ctx, id).await?;
    let course = if read.short_time_eligible { "" } else { TrialCourse::Standard.code() };
    let input =
        TrialInput { starts_on: state.app.today().to_string(), course: course.to_owned(), ..TrialInput::default() };
    Ok(render(StatusCode::OK, &trial_form(&ctx, target, &input, &read.employer_number, &Problems::new())))
}

/// `POST /persons/{id}/trials`
pub async fn open_trial(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<TrialForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let input = form.input();
    match state.app.open_trial(actor, id, &input, &form.corporate_number).await {
        Ok(trial) => Ok(Redirect::to(&format!("/trials/{}?saved=1", trial.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let (target, _) = new_target(&state, &ctx, id).await?;
            let page = trial_form(&ctx, target, &input, &form.corporate_number, &problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

fn edit_target(ctx: &Ctx, view: &TrialView) -> Result<FormTarget, PageError> {
    if !view.writable {
        return Err(PageError::forbidden(ctx));
    }
    let id = view.trial.id.0;
    let c = &view.trial.fields.course;
    Ok(FormTarget {
        heading: ctx.tr().with("trial-edit-title", &[("name", view.name.as_str().into())]),
        action: format!("/trials/{id}/edit"),
        back: format!("/trials/{id}"),
        version: Some(view.trial.version),
        short_time_eligible: view.short_time_eligible || *c == TrialCourse::ShortTime,
    })
}

async fn read_trial(state: &AppState, ctx: &Ctx, id: TrialId) -> Result<TrialView, PageError> {
    let actor = ctx.require_account()?;
    state.app.trial_view(actor, id).await.map_err(|e| PageError::of(ctx, e))
}

/// `GET /trials/{id}/edit`
pub async fn edit_trial(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_trial(&ctx, &id)?;
    let view = read_trial(&state, &ctx, id).await?;
    let target = edit_target(&ctx, &view)?;
    let input = TrialInput::of(&view.trial.fields);
    Ok(render(StatusCode::OK, &trial_form(&ctx, target, &input, &view.employer.0, &Problems::new())))
}

/// `POST /trials/{id}/edit`
pub async fn update_trial(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<TrialForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_trial(&ctx, &id)?;
    let input = form.input();
    let version = form.version.unwrap_or_default();
    match state.app.edit_trial(actor, id, &input, &form.corporate_number, version).await {
        Ok(()) => Ok(Redirect::to(&format!("/trials/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = read_trial(&state, &ctx, id).await?;
            let target = edit_target(&ctx, &view)?;
            let page = trial_form(&ctx, target, &input, &form.corporate_number, &problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// A trial with its weeks and grants

struct StepRow {
    from: String,
    hours: String,
}

struct WeekRow {
    monday: String,
    remove_label: String,
    week: String,
    planned: String,
    worked: String,
    short: bool,
}

struct GrantRow {
    index: usize,
    decided_on: String,
    months: String,
    amount: String,
    remove_label: String,
}

#[derive(Template)]
#[template(path = "trial.html")]
struct TrialPage {
    layout: Layout,
    id: Uuid,
    person: Uuid,
    version: i64,
    notice: Option<String>,
    warnings: Vec<String>,
    facts: Vec<(String, String)>,
    steps: Vec<StepRow>,
    weeks: Vec<WeekRow>,
    writable: bool,
    week_errors: Vec<(String, String)>,
    week_of: Field,
    worked_hours: Field,
    grants: Vec<GrantRow>,
    grant_total: String,
    decides_grants: bool,
    grant_errors: Vec<(String, String)>,
    decided_on: Field,
    grant_months: Field,
    grant_amount: Field,
}

/// What a form typed on the trial's page brings back with its problems.
enum Typed<'a> {
    None,
    Week(&'a WeekInput, &'a Problems),
    Grant(&'a GrantInput, &'a Problems),
}

fn yen_text(tr: Tr, yen: u64) -> String {
    tr.with("trial-yen", &[("amount", grouped(yen).into())])
}

fn trial_page(ctx: &Ctx, view: &TrialView, typed: Typed<'_>, notice: Option<String>, today: Date) -> TrialPage {
    let tr = ctx.tr();
    let t = &view.trial;
    let f = &t.fields;
    let opt = |day: Option<Date>| day.map_or_else(|| tr.get("trial-not-yet"), |d| date_text(tr, d));
    let mut facts = vec![
        (tr.get("col-employer"), format!("{}（{}）", view.employer.1, view.employer.0)),
        (tr.field("course"), course_text(tr, f.course)),
        (tr.field("job"), f.job.clone()),
        (tr.field("starts_on"), date_text(tr, f.starts_on)),
        (tr.field("planned_until"), date_text(tr, f.planned_until)),
        (tr.get("trial-reaches-regular"), opt(t.reaches_regular_on())),
        (tr.field("trial_ended_on"), opt(f.ended_on)),
        (
            tr.field("outcome"),
            f.outcome.map_or_else(|| tr.get("trial-not-yet"), |o| tr.get(&format!("trial-outcome-{}", o.code()))),
        ),
    ];
    if !f.outcome_note.is_empty() {
        facts.push((tr.field("outcome_note"), f.outcome_note.clone()));
    }
    let mut warnings = Vec::new();
    if f.outcome.is_none() {
        if view.ramp.falls_behind() {
            warnings.push(tr.with(
                "trial-behind-warning",
                &[("weeks", view.ramp.behind.into()), ("short", hours_text(view.ramp.shortfall).into())],
            ));
        }
        if view.ramp.unlogged > 0 {
            warnings.push(tr.with("trial-unlogged-warning", &[("weeks", view.ramp.unlogged.into())]));
        }
        if f.planned_until < today {
            warnings.push(tr.get("trial-outcome-due"));
        }
    }
    let steps =
        f.steps.iter().map(|s| StepRow { from: date_text(tr, s.from), hours: weekly_text(tr, s.minutes) }).collect();
    let weeks = view
        .weeks
        .iter()
        .rev()
        .map(|w| {
            let planned = t.planned_minutes(w.week_of);
            WeekRow {
                monday: w.week_of.to_string(),
                remove_label: tr.with("trial-remove-week-of", &[("monday", date_text(tr, w.week_of).into())]),
                week: tr.with("trial-week-of", &[("monday", date_text(tr, w.week_of).into())]),
                planned: weekly_text(tr, planned),
                worked: weekly_text(tr, w.minutes),
                short: w.minutes < planned,
            }
        })
        .collect();
    let grants = f
        .grants
        .iter()
        .enumerate()
        .map(|(index, g)| GrantRow {
            index,
            decided_on: date_text(tr, g.decided_on),
            months: tr.with("trial-months", &[("months", g.months.into())]),
            amount: yen_text(tr, u64::from(g.amount_yen)),
            remove_label: tr.with("trial-remove-grant-of", &[("date", date_text(tr, g.decided_on).into())]),
        })
        .collect();
    let empty = Problems::new();
    let last_week = today - time::Duration::days(7);
    let default_week = WeekInput { week_of: week_of(last_week.min(t.last_day())).to_string(), ..WeekInput::default() };
    let (week, week_problems) = match typed {
        Typed::Week(input, p) => (input.clone(), p),
        _ => (default_week, &empty),
    };
    let (grant, grant_problems) = match typed {
        Typed::Grant(input, p) => (input.clone(), p),
        _ => (GrantInput { decided_on: today.to_string(), ..GrantInput::default() }, &empty),
    };
    let mut week_field = field(tr, week_problems, "week_of", &week.week_of, "date", 10, true);
    week_field.hint = Some(tr.get("hint-week_of"));
    let mut worked = field(tr, week_problems, "worked_hours", &week.worked_hours, "text", 10, true);
    worked.inputmode = Some("decimal");
    let mut months = field(tr, grant_problems, "grant_months", &grant.grant_months, "text", 2, true);
    months.inputmode = Some("numeric");
    let max = f.course.max_months(view.mental);
    months.hint = Some(tr.with("hint-grant_months", &[("months", max.into())]));
    let mut amount = field(tr, grant_problems, "grant_amount", &grant.grant_amount, "text", 20, true);
    amount.inputmode = Some("numeric");
    amount.hint = Some(tr.with(
        "hint-grant_amount",
        &[("monthly", yen_text(tr, u64::from(f.course.monthly_grant_max(view.mental))).into())],
    ));
    TrialPage {
        layout: ctx.layout(tr.with("trial-title", &[("name", view.name.as_str().into())])),
        id: t.id.0,
        person: t.person.0,
        version: t.version,
        notice,
        warnings,
        facts,
        steps,
        weeks,
        writable: view.writable,
        week_errors: errors_of(tr, week_problems),
        week_of: week_field,
        worked_hours: worked,
        grants,
        grant_total: tr.with("trial-grant-total", &[("amount", yen_text(tr, t.granted_yen()).into())]),
        decides_grants: view.decides_grants,
        grant_errors: errors_of(tr, grant_problems),
        decided_on: field(tr, grant_problems, "decided_on", &grant.decided_on, "date", 10, true),
        grant_months: months,
        grant_amount: amount,
    }
}

/// `GET /trials/{id}`
pub async fn trial(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id = parse_trial(&ctx, &id)?;
    let view = read_trial(&state, &ctx, id).await?;
    let notice = flash.notice(ctx.tr());
    Ok(render(StatusCode::OK, &trial_page(&ctx, &view, Typed::None, notice, state.app.today())))
}

/// The week form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WeekForm {
    csrf: Option<String>,
    week_of: String,
    worked_hours: String,
}

/// `POST /trials/{id}/weeks`
pub async fn log_week(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<WeekForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_trial(&ctx, &id)?;
    let input = WeekInput { week_of: form.week_of, worked_hours: form.worked_hours };
    match state.app.log_trial_week(actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/trials/{}?logged=1#weeks", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = read_trial(&state, &ctx, id).await?;
            let page = trial_page(&ctx, &view, Typed::Week(&input, &problems), None, state.app.today());
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `POST /trials/{id}/weeks/{monday}/remove`
pub async fn remove_week(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, monday)): Path<(String, String)>,
    Submitted(form): Submitted<crate::web::form::CsrfOnly>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_trial(&ctx, &id)?;
    let monday = tsunagu_domain::calendar::parse_date(&monday).ok_or_else(|| PageError::not_found(&ctx))?;
    state.app.remove_trial_week(actor, id, monday).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(Redirect::to(&format!("/trials/{}?removed=1#weeks", id.0)).into_response())
}

/// The grant form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct GrantForm {
    csrf: Option<String>,
    version: Option<i64>,
    decided_on: String,
    grant_months: String,
    grant_amount: String,
}

/// `POST /trials/{id}/grants`
pub async fn record_grant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<GrantForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_trial(&ctx, &id)?;
    let input =
        GrantInput { decided_on: form.decided_on, grant_months: form.grant_months, grant_amount: form.grant_amount };
    match state.app.record_grant(actor, id, &input, form.version).await {
        Ok(()) => Ok(Redirect::to(&format!("/trials/{}?granted=1#grants", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = read_trial(&state, &ctx, id).await?;
            let page = trial_page(&ctx, &view, Typed::Grant(&input, &problems), None, state.app.today());
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// The removal of a grant as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RemoveGrantForm {
    csrf: Option<String>,
    version: Option<i64>,
}

/// `POST /trials/{id}/grants/{index}/remove`
pub async fn remove_grant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, index)): Path<(String, String)>,
    Submitted(form): Submitted<RemoveGrantForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_trial(&ctx, &id)?;
    let index: usize = index.parse().map_err(|_| PageError::not_found(&ctx))?;
    match state.app.remove_grant(actor, id, index, form.version).await {
        Ok(()) => Ok(Redirect::to(&format!("/trials/{}?removed=1#grants", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = read_trial(&state, &ctx, id).await?;
            let input = GrantInput::default();
            let page = trial_page(&ctx, &view, Typed::Grant(&input, &problems), None, state.app.today());
            Ok(render(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
