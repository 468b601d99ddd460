//! Events in the JSON API: the events to come, one event with its seats, an organiser's event
//! created and edited, sign-ups (the caller's own, or a person's by their supporter) and their
//! cancellation, and the caller's sign-ups, under the `events` scope.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_app::events::SignupLine;
use tsunagu_domain::event::{
    Event, EventId, EventInput, EventKind, Series, SignupId, SignupStatus, Subject, curriculum_text,
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
use crate::web::session::{EventsReader, EventsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_events, create_event))
        .routes(routes!(get_event, update_event))
        .routes(routes!(sign_up))
        .routes(routes!(cancel_signup))
        .routes(routes!(my_signups))
}

fn enumerated(description: &'static str, values: Vec<&'static str>) -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new().schema_type(Type::String).description(Some(description)).enum_values(Some(values)).into()
}

fn kind() -> utoipa::openapi::schema::Schema {
    enumerated("The kind of event.", EventKind::ALL.iter().map(|k| k.code()).collect())
}

fn series() -> utoipa::openapi::schema::Schema {
    enumerated(
        "The program of the document the event belongs to (counted in its indicators), if any.",
        Series::ALL.iter().map(|s| s.code()).collect(),
    )
}

fn status() -> utoipa::openapi::schema::Schema {
    enumerated(
        "参加決定 (confirmed), キャンセル待ち (waitlisted) or 取消し (cancelled).",
        SignupStatus::ALL.iter().map(|s| s.code()).collect(),
    )
}

/// One session.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionDto {
    /// The day (ISO 8601).
    #[serde(default)]
    date: String,
    /// From (HH:MM, Tokyo time).
    #[serde(default)]
    starts: String,
    /// To (HH:MM, Tokyo time).
    #[serde(default)]
    ends: String,
    /// The place, or an `https://` link when online.
    #[serde(default)]
    place: String,
}

/// A subject of a curriculum.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SubjectDto {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
}

/// An event.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventDto {
    id: uuid::Uuid,
    organiser_id: uuid::Uuid,
    organiser: String,
    #[schema(schema_with = kind)]
    event_kind: &'static str,
    #[schema(schema_with = series)]
    series: Option<&'static str>,
    event_title: String,
    event_description: String,
    /// Whom it is for: staff, persons, employers, families, medical.
    audience: Vec<&'static str>,
    event_starts_on: String,
    event_ends_on: String,
    sessions: Vec<SessionDto>,
    event_capacity: u32,
    opens_on: String,
    closes_on: String,
    curriculum: Vec<SubjectDto>,
    /// For a council, the area (block code) it serves.
    area: Option<String>,
    agenda: String,
    council_minutes: String,
    version: i64,
}

