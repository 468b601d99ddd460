//! Interview fairs: the list with the form for a new one, a fair's page (its companies, its
//! participants and their choices, the schedule with the greedy baseline beside it, and the forms
//! that change them) and the printable timetables, one per company and one per participant.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tsunagu_app::AppError;
use tsunagu_app::fairs::FairEdit;
use tsunagu_domain::Problems;
use tsunagu_domain::directory::{AgencyId, AgencyKind};
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::fair::{Fair, FairHeaderInput, FairId, MAX_CHOICES};
use uuid::Uuid;

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, clock_text, date_text, errors_of, field, render};

/// The fields of the header form, in the order the page shows them.
const HEADER_FIELDS: [&str; 6] = ["title", "date", "venue", "starts", "slot_minutes", "slots"];

fn parse_fair(ctx: &Ctx, raw: &str) -> Result<FairId, PageError> {
    Uuid::parse_str(raw).map(FairId).map_err(|_| PageError::not_found(ctx))
}

/// The header form's fields filled with `input`.
fn header_fields(tr: Tr, problems: &Problems, input: &FairHeaderInput) -> Vec<Field> {
    let values = [&input.title, &input.date, &input.venue, &input.starts, &input.slot_minutes, &input.slots];
    HEADER_FIELDS
        .iter()
        .zip(values)
        .map(|(&name, value)| {
            let (kind, max, required, numeric) = match name {
                "title" => ("text", 100, true, false),
                "venue" => ("text", 200, false, false),
                "date" => ("date", 10, true, false),
                "starts" => ("time", 5, true, false),
                _ => ("text", 3, true, true),
            };
            let mut f = field(tr, problems, name, value, kind, max, required);
            f.inputmode = numeric.then_some("numeric");
            f
        })
        .collect()
}

fn header_input(fair: &Fair) -> FairHeaderInput {
    let h = &fair.header;
    FairHeaderInput {
        title: h.title.clone(),
        date: h.date.to_string(),
        venue: h.venue.clone().unwrap_or_default(),
        starts: clock_text(h.starts),
        slot_minutes: h.slot_minutes.to_string(),
        slots: h.slots.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The list

struct FairRow {
    id: Uuid,
    date: String,
    title: String,
    organiser: String,
    companies: usize,
    participants: usize,
    meetings: usize,
    state: String,
}

#[derive(Template)]
#[template(path = "fairs.html")]
struct FairsPage {
    layout: Layout,
    rows: Vec<FairRow>,
    may_create: bool,
    errors: Vec<(String, String)>,
    fields: Vec<Field>,
}

async fn fairs_page(state: &AppState, ctx: &Ctx, input: &FairHeaderInput, problems: &Problems) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let fairs = state.app.fairs(actor).await.map_err(|e| PageError::of(ctx, e))?;
    let index = state.app.directory().await.map_err(|e| PageError::of(ctx, e))?;
    let rows = fairs
        .iter()
        .map(|f| FairRow {
            id: f.id.0,
            date: date_text(tr, f.header.date),
            title: f.header.title.clone(),
            organiser: index.agency(f.organiser).map(|a| a.name.clone()).unwrap_or_default(),
            companies: f.companies.len(),
            participants: f.participants.len(),
            meetings: f.meetings.len(),
            state: tr.get(&format!("fair-state-{}", f.state().code())),
        })
        .collect();
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = FairsPage {
        layout: ctx.layout(tr.get("fairs-title")),
        rows,
        may_create: tsunagu_app::App::may_organise_fairs(actor),
        errors: errors_of(tr, problems),
        fields: header_fields(tr, problems, input),
    };
    Ok(render(status, &page))
}

/// `GET /fairs`
pub async fn fairs(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let input = FairHeaderInput { slot_minutes: "20".into(), slots: "6".into(), ..FairHeaderInput::default() };
    fairs_page(&state, &ctx, &input, &Problems::new()).await
}

/// The header form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct HeaderForm {
    csrf: Option<String>,
    version: i64,
    title: String,
    date: String,
    venue: String,
    starts: String,
    slot_minutes: String,
    slots: String,
}

