//! Events' pages: `/events` (the viewer's sign-ups and what they ask of them, and the events to
//! come), an event (`/events/{id}`: sessions, curriculum, seats, sign-up, the organiser's list
//! and attendance), the organiser's form, a person's sign-ups (`/persons/{id}/events`) and the
//! certificate of completion.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::events::{EventListing, SignupLine};
use tsunagu_domain::Problems;
use tsunagu_domain::event::{
    Audience, Event, EventId, EventInput, EventKind, MAX_SESSIONS, SESSION_FIELDS, STAFF_TRAINING_CURRICULUM, Series,
    SignupId, SignupStatus, Window, curriculum_text,
};
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, coded_options, date_text, errors_of, field, render};

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
    signed: Option<String>,
    place: Option<usize>,
    cancelled: Option<String>,
    attendance: Option<String>,
    template: Option<String>,
}

impl Flash {
    fn notice(&self, tr: Tr) -> Option<String> {
        if self.saved.is_some() {
            Some(tr.get("event-saved"))
        } else if self.cancelled.is_some() {
            Some(tr.get("event-cancelled"))
        } else if self.attendance.is_some() {
            Some(tr.get("event-attendance-saved"))
        } else {
            match (self.signed.as_deref(), self.place) {
                (Some("confirmed"), _) => Some(tr.get("event-signed-confirmed")),
                (Some("waitlisted"), Some(place)) => {
                    Some(tr.with("event-signed-waitlisted", &[("place", (place as i64).into())]))
                }
                _ => None,
            }
        }
    }
}

fn parse_event(ctx: &Ctx, raw: &str) -> Result<EventId, PageError> {
    Uuid::parse_str(raw).map(EventId).map_err(|_| PageError::not_found(ctx))
}

fn parse_signup(ctx: &Ctx, raw: &str) -> Result<SignupId, PageError> {
    Uuid::parse_str(raw).map(SignupId).map_err(|_| PageError::not_found(ctx))
}

/// The days an event runs, as the reader writes them.
fn days(tr: Tr, event: &Event) -> String {
    let f = &event.fields;
    if f.starts_on == f.ends_on {
        date_text(tr, f.starts_on)
    } else {
        format!("{} – {}", date_text(tr, f.starts_on), date_text(tr, f.ends_on))
    }
}

fn hm(t: time::Time) -> String {
    format!("{}:{:02}", t.hour(), t.minute())
}

/// Where a sign-up stands, in words.
fn status_text(tr: Tr, line: &SignupLine) -> String {
    match (line.signup.status, line.waiting_place) {
        (SignupStatus::Waitlisted, Some(place)) => {
            tr.with("event-status-waitlisted-place", &[("place", (place as i64).into())])
        }
        (status, _) => tr.get(&format!("event-status-{}", status.code())),
    }
}

struct SignupRow {
    id: Uuid,
    event: Uuid,
    title: String,
    days: String,
    name: String,
    status: String,
    attended: String,
    cancellable: bool,
    certificate: bool,
}

fn signup_row(tr: Tr, line: &SignupLine, event: &Event) -> SignupRow {
    let sessions = event.fields.sessions.len();
    let held = (0..sessions).filter(|i| line.signup.attended(*i)).count();
    SignupRow {
        id: line.signup.id.0,
        event: event.id.0,
        title: event.fields.title.clone(),
        days: days(tr, event),
        name: line.name.clone(),
        status: status_text(tr, line),
        attended: tr.with("event-attended-of", &[("held", (held as i64).into()), ("all", (sessions as i64).into())]),
        cancellable: line.signup.status != SignupStatus::Cancelled,
        certificate: line.signup.status == SignupStatus::Confirmed && line.signup.completed(sessions),
    }
}

struct EventRow {
    id: Uuid,
    days: String,
    title: String,
    kind: String,
    organiser: String,
    capacity: u32,
    window: String,
}

fn window_text(tr: Tr, event: &Event, today: time::Date) -> String {
    match event.window(today) {
        Window::NotYet(from) => tr.with("event-window-not-yet", &[("date", date_text(tr, from).into())]),
        Window::Open => tr.with("event-window-open", &[("date", date_text(tr, event.fields.closes_on).into())]),
        Window::Closed(_) => tr.get("event-window-closed"),
    }
}

