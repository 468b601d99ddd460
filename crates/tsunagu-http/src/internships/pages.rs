//! The slot form (`/employers/{id}/slots/new`, `/slots/{id}`) and a person's internships
//! (`/persons/{id}/internships`): the slots they were placed into with how each went, and the
//! slots still to come with a button to place them.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::internships::PersonInternships;
use tsunagu_domain::Problems;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::internship::{BookingId, Outcome, OutcomeInput, Slot, SlotId, SlotInput, SlotKind};
use tsunagu_domain::person::PersonId;
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::{FormQuery, Submitted};
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, coded_options, date_text, errors_of, field, render};

/// "2026年12月7日（月）〜11日（金）", or the one day.
pub(crate) fn days_text(tr: Tr, slot: &Slot) -> String {
    let f = &slot.fields;
    if f.starts_on == f.ends_on {
        date_text(tr, f.starts_on)
    } else {
        format!("{} – {}", date_text(tr, f.starts_on), date_text(tr, f.ends_on))
    }
}

pub(crate) fn kind_text(tr: Tr, kind: SlotKind) -> String {
    tr.get(&format!("slot-kind-{}", kind.code()))
}

// ---------------------------------------------------------------------------------------------
// The slot form

#[derive(Template)]
#[template(path = "slot_form.html")]
struct SlotFormPage {
    layout: Layout,
    employer: String,
    employer_href: String,
    /// The slot's facts, when it exists.
    facts: Vec<(String, String)>,
    action: String,
    version: Option<i64>,
    may_edit: bool,
    errors: Vec<(String, String)>,
    slot_kind: Field,
    kind_options: Vec<SelectOption>,
    slot_title: Field,
    first_day: Field,
    last_day: Field,
    capacity: Field,
    slot_note: Field,
    notice: Option<String>,
}

struct SlotTarget {
    heading: String,
    employer: (Uuid, String),
    facts: Vec<(String, String)>,
    action: String,
    version: Option<i64>,
    may_edit: bool,
}

fn slot_form(
    ctx: &Ctx,
    input: &SlotInput,
    problems: &Problems,
    target: SlotTarget,
    notice: Option<String>,
) -> SlotFormPage {
    let tr = ctx.tr();
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let mut capacity = text("capacity", &input.capacity, "text", 2, true);
    capacity.inputmode = Some("numeric");
    SlotFormPage {
        layout: ctx.layout(target.heading),
        employer: target.employer.1,
        employer_href: format!("/employers/{}", target.employer.0),
        facts: target.facts,
        action: target.action,
        version: target.version,
        may_edit: target.may_edit,
        errors: errors_of(tr, problems),
        slot_kind: text("slot_kind", &input.slot_kind, "radio", 0, true),
        kind_options: coded_options(
            tr,
            &SlotKind::ALL,
            SlotKind::code,
            "slot-kind",
            std::slice::from_ref(&input.slot_kind),
        ),
        slot_title: text("slot_title", &input.slot_title, "text", 100, true),
        first_day: text("first_day", &input.first_day, "date", 10, true),
        last_day: text("last_day", &input.last_day, "date", 10, false),
        capacity,
        slot_note: text("slot_note", &input.slot_note, "textarea", 1000, false),
        notice,
    }
}

fn parse_employer(ctx: &Ctx, raw: &str) -> Result<EmployerId, PageError> {
    Uuid::parse_str(raw).map(EmployerId).map_err(|_| PageError::not_found(ctx))
}

fn parse_slot(ctx: &Ctx, raw: &str) -> Result<SlotId, PageError> {
    Uuid::parse_str(raw).map(SlotId).map_err(|_| PageError::not_found(ctx))
}

async fn new_target(state: &AppState, ctx: &Ctx, employer: EmployerId) -> Result<SlotTarget, PageError> {
    let actor = ctx.require_account()?;
    if !tsunagu_app::App::may_add_employers(actor) {
        return Err(PageError::forbidden(ctx));
    }
    let view = state.app.employer(actor, employer).await.map_err(|e| PageError::of(ctx, e))?;
    Ok(SlotTarget {
        heading: ctx.tr().get("slot-new-title"),
        employer: (employer.0, view.employer.fields.name.clone()),
        facts: Vec::new(),
        action: format!("/employers/{}/slots", employer.0),
        version: None,
        may_edit: true,
    })
}

/// `GET /employers/{id}/slots/new`
pub async fn new_slot(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let employer = parse_employer(&ctx, &id)?;
    let target = new_target(&state, &ctx, employer).await?;
    let input =
        SlotInput { slot_kind: SlotKind::Internship.code().to_owned(), capacity: "1".into(), ..SlotInput::default() };
    Ok(render(StatusCode::OK, &slot_form(&ctx, &input, &Problems::new(), target, None)))
}

/// The slot form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SlotForm {
    csrf: Option<String>,
    version: String,
    slot_kind: String,
    slot_title: String,
    first_day: String,
    last_day: String,
    capacity: String,
    slot_note: String,
}