impl HeaderForm {
    fn input(&self) -> FairHeaderInput {
        FairHeaderInput {
            title: self.title.clone(),
            date: self.date.clone(),
            venue: self.venue.clone(),
            starts: self.starts.clone(),
            slot_minutes: self.slot_minutes.clone(),
            slots: self.slots.clone(),
        }
    }
}

/// `POST /fairs`
pub async fn create_fair(
    State(state): State<AppState>,
    ctx: Ctx,
    Submitted(form): Submitted<HeaderForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let input = form.input();
    match state.app.create_fair(actor, &input).await {
        Ok(fair) => Ok(Redirect::to(&format!("/fairs/{}", fair.id.0)).into_response()),
        Err(AppError::Invalid(problems)) => fairs_page(&state, &ctx, &input, &problems).await,
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// A fair

struct CompanyRow {
    id: Uuid,
    name: String,
    desks: u16,
    meetings: usize,
    /// Participants who asked for it.
    asked: usize,
}

struct ParticipantRow {
    id: Uuid,
    name: String,
    wants: u16,
    /// Companies asked for, first choice first.
    choices: Vec<String>,
    meetings: usize,
}

/// One row of the schedule grid: a company's desk and who it meets in each slot.
struct GridRow {
    company: String,
    desk: String,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "fair.html")]
struct FairPage {
    layout: Layout,
    id: Uuid,
    version: i64,
    notice: Option<String>,
    may_edit: bool,
    date: String,
    times: String,
    venue: String,
    organiser: String,
    companies: Vec<CompanyRow>,
    participants: Vec<ParticipantRow>,
    /// The slots' times, for the grid's columns.
    slots: Vec<String>,
    grid: Vec<GridRow>,
    /// What the schedule gave, beside the greedy baseline, when there is one.
    outcome: Vec<(String, String)>,
    stale: bool,
    scheduled: bool,
    errors: Vec<(String, String)>,
    header_fields: Vec<Field>,
    corporate_number: Field,
    desks: Field,
    agency: Field,
    /// The directory's agencies by kind, for the participant form.
    agency_groups: Vec<(String, Vec<SelectOption>)>,
    wants: Field,
    /// The choice menus: (id, label), options.
    choices: Vec<(String, String, Vec<SelectOption>)>,
    choices_error: Option<String>,
}

/// What a fair page's forms hold when it is shown again after a problem.
#[derive(Debug, Default)]
struct Typed {
    header: Option<FairHeaderInput>,
    corporate_number: String,
    desks: String,
    agency: String,
    wants: String,
    choices: Vec<String>,
}

async fn fair_page(
    state: &AppState,
    ctx: &Ctx,
    fair: &Fair,
    typed: &Typed,
    problems: &Problems,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let index = state.app.directory().await.map_err(|e| PageError::of(ctx, e))?;
    let may_edit = tsunagu_app::App::may_edit_fair(actor, fair);
    let (first, _) = fair.slot_times(0);
    let (_, last) = fair.slot_times(fair.header.slots.saturating_sub(1));
    let count = |f: &dyn Fn(&tsunagu_domain::fair::FairMeeting) -> bool| fair.meetings.iter().filter(|m| f(m)).count();
    let companies = fair
        .companies
        .iter()
        .map(|c| CompanyRow {
            id: c.employer.0,
            name: c.name.clone(),
            desks: c.desks,
            meetings: count(&|m| m.employer == c.employer),
            asked: fair.participants.iter().filter(|p| p.choices.contains(&c.employer)).count(),
        })
        .collect();
    let participants = fair
        .participants
        .iter()
        .map(|p| ParticipantRow {
            id: p.agency.0,
            name: p.name.clone(),
            wants: p.wants,
            choices: p.choices.iter().filter_map(|e| fair.company_name(*e)).map(str::to_owned).collect(),
            meetings: count(&|m| m.agency == p.agency),
        })
        .collect();
    let slots: Vec<String> = (0..fair.header.slots).map(|s| clock_text(fair.slot_times(s).0)).collect();
    let grid = if fair.meetings.is_empty() {
        Vec::new()
    } else {
        fair.companies
            .iter()
            .flat_map(|c| {
                fair.company_timetable(c.employer).into_iter().enumerate().map(move |(desk, row)| (c, desk, row))
            })
            .map(|(c, desk, row)| GridRow {
                company: c.name.clone(),
                // A desk is named only where the company holds more than one.
                desk: if c.desks > 1 { tr.with("fair-desk", &[("desk", (desk + 1).into())]) } else { String::new() },
                cells: row
                    .iter()
                    .map(|a| a.and_then(|a| fair.participant_name(a)).unwrap_or_default().to_owned())
                    .collect(),
            })
            .collect()
    };
    let outcome = fair
        .outcome
        .as_ref()
        .map(|o| {
            let mut rows = vec![
                (
                    tr.get("fair-outcome-optimal"),
                    tr.with("fair-outcome-value", &[("total", o.total.into()), ("meetings", o.meetings.into())]),
                ),
                (
                    tr.get("fair-outcome-greedy"),
                    tr.with(
                        "fair-outcome-value",
                        &[("total", o.greedy_total.into()), ("meetings", o.greedy_meetings.into())],
                    ),
                ),
            ];
            // What changed since the schedule before, when there was one.
            if o.kept + o.moved + o.dropped > 0 {
                rows.push((
                    tr.get("fair-outcome-changes"),
                    tr.with(
                        "fair-outcome-changes-value",
                        &[
                            ("kept", o.kept.into()),
                            ("moved", o.moved.into()),
                            ("added", o.added.into()),
                            ("dropped", o.dropped.into()),
                        ],
                    ),
                ));
            }
            rows
        })
        .unwrap_or_default();

    let mut agency_groups: Vec<(String, Vec<SelectOption>)> = Vec::new();
    for kind in AgencyKind::ALL {
        let mut options: Vec<(&str, SelectOption)> = index
            .agencies()
            .iter()
            .filter(|a| a.kind == kind && a.id != fair.organiser)
            .map(|a| {
                let value = a.id.0.to_string();
                let selected = value == typed.agency;
                (a.name_kana.as_str(), SelectOption { value, label: a.name.clone(), selected })
            })
            .collect();
        options.sort_by(|a, b| a.0.cmp(b.0));
        if !options.is_empty() {
            agency_groups.push((tr.kind(&kind), options.into_iter().map(|(_, o)| o).collect()));
        }
    }
    let choices = (0..MAX_CHOICES)
        .map(|i| {
            let chosen = typed.choices.get(i).map(String::as_str).unwrap_or("");
            let options = fair
                .companies
                .iter()
                .map(|c| SelectOption {
                    value: c.employer.0.to_string(),
                    label: c.name.clone(),
                    selected: c.employer.0.to_string() == chosen,
                })
                .collect();
            let id = if i == 0 { "choices".to_owned() } else { format!("choice-{}", i + 1) };
            (id, tr.with("fair-choice", &[("rank", (i + 1).into())]), options)
        })
        .collect();
    let header = typed.header.clone().unwrap_or_else(|| header_input(fair));
    let mut corporate_number = field(tr, problems, "corporate_number", &typed.corporate_number, "text", 20, true);
    corporate_number.inputmode = Some("numeric");
    let mut desks = field(tr, problems, "desks", &typed.desks, "text", 2, true);
    desks.inputmode = Some("numeric");
    let mut wants = field(tr, problems, "wants", &typed.wants, "text", 2, true);
    wants.inputmode = Some("numeric");
    let page = FairPage {
        layout: ctx.layout(fair.header.title.clone()),
        id: fair.id.0,
        version: fair.version,
        notice,
        may_edit,
        date: date_text(tr, fair.header.date),
        times: format!("{}–{}", clock_text(first), clock_text(last)),
        venue: fair.header.venue.clone().unwrap_or_default(),
        organiser: index.agency(fair.organiser).map(|a| a.name.clone()).unwrap_or_default(),
        companies,
        participants,
        slots,
        grid,
        outcome,
        stale: fair.stale,
        scheduled: fair.outcome.is_some(),
        errors: errors_of(tr, problems),
        header_fields: header_fields(tr, problems, &header),
        corporate_number,
        desks,
        agency: field(tr, problems, "participant", &typed.agency, "select", 0, true),
        agency_groups,
        wants,
        choices,
        choices_error: problems.for_field("choices").map(|p| tr.problem(p.field, false, p.code, p.limit)),
    };
    Ok(render(status, &page))
}

/// What a fair's page says after a change (`?done=saved` or `?done=scheduled`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// `GET /fairs/{id}`
pub async fn fair(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_fair(&ctx, &id)?;
    let fair = state.app.fair(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let typed = Typed { desks: "1".into(), wants: "2".into(), ..Typed::default() };
    let notice = match query.done.as_str() {
        "saved" => Some(ctx.tr().get("fair-done-saved")),
        "scheduled" => Some(ctx.tr().get("fair-done-scheduled")),
        _ => None,
    };
    fair_page(&state, &ctx, &fair, &typed, &Problems::new(), notice, StatusCode::OK).await
}

/// The account behind a fair's form, if it may organise fairs at all (whether it may edit this
/// one is decided with the fair).
fn editor<'c>(ctx: &'c Ctx, csrf: Option<&str>) -> Result<&'c tsunagu_domain::account::Account, PageError> {
    let actor = ctx.authorize_form(csrf)?;
    if tsunagu_app::App::may_organise_fairs(actor) { Ok(actor) } else { Err(PageError::forbidden(ctx)) }
}