fn hm(t: time::Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

fn event_dto(e: &Event, organiser: &str) -> EventDto {
    let f = &e.fields;
    EventDto {
        id: e.id.0,
        organiser_id: e.organiser.0,
        organiser: organiser.to_owned(),
        event_kind: f.kind.code(),
        series: f.series.map(Series::code),
        event_title: f.title.clone(),
        event_description: f.description.clone(),
        audience: f.audiences.iter().map(|a| a.code()).collect(),
        event_starts_on: f.starts_on.to_string(),
        event_ends_on: f.ends_on.to_string(),
        sessions: f
            .sessions
            .iter()
            .map(|s| SessionDto {
                date: s.date.to_string(),
                starts: hm(s.starts_at),
                ends: hm(s.ends_at),
                place: s.place.clone(),
            })
            .collect(),
        event_capacity: f.capacity,
        opens_on: f.opens_on.to_string(),
        closes_on: f.closes_on.to_string(),
        curriculum: f
            .curriculum
            .iter()
            .map(|s| SubjectDto { title: s.title.clone(), description: s.description.clone() })
            .collect(),
        area: f.area.as_ref().map(|a| a.0.clone()),
        agenda: f.agenda.clone(),
        council_minutes: f.minutes.clone(),
        version: e.version,
    }
}

/// A sign-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignupDto {
    id: uuid::Uuid,
    event_id: uuid::Uuid,
    /// The person signed up, when it is a person (else the account signed up for itself).
    person_id: Option<uuid::Uuid>,
    name: String,
    #[schema(schema_with = status)]
    status: &'static str,
    /// Its place in the order of arrival, from 1.
    position: i64,
    /// Its place among those waiting, while it waits.
    waiting_place: Option<usize>,
    signed_up_at: String,
    promoted_at: Option<String>,
    cancelled_at: Option<String>,
    /// The sessions attended (their numbers, from 1).
    attended: Vec<usize>,
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

fn signup_dto(line: &SignupLine, sessions: usize) -> SignupDto {
    let s = &line.signup;
    SignupDto {
        id: s.id.0,
        event_id: s.event.0,
        person_id: s.attendee.person().map(|p| p.0),
        name: line.name.clone(),
        status: s.status.code(),
        position: s.position,
        waiting_place: line.waiting_place,
        signed_up_at: rfc3339(s.signed_up_at),
        promoted_at: s.promoted_at.map(rfc3339),
        cancelled_at: s.cancelled_at.map(rfc3339),
        attended: (0..sessions).filter(|i| s.attended(*i)).map(|i| i + 1).collect(),
    }
}

/// The events from today on that the caller may see (staff: every event; persons: those for
/// persons or families; employers: those for employers), the earliest first.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", operation_id = "list_events",
    responses((status = 200, body = [EventDto]), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_events(
    State(state): State<AppState>,
    lang: Lang,
    EventsReader(actor): EventsReader,
) -> ApiResult<Json<Vec<EventDto>>> {
    let listed = state.app.upcoming_events(&actor).await.map_err(app_err(lang))?;
    Ok(Json(listed.iter().map(|l| event_dto(&l.event, &l.organiser)).collect()))
}

/// An event as sent. Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EventInputDto {
    #[serde(default)]
    #[schema(required, schema_with = kind)]
    event_kind: String,
    #[serde(default)]
    #[schema(schema_with = series)]
    series: String,
    #[serde(default)]
    #[schema(required, max_length = 200)]
    event_title: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    event_description: String,
    /// Whom it is for (at least one): staff, persons, employers, families, medical.
    #[serde(default)]
    audience: Vec<String>,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    event_starts_on: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    event_ends_on: String,
    /// One to eight sessions, each within the event's days.
    #[serde(default)]
    sessions: Vec<SessionDto>,
    #[serde(default)]
    #[schema(required, max_length = 5)]
    event_capacity: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    opens_on: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    closes_on: String,
    #[serde(default)]
    curriculum: Vec<SubjectDto>,
    /// For a council, the area's block code.
    #[serde(default)]
    area: String,
    #[serde(default)]
    #[schema(max_length = 4000)]
    agenda: String,
    /// The minutes, once the meeting has been held (422 `minutes_before_meeting` before).
    #[serde(default)]
    #[schema(max_length = 20000)]
    council_minutes: String,
    /// When changing it: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl EventInputDto {
    fn input(self) -> (EventInput, Option<i64>) {
        let column = |f: fn(&SessionDto) -> &String| self.sessions.iter().map(|s| f(s).clone()).collect();
        let subjects: Vec<Subject> = self
            .curriculum
            .iter()
            .map(|s| Subject { title: s.title.clone(), description: s.description.clone() })
            .collect();
        let input = EventInput {
            session_date: column(|s| &s.date),
            session_starts: column(|s| &s.starts),
            session_ends: column(|s| &s.ends),
            session_place: column(|s| &s.place),
            event_kind: self.event_kind,
            series: self.series,
            event_title: self.event_title,
            event_description: self.event_description,
            audience: self.audience,
            event_starts_on: self.event_starts_on,
            event_ends_on: self.event_ends_on,
            event_capacity: self.event_capacity,
            opens_on: self.opens_on,
            closes_on: self.closes_on,
            curriculum: curriculum_text(&subjects),
            area: self.area,
            agenda: self.agenda,
            council_minutes: self.council_minutes,
        };
        (input, self.version)
    }
}

/// Create an event organised by the caller's agency (staff who hold cases).
#[utoipa::path(post, path = "/api/v1/events", tag = "events", operation_id = "create_event",
    request_body = EventInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn create_event(
    State(state): State<AppState>,
    lang: Lang,
    EventsWriter(actor): EventsWriter,
    Json(d): Json<EventInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let (input, _) = d.input();
    let id = state.app.create_event(&actor, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: id.0 })))
}

/// An event with its seats, and the caller's own sign-ups to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPageDto {
    event: EventDto,
    confirmed: usize,
    waitlisted: usize,
    /// The sign-ups the caller holds or made, not cancelled.
    mine: Vec<SignupDto>,
    /// Every sign-up, for the organiser's staff (each person named is audited on them).
    roster: Option<Vec<SignupDto>>,
}