fn event_row(tr: Tr, listing: &EventListing, today: time::Date) -> EventRow {
    let e = &listing.event;
    EventRow {
        id: e.id.0,
        days: days(tr, e),
        title: e.fields.title.clone(),
        kind: tr.get(&format!("event-kind-{}", e.fields.kind.code())),
        organiser: listing.organiser.clone(),
        capacity: e.fields.capacity,
        window: window_text(tr, e, today),
    }
}

struct Reminder {
    event: Uuid,
    title: String,
    name: String,
    when: String,
}

#[derive(Template)]
#[template(path = "events.html")]
struct ListPage {
    layout: Layout,
    notice: Option<String>,
    may_organise: bool,
    promoted: Vec<SignupRow>,
    reminders: Vec<Reminder>,
    mine: Vec<SignupRow>,
    events: Vec<EventRow>,
}

/// `GET /events`
pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(flash): Query<Flash>) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let today = state.app.today();
    let listed = state.app.upcoming_events(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let mine = state.app.my_events(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let page = ListPage {
        layout: ctx.layout(tr.get("events-title")),
        notice: flash.notice(tr),
        may_organise: tsunagu_app::App::may_organise_events(actor),
        promoted: mine.promoted.iter().map(|(l, e)| signup_row(tr, l, e)).collect(),
        reminders: mine
            .reminders
            .iter()
            .filter_map(|(l, e, i)| {
                let s = e.fields.sessions.get(*i)?;
                Some(Reminder {
                    event: e.id.0,
                    title: e.fields.title.clone(),
                    name: l.name.clone(),
                    when: format!("{} {}–{}", date_text(tr, s.date), hm(s.starts_at), hm(s.ends_at)),
                })
            })
            .collect(),
        mine: mine.signups.iter().map(|(l, e)| signup_row(tr, l, e)).collect(),
        events: listed.iter().map(|l| event_row(tr, l, today)).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

struct CouncilRow {
    id: Uuid,
    days: String,
    title: String,
    area: String,
    organiser: String,
    minutes: String,
}

#[derive(Template)]
#[template(path = "councils.html")]
struct CouncilsPage {
    layout: Layout,
    rows: Vec<CouncilRow>,
}

/// `GET /councils`: the council meetings, the latest first, with whether their minutes are in.
pub async fn councils(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let listed = state.app.councils(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let en = tr.lang() == crate::web::i18n::Lang::En;
    let today = state.app.today();
    let rows = listed
        .iter()
        .map(|l| {
            let f = &l.event.fields;
            let area = f.area.as_ref().map_or_else(
                || tr.get("council-area-all"),
                |code| {
                    refs.block(code)
                        .map_or_else(|| code.0.clone(), |b| if en { b.name_en.clone() } else { b.name_ja.clone() })
                },
            );
            let minutes = if !f.minutes.is_empty() {
                tr.get("council-minutes-in")
            } else if f.starts_on > today {
                tr.get("council-minutes-later")
            } else {
                tr.get("council-minutes-missing")
            };
            CouncilRow {
                id: l.event.id.0,
                days: days(tr, &l.event),
                title: f.title.clone(),
                area,
                organiser: l.organiser.clone(),
                minutes,
            }
        })
        .collect();
    Ok(render(StatusCode::OK, &CouncilsPage { layout: ctx.layout(tr.get("councils-title")), rows }))
}

struct SessionRow {
    number: usize,
    date: String,
    hours: String,
    place: String,
    link: Option<String>,
    attendance: Option<String>,
}

struct RosterRow {
    id: Uuid,
    position: i64,
    name: String,
    status: String,
    attended: String,
    cancellable: bool,
    certificate: bool,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPageView {
    layout: Layout,
    notice: Option<String>,
    errors: Vec<(String, String)>,
    id: Uuid,
    kind: String,
    series: Option<String>,
    audiences: String,
    organiser: String,
    days: String,
    capacity: u32,
    seats: String,
    window: String,
    description: String,
    sessions: Vec<SessionRow>,
    curriculum: Vec<(String, String)>,
    area: Option<String>,
    agenda: String,
    minutes: String,
    self_signup: Option<String>,
    refusal: Option<String>,
    for_persons: bool,
    mine: Vec<SignupRow>,
    roster: Option<Vec<RosterRow>>,
    may_edit: bool,
}

async fn event_response(
    state: &AppState,
    ctx: &Ctx,
    id: EventId,
    notice: Option<String>,
    problems: &Problems,
    status: StatusCode,
) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let page = state.app.event_page(actor, id).await.map_err(|e| PageError::of(ctx, e))?;
    let today = state.app.today();
    let e = &page.event;
    let f = &e.fields;
    let sessions = f
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| SessionRow {
            number: i + 1,
            date: date_text(tr, s.date),
            hours: format!("{}–{}", hm(s.starts_at), hm(s.ends_at)),
            place: if s.is_online() { tr.get("event-online") } else { s.place.clone() },
            link: s.is_online().then(|| s.place.clone()),
            attendance: (page.may_edit && s.date <= today).then(|| format!("/events/{}/attendance/{}", e.id.0, i + 1)),
        })
        .collect();
    let roster = page.roster.as_ref().map(|lines| {
        lines
            .iter()
            .map(|l| {
                let row = signup_row(tr, l, e);
                RosterRow {
                    id: row.id,
                    position: l.signup.position,
                    name: row.name,
                    status: row.status,
                    attended: row.attended,
                    cancellable: row.cancellable,
                    certificate: row.certificate,
                }
            })
            .collect()
    });
    let view = EventPageView {
        layout: ctx.layout(f.title.clone()),
        notice,
        errors: errors_of(tr, problems),
        id: e.id.0,
        kind: tr.get(&format!("event-kind-{}", f.kind.code())),
        series: f.series.map(|s| tr.get(&format!("event-series-{}", s.code()))),
        audiences: f
            .audiences
            .iter()
            .map(|a| tr.get(&format!("event-audience-{}", a.code())))
            .collect::<Vec<_>>()
            .join(tr.separator()),
        organiser: page.organiser.clone(),
        days: days(tr, e),
        capacity: f.capacity,
        seats: tr.with(
            "event-seats",
            &[("confirmed", (page.confirmed as i64).into()), ("waitlisted", (page.waitlisted as i64).into())],
        ),
        window: window_text(tr, e, today),
        description: f.description.clone(),
        sessions,
        curriculum: f.curriculum.iter().map(|s| (s.title.clone(), s.description.clone())).collect(),
        area: match &f.area {
            Some(code) => {
                let refs = state.app.references().await.map_err(|e| PageError::of(ctx, e))?;
                let en = tr.lang() == crate::web::i18n::Lang::En;
                Some(
                    refs.block(code)
                        .map_or_else(|| code.0.clone(), |b| if en { b.name_en.clone() } else { b.name_ja.clone() }),
                )
            }
            None => None,
        },
        agenda: f.agenda.clone(),
        minutes: f.minutes.clone(),
        self_signup: page.self_signup.is_ok().then(|| {
            if page.confirmed >= f.capacity as usize {
                tr.get("event-sign-up-waitlist")
            } else {
                tr.get("event-sign-up")
            }
        }),
        refusal: page.self_signup.err().map(|r| tr.get(&format!("event-refusal-{}", r.code()))),
        for_persons: page.may_sign_up_persons,
        mine: page.mine.iter().map(|l| signup_row(tr, l, e)).collect(),
        roster,
        may_edit: page.may_edit,
    };
    Ok(render(status, &view))
}

/// `GET /events/{id}`
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id = parse_event(&ctx, &id)?;
    event_response(&state, &ctx, id, flash.notice(ctx.tr()), &Problems::new(), StatusCode::OK).await
}

/// The sign-up form: for the viewer, or for a person (`person`, by staff).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SignupForm {
    csrf: Option<String>,
    person: Option<String>,
}

/// `POST /events/{id}/signups`
pub async fn sign_up(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<SignupForm>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_event(&ctx, &id)?;
    let person = match f.person.as_deref().filter(|p| !p.is_empty()) {
        Some(raw) => Some(parse_person(&ctx, raw)?),
        None => None,
    };
    let written = match person {
        Some(person) => state.app.sign_up_person(actor, id, person).await,
        None => state.app.sign_up_self(actor, id).await,
    };
    match written {
        Ok(line) => {
            let query = match (line.signup.status, line.waiting_place) {
                (SignupStatus::Waitlisted, Some(place)) => format!("signed=waitlisted&place={place}"),
                _ => "signed=confirmed".to_owned(),
            };
            let to = match person {
                Some(p) => format!("/persons/{}/events?{query}", p.0),
                None => format!("/events/{}?{query}", id.0),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Invalid(problems)) => match person {
            Some(p) => person_events_response(&state, &ctx, p, None, &problems, StatusCode::UNPROCESSABLE_ENTITY).await,
            None => event_response(&state, &ctx, id, None, &problems, StatusCode::UNPROCESSABLE_ENTITY).await,
        },
        Err(AppError::Denied(denial)) => match person {
            Some(p) => Err(denied_response(&ctx, p, denial)),
            None => Err(PageError::of(&ctx, AppError::Denied(denial))),
        },
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// The cancel form: where to go back to.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CancelForm {
    csrf: Option<String>,
    from: String,
}

/// `POST /signups/{id}/cancel`
pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<CancelForm>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_signup(&ctx, &id)?;
    let event = state.app.cancel_signup(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let to = match f.from.as_str() {
        "list" => "/events?cancelled=1".to_owned(),
        person if person.starts_with("person:") => match Uuid::parse_str(&person["person:".len()..]) {
            Ok(p) => format!("/persons/{p}/events?cancelled=1"),
            Err(_) => format!("/events/{}?cancelled=1", event.0),
        },
        _ => format!("/events/{}?cancelled=1", event.0),
    };
    Ok(Redirect::to(&to).into_response())
}

struct SessionInput {
    number: usize,
    date: Field,
    starts: Field,
    ends: Field,
    place: Field,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "event_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    back: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    event_kind: Field,
    kind_options: Vec<SelectOption>,
    series: Field,
    series_options: Vec<SelectOption>,
    event_title: Field,
    event_description: Field,
    audience: Field,
    audience_options: Vec<SelectOption>,
    event_starts_on: Field,
    event_ends_on: Field,
    sessions: Vec<SessionInput>,
    /// The rows shown open: those filled, or with a problem, and one more (at least three).
    shown_rows: usize,
    event_capacity: Field,
    opens_on: Field,
    closes_on: Field,
    curriculum: Field,
    template_offered: bool,
    area: Field,
    area_options: Vec<SelectOption>,
    agenda: Field,
    council_minutes: Field,
}

struct Target {
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
}

fn form(ctx: &Ctx, target: Target, input: &EventInput, problems: &Problems, blocks: &[(String, String)]) -> FormPage {
    let tr = ctx.tr();
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let cell = |values: &[String], row: usize| values.get(row).cloned().unwrap_or_default();
    let sessions = (0..MAX_SESSIONS)
        .map(|row| {
            let name = SESSION_FIELDS[row];
            let mut date = text(name, &cell(&input.session_date, row), "date", 10, row == 0);
            date.label = tr.get("event-session-date");
            date.hint = None;
            date.error = None;
            let part = |label: &str, value: String, kind: &'static str, max: u32| {
                let mut f = text(name, &value, kind, max, row == 0);
                f.label = tr.get(label);
                f.hint = None;
                f.error = None;
                f
            };
            SessionInput {
                number: row + 1,
                date,
                starts: part("event-session-starts", cell(&input.session_starts, row), "time", 5),
                ends: part("event-session-ends", cell(&input.session_ends, row), "time", 5),
                place: part(
                    "event-session-place",
                    cell(&input.session_place, row),
                    "text",
                    tsunagu_domain::event::PLACE_MAX,
                ),
                error: problems.for_field(name).map(|p| tr.problem(p.field, false, p.code, p.limit)),
            }
        })
        .collect();
    let used = (0..MAX_SESSIONS)
        .filter(|row| {
            [&input.session_date, &input.session_starts, &input.session_ends, &input.session_place]
                .iter()
                .any(|values| values.get(*row).is_some_and(|v| !v.trim().is_empty()))
                || problems.for_field(SESSION_FIELDS[*row]).is_some()
        })
        .max()
        .map_or(0, |last| last + 1);
    let shown_rows = (used + 1).clamp(3, MAX_SESSIONS);
    let series_codes: Vec<&'static str> = Series::ALL.iter().map(|s| s.code()).collect();
    FormPage {
        layout: ctx.layout(target.heading),
        action: target.action,
        back: target.back,
        version: target.version,
        errors: errors_of(tr, problems),
        event_kind: text("event_kind", &input.event_kind, "radio", 0, true),
        kind_options: coded_options(
            tr,
            EventKind::ALL,
            EventKind::code,
            "event-kind",
            std::slice::from_ref(&input.event_kind),
        ),
        series: text("series", &input.series, "select", 0, false),
        series_options: series_codes
            .iter()
            .map(|code| SelectOption {
                value: (*code).to_owned(),
                label: format!(
                    "{}（{}）",
                    tr.get(&format!("event-series-{code}")),
                    Series::parse(code).map(Series::program).unwrap_or_default()
                ),
                selected: input.series.trim() == *code,
            })
            .collect(),
        event_title: text("event_title", &input.event_title, "text", tsunagu_domain::event::TITLE_MAX, true),
        event_description: text(
            "event_description",
            &input.event_description,
            "textarea",
            tsunagu_domain::event::DESCRIPTION_MAX,
            false,
        ),
        audience: text("audience", "", "checkbox", 0, true),
        audience_options: coded_options(tr, Audience::ALL, Audience::code, "event-audience", &input.audience),
        event_starts_on: text("event_starts_on", &input.event_starts_on, "date", 10, true),
        event_ends_on: text("event_ends_on", &input.event_ends_on, "date", 10, true),
        sessions,
        shown_rows,
        event_capacity: text("event_capacity", &input.event_capacity, "number", 5, true),
        opens_on: text("opens_on", &input.opens_on, "date", 10, true),
        closes_on: text("closes_on", &input.closes_on, "date", 10, true),
        curriculum: text("curriculum", &input.curriculum, "textarea", 20_000, false),
        template_offered: input.curriculum.trim().is_empty(),
        area: text("area", &input.area, "select", 0, false),
        area_options: blocks
            .iter()
            .map(|(code, name)| SelectOption {
                value: code.clone(),
                label: name.clone(),
                selected: input.area.trim() == code,
            })
            .collect(),
        agenda: text("agenda", &input.agenda, "textarea", tsunagu_domain::event::AGENDA_MAX, false),
        council_minutes: text(
            "council_minutes",
            &input.council_minutes,
            "textarea",
            tsunagu_domain::event::MINUTES_MAX,
            false,
        ),
    }
}

/// The blocks a council may serve, as (code, name in the reader's language).
async fn blocks(state: &AppState, ctx: &Ctx) -> Result<Vec<(String, String)>, PageError> {
    let refs = state.app.references().await.map_err(|e| PageError::of(ctx, e))?;
    let en = ctx.tr().lang() == crate::web::i18n::Lang::En;
    Ok(refs.blocks.iter().map(|b| (b.code.0.clone(), if en { b.name_en.clone() } else { b.name_ja.clone() })).collect())
}

/// The event form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EventForm {
    csrf: Option<String>,
    version: Option<i64>,
    event_kind: String,
    series: String,
    event_title: String,
    event_description: String,
    audience: Vec<String>,
    event_starts_on: String,
    event_ends_on: String,
    session_date: Vec<String>,
    session_starts: Vec<String>,
    session_ends: Vec<String>,
    session_place: Vec<String>,
    event_capacity: String,
    opens_on: String,
    closes_on: String,
    curriculum: String,
    area: String,
    agenda: String,
    council_minutes: String,
}

impl EventForm {
    fn input(self) -> (EventInput, Option<String>, Option<i64>) {
        let input = EventInput {
            event_kind: self.event_kind,
            series: self.series,
            event_title: self.event_title,
            event_description: self.event_description,
            audience: self.audience,
            event_starts_on: self.event_starts_on,
            event_ends_on: self.event_ends_on,
            session_date: self.session_date,
            session_starts: self.session_starts,
            session_ends: self.session_ends,
            session_place: self.session_place,
            event_capacity: self.event_capacity,
            opens_on: self.opens_on,
            closes_on: self.closes_on,
            curriculum: self.curriculum,
            area: self.area,
            agenda: self.agenda,
            council_minutes: self.council_minutes,
        };
        (input, self.csrf, self.version)
    }
}

fn organiser_only(ctx: &Ctx) -> Result<(), PageError> {
    let actor = ctx.require_account()?;
    if tsunagu_app::App::may_organise_events(actor) { Ok(()) } else { Err(PageError::forbidden(ctx)) }
}

fn new_target(ctx: &Ctx) -> Target {
    Target { heading: ctx.tr().get("event-new-title"), action: "/events".into(), back: "/events".into(), version: None }
}

/// `GET /events/new` (`?template=staff_training` fills the seed's staff-training curriculum)
pub async fn new_event(State(state): State<AppState>, ctx: Ctx, Query(flash): Query<Flash>) -> PageResult {
    organiser_only(&ctx)?;
    let today = state.app.today().to_string();
    let mut input = EventInput { opens_on: today, ..EventInput::default() };
    if flash.template.as_deref() == Some("staff_training") {
        input.event_kind = EventKind::StaffTraining.code().into();
        input.series = Series::LevelUp.code().into();
        input.audience = vec![Audience::Staff.code().into()];
        input.curriculum = curriculum_text(
            &STAFF_TRAINING_CURRICULUM
                .iter()
                .map(|(t, d)| tsunagu_domain::event::Subject { title: (*t).into(), description: (*d).into() })
                .collect::<Vec<_>>(),
        );
    }
    let blocks = blocks(&state, &ctx).await?;
    Ok(render(StatusCode::OK, &form(&ctx, new_target(&ctx), &input, &Problems::new(), &blocks)))
}

/// `POST /events`
pub async fn create(State(state): State<AppState>, ctx: Ctx, Submitted(f): Submitted<EventForm>) -> PageResult {
    let (input, csrf, _) = f.input();
    let actor = ctx.authorize_form(csrf.as_deref())?;
    match state.app.create_event(actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/events/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let blocks = blocks(&state, &ctx).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form(&ctx, new_target(&ctx), &input, &problems, &blocks)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

async fn edit_target(state: &AppState, ctx: &Ctx, id: EventId) -> Result<(Target, EventInput), PageError> {
    let actor = ctx.require_account()?;
    let page = state.app.event_page(actor, id).await.map_err(|e| PageError::of(ctx, e))?;
    if !page.may_edit {
        return Err(PageError::forbidden(ctx));
    }
    let target = Target {
        heading: ctx.tr().with("event-edit-title", &[("title", page.event.fields.title.as_str().into())]),
        action: format!("/events/{}/edit", id.0),
        back: format!("/events/{}", id.0),
        version: Some(page.event.version),
    };
    Ok((target, EventInput::of(&page.event.fields)))
}

/// `GET /events/{id}/edit`
pub async fn edit(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_event(&ctx, &id)?;
    let (target, input) = edit_target(&state, &ctx, id).await?;
    let blocks = blocks(&state, &ctx).await?;
    Ok(render(StatusCode::OK, &form(&ctx, target, &input, &Problems::new(), &blocks)))
}

/// `POST /events/{id}/edit`
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<EventForm>,
) -> PageResult {
    let (input, csrf, version) = f.input();
    let actor = ctx.authorize_form(csrf.as_deref())?;
    let id = parse_event(&ctx, &id)?;
    match state.app.edit_event(actor, id, &input, version.unwrap_or_default()).await {
        Ok(()) => Ok(Redirect::to(&format!("/events/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let (mut target, _) = edit_target(&state, &ctx, id).await?;
            // A capacity refused keeps the version typed from; a page out of date takes the new one.
            if problems.for_field("event_capacity").is_some() {
                target.version = version;
            }
            let blocks = blocks(&state, &ctx).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form(&ctx, target, &input, &problems, &blocks)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

struct PresentRow {
    id: Uuid,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "event_attendance.html")]
struct AttendancePage {
    layout: Layout,
    errors: Vec<(String, String)>,
    id: Uuid,
    session: usize,
    rows: Vec<PresentRow>,
}

fn parse_session(ctx: &Ctx, raw: &str) -> Result<usize, PageError> {
    raw.parse::<usize>().ok().filter(|n| (1..=MAX_SESSIONS).contains(n)).ok_or_else(|| PageError::not_found(ctx))
}

async fn attendance_response(
    state: &AppState,
    ctx: &Ctx,
    id: EventId,
    session: usize,
    problems: &Problems,
    status: StatusCode,
) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let page = state.app.event_page(actor, id).await.map_err(|e| PageError::of(ctx, e))?;
    let (Some(roster), true) = (page.roster, page.may_edit) else { return Err(PageError::forbidden(ctx)) };
    let Some(s) = page.event.fields.sessions.get(session - 1) else { return Err(PageError::not_found(ctx)) };
    let heading = tr.with(
        "event-attendance-title",
        &[
            ("title", page.event.fields.title.as_str().into()),
            ("number", (session as i64).into()),
            ("date", date_text(tr, s.date).into()),
        ],
    );
    let view = AttendancePage {
        layout: ctx.layout(heading),
        errors: errors_of(tr, problems),
        id: id.0,
        session,
        rows: roster
            .iter()
            .filter(|l| l.signup.status == SignupStatus::Confirmed)
            .map(|l| PresentRow { id: l.signup.id.0, name: l.name.clone(), checked: l.signup.attended(session - 1) })
            .collect(),
    };
    Ok(render(status, &view))
}

/// `GET /events/{id}/attendance/{session}`
pub async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, session)): Path<(String, String)>,
) -> PageResult {
    ctx.require_account()?;
    let id = parse_event(&ctx, &id)?;
    let session = parse_session(&ctx, &session)?;
    attendance_response(&state, &ctx, id, session, &Problems::new(), StatusCode::OK).await
}

/// The attendance form: the sign-ups present.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AttendanceForm {
    csrf: Option<String>,
    present: Vec<String>,
}

/// `POST /events/{id}/attendance/{session}`
pub async fn record_attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, session)): Path<(String, String)>,
    Submitted(f): Submitted<AttendanceForm>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_event(&ctx, &id)?;
    let session = parse_session(&ctx, &session)?;
    let present: Result<Vec<SignupId>, _> = f.present.iter().map(|p| Uuid::parse_str(p).map(SignupId)).collect();
    let Ok(present) = present else { return Err(PageError::bad_request(&ctx)) };
    match state.app.record_attendance(actor, id, session - 1, &present).await {
        Ok(()) => Ok(Redirect::to(&format!("/events/{}?attendance=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            attendance_response(&state, &ctx, id, session, &problems, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

#[derive(Template)]
#[template(path = "event_certificate.html")]
struct CertificatePage {
    layout: Layout,
    name: String,
    title: String,
    days: String,
    sessions: usize,
    organiser: String,
    issued: String,
}

/// `GET /signups/{id}/certificate`
pub async fn certificate(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let id = parse_signup(&ctx, &id)?;
    let c = match state.app.certificate(actor, id).await {
        Ok(c) => c,
        Err(AppError::Invalid(_)) => return Err(PageError::not_found(&ctx)),
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    let page = CertificatePage {
        layout: ctx.layout(tr.get("event-certificate-title")),
        name: c.name,
        title: c.event.fields.title.clone(),
        days: days(tr, &c.event),
        sessions: c.event.fields.sessions.len(),
        organiser: c.organiser,
        issued: date_text(tr, state.app.today()),
    };
    Ok(render(StatusCode::OK, &page))
}

struct OpenRow {
    id: Uuid,
    days: String,
    title: String,
    organiser: String,
    window: String,
}

#[derive(Template)]
#[template(path = "person_events.html")]
struct PersonEventsPage {
    layout: Layout,
    notice: Option<String>,
    errors: Vec<(String, String)>,
    id: Uuid,
    signups: Vec<SignupRow>,
    open: Vec<OpenRow>,
    writable: bool,
}

async fn person_events_response(
    state: &AppState,
    ctx: &Ctx,
    person: tsunagu_domain::person::PersonId,
    notice: Option<String>,
    problems: &Problems,
    status: StatusCode,
) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let read = match state.app.person_events(actor, person).await {
        Ok(read) => read,
        Err(AppError::Denied(denial)) => return Err(denied_response(ctx, person, denial)),
        Err(e) => return Err(PageError::of(ctx, e)),
    };
    let today = state.app.today();
    let heading = tr.with("event-person-title", &[("name", read.name.as_str().into())]);
    let page = PersonEventsPage {
        layout: ctx.layout(heading),
        notice,
        errors: errors_of(tr, problems),
        id: person.0,
        signups: read.signups.iter().map(|(l, e)| signup_row(tr, l, e)).collect(),
        open: read
            .open
            .iter()
            .map(|l| OpenRow {
                id: l.event.id.0,
                days: days(tr, &l.event),
                title: l.event.fields.title.clone(),
                organiser: l.organiser.clone(),
                window: window_text(tr, &l.event, today),
            })
            .collect(),
        writable: read.writable,
    };
    Ok(render(status, &page))
}

/// `GET /persons/{id}/events`
pub async fn person_events(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    person_events_response(&state, &ctx, id, flash.notice(ctx.tr()), &Problems::new(), StatusCode::OK).await
}