/// Applies an edit and answers: back to the fair on success (the notice in the query), the page
/// with the problems and what was typed otherwise.
async fn edit(
    state: &AppState,
    ctx: &Ctx,
    raw_id: &str,
    csrf: Option<&str>,
    version: i64,
    edit: FairEdit,
    typed: Typed,
) -> PageResult {
    let actor = editor(ctx, csrf)?;
    let id = parse_fair(ctx, raw_id)?;
    let done = match &edit {
        FairEdit::Schedule => "scheduled",
        _ => "saved",
    };
    match state.app.edit_fair(actor, id, version, edit).await {
        Ok(fair) => {
            let anchor = if done == "scheduled" { "#schedule" } else { "" };
            Ok(Redirect::to(&format!("/fairs/{}?done={done}{anchor}", fair.id.0)).into_response())
        }
        Err(AppError::Invalid(problems)) => {
            let fair = state.app.fair(actor, id).await.map_err(|e| PageError::of(ctx, e))?;
            fair_page(state, ctx, &fair, &typed, &problems, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::FairChanged(now)) => {
            let notice = Some(ctx.tr().get("fair-changed-meanwhile"));
            fair_page(state, ctx, &now, &typed, &Problems::new(), notice, StatusCode::CONFLICT).await
        }
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// `POST /fairs/{id}/header`
pub async fn edit_header(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<HeaderForm>,
) -> PageResult {
    let input = form.input();
    let typed = Typed { header: Some(input.clone()), ..Typed::default() };
    edit(&state, &ctx, &id, form.csrf.as_deref(), form.version, FairEdit::Header(input), typed).await
}

/// The company form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CompanyForm {
    csrf: Option<String>,
    version: i64,
    corporate_number: String,
    desks: String,
}

/// `POST /fairs/{id}/companies`
pub async fn set_company(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<CompanyForm>,
) -> PageResult {
    let typed =
        Typed { corporate_number: form.corporate_number.clone(), desks: form.desks.clone(), ..Typed::default() };
    let change = FairEdit::Company { corporate_number: form.corporate_number, desks: form.desks };
    edit(&state, &ctx, &id, form.csrf.as_deref(), form.version, change, typed).await
}

/// A form that carries only its token and the version it was loaded at.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct VersionForm {
    csrf: Option<String>,
    version: i64,
}

/// `POST /fairs/{id}/companies/{employer}/remove`
pub async fn remove_company(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, employer)): Path<(String, String)>,
    Submitted(form): Submitted<VersionForm>,
) -> PageResult {
    editor(&ctx, form.csrf.as_deref())?;
    let employer = Uuid::parse_str(&employer).map(EmployerId).map_err(|_| PageError::not_found(&ctx))?;
    let change = FairEdit::RemoveCompany(employer);
    edit(&state, &ctx, &id, form.csrf.as_deref(), form.version, change, Typed::default()).await
}