impl SlotForm {
    fn input(self) -> SlotInput {
        let SlotForm { slot_kind, slot_title, first_day, last_day, capacity, slot_note, .. } = self;
        SlotInput { slot_kind, slot_title, first_day, last_day, capacity, slot_note }
    }
}

/// `POST /employers/{id}/slots`
pub async fn create_slot(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<SlotForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let employer = parse_employer(&ctx, &id)?;
    let input = form.input();
    match state.app.create_slot(actor, employer, &input).await {
        Ok(slot) => Ok(Redirect::to(&format!("/slots/{}?saved=1", slot.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let target = new_target(&state, &ctx, employer).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &slot_form(&ctx, &input, &problems, target, None)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

async fn slot_page(
    state: &AppState,
    ctx: &Ctx,
    id: SlotId,
    typed: Option<(SlotInput, Problems)>,
    notice: Option<String>,
) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let (view, employer) = state.app.slot(actor, id).await.map_err(|e| PageError::of(ctx, e))?;
    let s = &view.slot;
    let facts = vec![
        (tr.field("slot_kind"), kind_text(tr, s.fields.kind)),
        (tr.get("slot-days"), days_text(tr, s)),
        (
            tr.get("slot-seats"),
            tr.with("slot-seats-value", &[("taken", view.taken.into()), ("capacity", s.fields.capacity.into())]),
        ),
    ];
    let target = SlotTarget {
        heading: s.fields.title.clone(),
        employer: (s.employer.0, employer),
        facts,
        action: format!("/slots/{}", id.0),
        version: Some(s.version),
        may_edit: view.may_edit,
    };
    let (status, input, problems) = match typed {
        Some((input, problems)) => (StatusCode::UNPROCESSABLE_ENTITY, input, problems),
        None => (StatusCode::OK, SlotInput::of(&s.fields), Problems::new()),
    };
    Ok(render(status, &slot_form(ctx, &input, &problems, target, notice)))
}

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SavedFlash {
    saved: Option<String>,
}

/// `GET /slots/{id}`
pub async fn slot(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<SavedFlash>,
) -> PageResult {
    let id = parse_slot(&ctx, &id)?;
    let notice = flash.saved.map(|_| ctx.tr().get("slot-saved"));
    slot_page(&state, &ctx, id, None, notice).await
}

/// `POST /slots/{id}`
pub async fn update_slot(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<SlotForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_slot(&ctx, &id)?;
    let version = form.version.trim().parse::<i64>().unwrap_or(0);
    let input = form.input();
    match state.app.update_slot(actor, id, &input, version).await {
        Ok(()) => Ok(Redirect::to(&format!("/slots/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => slot_page(&state, &ctx, id, Some((input, problems)), None).await,
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// A person's internships

struct BookingRow {
    id: Uuid,
    employer: String,
    kind: String,
    title: String,
    days: String,
    /// How it went, in words (empty until recorded).
    outcome: String,
    /// The outcome may be recorded now.
    recordable: bool,
    version: i64,
}

struct UpcomingRow {
    id: Uuid,
    employer: String,
    kind: String,
    title: String,
    days: String,
    seats: String,
    full: bool,
    /// "希望の地域" / "地域外", when areas were asked for.
    place: String,
}

#[derive(Template)]
#[template(path = "internships.html")]
struct InternshipsPage {
    layout: Layout,
    id: Uuid,
    notice: Option<String>,
    rows: Vec<BookingRow>,
    upcoming: Vec<UpcomingRow>,
    /// The slots are ranked for areas asked for.
    ranked: bool,
    writable: bool,
    book_errors: Vec<(String, String)>,
    outcome_for: Option<Uuid>,
    outcome_errors: Vec<(String, String)>,
    outcome_options: Vec<SelectOption>,
}

impl InternshipsPage {
    /// True when the outcome form of booking `id` came back with problems.
    fn recording(&self, id: &Uuid) -> bool {
        self.outcome_for.as_ref() == Some(id)
    }
}

#[derive(Default)]
struct Forms {
    /// The areas to rank the slots for (from the matches' criteria); none: the person's
    /// recorded ones.
    areas: Vec<tsunagu_domain::LocalGovCode>,
    book_problems: Problems,
    outcome_for: Option<Uuid>,
    outcome_problems: Problems,
}

fn internships_page(
    ctx: &Ctx,
    id: PersonId,
    read: PersonInternships,
    forms: Forms,
    notice: Option<String>,
    today: time::Date,
) -> InternshipsPage {
    let tr = ctx.tr();
    let rows = read
        .bookings
        .iter()
        .map(|(b, s, employer)| BookingRow {
            id: b.id.0,
            employer: employer.clone(),
            kind: kind_text(tr, s.fields.kind),
            title: s.fields.title.clone(),
            days: days_text(tr, s),
            outcome: b.outcome.as_ref().map_or_else(String::new, |o| {
                let mut words = vec![tr.get(&format!("booking-outcome-{}", o.outcome.code()))];
                if o.insurance_subsidy {
                    words.push(tr.get("field-insurance_subsidy"));
                }
                if o.employer_grant {
                    words.push(tr.get("field-employer_grant"));
                }
                if !o.note.is_empty() {
                    words.push(o.note.clone());
                }
                words.join(tr.separator())
            }),
            recordable: read.writable && b.outcome.is_none() && s.fields.starts_on <= today,
            version: b.version,
        })
        .collect();
    let upcoming = read
        .upcoming
        .iter()
        .map(|(u, near)| UpcomingRow {
            place: match (read.areas.is_empty(), near) {
                (true, _) => String::new(),
                (false, true) => tr.get("internships-in-area"),
                (false, false) => tr.get("internships-out-of-area"),
            },
            id: u.slot.id.0,
            employer: u.employer.clone(),
            kind: kind_text(tr, u.slot.fields.kind),
            title: u.slot.fields.title.clone(),
            days: days_text(tr, &u.slot),
            seats: tr
                .with("slot-seats-value", &[("taken", u.taken.into()), ("capacity", u.slot.fields.capacity.into())]),
            full: u.taken >= u32::from(u.slot.fields.capacity),
        })
        .collect();
    InternshipsPage {
        layout: ctx.layout(tr.with("internships-title-of", &[("name", read.name.as_str().into())])),
        id: id.0,
        notice,
        rows,
        upcoming,
        ranked: !read.areas.is_empty(),
        writable: read.writable,
        book_errors: errors_of(tr, &forms.book_problems),
        outcome_for: forms.outcome_for,
        outcome_errors: errors_of(tr, &forms.outcome_problems),
        outcome_options: coded_options(tr, &Outcome::ALL, Outcome::code, "booking-outcome", &[]),
    }
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
    let read = match state.app.person_internships(actor, id, &forms.areas).await {
        Ok(read) => read,
        Err(AppError::Denied(denial)) => return Err(denied_response(ctx, id, denial)),
        Err(e) => return Err(PageError::of(ctx, e)),
    };
    Ok(render(status, &internships_page(ctx, id, read, forms, notice, state.app.today())))
}

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct InternshipsFlash {
    booked: Option<String>,
    recorded: Option<String>,
    /// Municipality codes to rank the slots for (the matches page's areas).
    areas: Vec<String>,
}

/// `GET /persons/{id}/internships`
pub async fn internships(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    FormQuery(flash): FormQuery<InternshipsFlash>,
) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let tr = ctx.tr();
    let notice = if flash.booked.is_some() {
        Some(tr.get("booking-made"))
    } else {
        flash.recorded.map(|_| tr.get("booking-outcome-recorded"))
    };
    // Codes that are none are left out: the ranking is a suggestion, not a form.
    let areas = flash.areas.iter().filter_map(|a| tsunagu_domain::LocalGovCode::parse(a.trim()).ok()).collect();
    show(&state, &ctx, id, Forms { areas, ..Forms::default() }, notice, StatusCode::OK).await
}

/// The booking form as submitted: the slot chosen.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct BookForm {
    csrf: Option<String>,
    slot: String,
}

/// `POST /persons/{id}/internships`
pub async fn book(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<BookForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let slot = Uuid::parse_str(form.slot.trim()).map(SlotId).unwrap_or(SlotId(Uuid::nil()));
    match state.app.book(actor, id, slot).await {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{}/internships?booked=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let forms = Forms { book_problems: problems, ..Forms::default() };
            show(&state, &ctx, id, forms, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::NotFound) => {
            let mut problems = Problems::new();
            problems.add("slot", "unknown_slot");
            show(
                &state,
                &ctx,
                id,
                Forms { book_problems: problems, ..Forms::default() },
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// The outcome form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OutcomeForm {
    csrf: Option<String>,
    version: String,
    outcome: String,
    outcome_note: String,
    insurance_subsidy: String,
    employer_grant: String,
}

/// `POST /persons/{id}/internships/{booking}/outcome`
pub async fn record_outcome(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, booking)): Path<(String, String)>,
    Submitted(form): Submitted<OutcomeForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let booking = Uuid::parse_str(&booking).map(BookingId).map_err(|_| PageError::not_found(&ctx))?;
    let version = form.version.trim().parse::<i64>().unwrap_or(0);
    let OutcomeForm { outcome, outcome_note, insurance_subsidy, employer_grant, .. } = form;
    let input = OutcomeInput { outcome, outcome_note, insurance_subsidy, employer_grant };
    match state.app.record_outcome(actor, id, booking, &input, version).await {
        Ok(()) => Ok(Redirect::to(&format!("/persons/{}/internships?recorded=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let forms = Forms { outcome_for: Some(booking.0), outcome_problems: problems, ..Forms::default() };
            show(&state, &ctx, id, forms, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