/// An event the caller may see, with its seats.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", operation_id = "get_event",
    params(("id" = Uuid, Path, description = "Event id")),
    responses((status = 200, body = EventPageDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_event(
    State(state): State<AppState>,
    lang: Lang,
    EventsReader(actor): EventsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<EventPageDto>> {
    let id = EventId(parse_id(lang, &id)?);
    let page = state.app.event_page(&actor, id).await.map_err(app_err(lang))?;
    let sessions = page.event.fields.sessions.len();
    Ok(Json(EventPageDto {
        event: event_dto(&page.event, &page.organiser),
        confirmed: page.confirmed,
        waitlisted: page.waitlisted,
        mine: page.mine.iter().map(|l| signup_dto(l, sessions)).collect(),
        roster: page.roster.as_ref().map(|r| r.iter().map(|l| signup_dto(l, sessions)).collect()),
    }))
}

/// Change an event from the `version` read (422 `event_changed` when someone changed it since;
/// 422 `capacity_below_confirmed` when fewer seats than are taken). The organiser's staff.
#[utoipa::path(put, path = "/api/v1/events/{id}", tag = "events", operation_id = "update_event",
    params(("id" = Uuid, Path, description = "Event id")),
    request_body = EventInputDto,
    responses((status = 200, body = EventDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_event(
    State(state): State<AppState>,
    lang: Lang,
    EventsWriter(actor): EventsWriter,
    Path(id): Path<String>,
    Json(d): Json<EventInputDto>,
) -> ApiResult<Json<EventDto>> {
    let id = EventId(parse_id(lang, &id)?);
    let (input, version) = d.input();
    let version = crate::api::required_version(lang, version)?;
    state.app.edit_event(&actor, id, &input, version).await.map_err(app_err(lang))?;
    let listing = state.app.find_event(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(event_dto(&listing.event, &listing.organiser)))
}

/// Who signs up: the caller, or a person they support.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SignupInputDto {
    /// The person to sign up (staff who may write the person's support data); none for the
    /// caller themselves.
    #[serde(default)]
    person_id: Option<uuid::Uuid>,
}

/// Take a seat at an event, or a place on its waitlist when it is full: the answer's `status`
/// says which, and `waiting_place` the place in line. 422 `signup_twice`, `signup_closed`,
/// `signup_not_open`, `signup_not_for_audience`.
#[utoipa::path(post, path = "/api/v1/events/{id}/signups", tag = "events", operation_id = "sign_up",
    params(("id" = Uuid, Path, description = "Event id")),
    request_body = SignupInputDto,
    responses((status = 201, body = SignupDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn sign_up(
    State(state): State<AppState>,
    lang: Lang,
    EventsWriter(actor): EventsWriter,
    Path(id): Path<String>,
    Json(d): Json<SignupInputDto>,
) -> ApiResult<(StatusCode, Json<SignupDto>)> {
    let id = EventId(parse_id(lang, &id)?);
    let line = match d.person_id {
        Some(person) => state.app.sign_up_person(&actor, id, PersonId(person)).await,
        None => state.app.sign_up_self(&actor, id).await,
    }
    .map_err(app_err(lang))?;
    // A new sign-up has attended no session yet.
    Ok((StatusCode::CREATED, Json(signup_dto(&line, 0))))
}

/// Cancel a sign-up (whoever holds it or made it, or the organiser's staff); a seat it frees
/// goes to the first in line.
#[utoipa::path(post, path = "/api/v1/signups/{id}/cancel", tag = "events", operation_id = "cancel_signup",
    params(("id" = Uuid, Path, description = "Sign-up id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn cancel_signup(
    State(state): State<AppState>,
    lang: Lang,
    EventsWriter(actor): EventsWriter,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = SignupId(parse_id(lang, &id)?);
    state.app.cancel_signup(&actor, id).await.map_err(app_err(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's sign-ups — their own and those they made for persons — the latest first.
#[utoipa::path(get, path = "/api/v1/me/events", tag = "events", operation_id = "my_signups",
    responses((status = 200, body = [SignupDto]), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn my_signups(
    State(state): State<AppState>,
    lang: Lang,
    EventsReader(actor): EventsReader,
) -> ApiResult<Json<Vec<SignupDto>>> {
    let mine = state.app.my_events(&actor).await.map_err(app_err(lang))?;
    Ok(Json(mine.signups.iter().map(|(l, e)| signup_dto(l, e.fields.sessions.len())).collect()))
}