/// The participant form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ParticipantForm {
    csrf: Option<String>,
    version: i64,
    participant: String,
    wants: String,
    choices: Vec<String>,
}

/// `POST /fairs/{id}/participants`
pub async fn set_participant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<ParticipantForm>,
) -> PageResult {
    let typed = Typed {
        agency: form.participant.clone(),
        wants: form.wants.clone(),
        choices: form.choices.clone(),
        ..Typed::default()
    };
    let change = FairEdit::Participant { agency: form.participant, wants: form.wants, choices: form.choices };
    edit(&state, &ctx, &id, form.csrf.as_deref(), form.version, change, typed).await
}

/// `POST /fairs/{id}/participants/{agency}/remove`
pub async fn remove_participant(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, agency)): Path<(String, String)>,
    Submitted(form): Submitted<VersionForm>,
) -> PageResult {
    editor(&ctx, form.csrf.as_deref())?;
    let agency = Uuid::parse_str(&agency).map(AgencyId).map_err(|_| PageError::not_found(&ctx))?;
    let change = FairEdit::RemoveParticipant(agency);
    edit(&state, &ctx, &id, form.csrf.as_deref(), form.version, change, Typed::default()).await
}

/// `POST /fairs/{id}/schedule`
pub async fn schedule(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<VersionForm>,
) -> PageResult {
    edit(&state, &ctx, &id, form.csrf.as_deref(), form.version, FairEdit::Schedule, Typed::default()).await
}

// ---------------------------------------------------------------------------------------------
// Timetables

/// A printed timetable: a company's (a row per slot, a column per desk) or a participant's (a
/// row per meeting).
struct Sheet {
    title: String,
    columns: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "fair_timetable.html")]
struct TimetablePage {
    layout: Layout,
    id: Uuid,
    heading: String,
    companies: Vec<Sheet>,
    participants: Vec<Sheet>,
}

fn timetables(tr: Tr, fair: &Fair) -> (Vec<Sheet>, Vec<Sheet>) {
    let time = |slot: u16| {
        let (from, to) = fair.slot_times(slot);
        format!("{}–{}", clock_text(from), clock_text(to))
    };
    let companies = fair
        .companies
        .iter()
        .map(|c| {
            let grid = fair.company_timetable(c.employer);
            let columns = (1..=grid.len()).map(|d| tr.with("fair-desk", &[("desk", d.into())])).collect();
            let rows = (0..fair.header.slots)
                .map(|s| {
                    let cells = grid
                        .iter()
                        .map(|row| {
                            row.get(usize::from(s))
                                .copied()
                                .flatten()
                                .and_then(|a| fair.participant_name(a))
                                .unwrap_or("—")
                                .to_owned()
                        })
                        .collect();
                    (time(s), cells)
                })
                .collect();
            Sheet { title: c.name.clone(), columns, rows }
        })
        .collect();
    let participants = fair
        .participants
        .iter()
        .map(|p| {
            let rows = fair
                .participant_timetable(p.agency)
                .iter()
                .map(|m| {
                    let rank = fair
                        .rank(p.agency, m.employer)
                        .map_or_else(String::new, |r| tr.with("fair-choice", &[("rank", r.into())]));
                    (
                        time(m.slot),
                        vec![
                            fair.company_name(m.employer).unwrap_or_default().to_owned(),
                            tr.with("fair-desk", &[("desk", (m.desk + 1).into())]),
                            rank,
                        ],
                    )
                })
                .collect();
            let columns = vec![tr.get("fair-company"), tr.get("fair-desk-column"), tr.get("fair-rank")];
            Sheet { title: p.name.clone(), columns, rows }
        })
        .collect();
    (companies, participants)
}

/// `GET /fairs/{id}/timetable`
pub async fn timetable(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, PageError> {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let id = parse_fair(&ctx, &id)?;
    let fair = state.app.fair(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let (companies, participants) = timetables(tr, &fair);
    let page = TimetablePage {
        layout: ctx.layout(tr.with("fair-timetable-title", &[("title", fair.header.title.clone().into())])),
        id: fair.id.0,
        heading: format!("{} {}", date_text(tr, fair.header.date), fair.header.venue.clone().unwrap_or_default()),
        companies,
        participants,
    };
    Ok(render(StatusCode::OK, &page))
}
