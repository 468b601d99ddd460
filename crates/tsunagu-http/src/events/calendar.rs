//! Events as iCalendar (RFC 5545), written with the `icalendar` crate: one VEVENT per session,
//! its times in UTC (Japan keeps no summer time, so a session's Tokyo hours convert exactly).
//! An event's download, the viewer's own calendar, and an agency's feed, which anyone may
//! subscribe to: events are not personal data, but an online session's link is given only to
//! those signed in. The viewer's own calendar is also a feed of its own, at an address with a
//! secret in it that a calendar app subscribes to without signing in; the account starts it,
//! starts it afresh or stops it (`/events/feed`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use icalendar::{Calendar, Component, EventLike};
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::event::{Event, EventId};
use uuid::Uuid;

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::{CsrfOnly, Submitted};
use crate::web::views::{Layout, render, time_text};

const TOKYO: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

fn utc(date: time::Date, at: time::Time) -> chrono::DateTime<chrono::Utc> {
    let t = PrimitiveDateTime::new(date, at).assume_offset(TOKYO);
    chrono::DateTime::from_timestamp(t.unix_timestamp(), 0).unwrap_or_default()
}

fn stamp(t: OffsetDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.unix_timestamp(), 0).unwrap_or_default()
}

/// The calendar named `name` of `events`' sessions; `links` gives online sessions their link.
pub fn calendar(name: &str, events: &[Event], links: bool) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    for e in events {
        let f = &e.fields;
        let many = f.sessions.len() > 1;
        for (i, s) in f.sessions.iter().enumerate() {
            let summary = if many { format!("{}（第{}回）", f.title, i + 1) } else { f.title.clone() };
            let place = if s.is_online() && !links { "オンライン".to_owned() } else { s.place.clone() };
            let mut v = icalendar::Event::new();
            v.uid(&format!("{}-{}@tsunagu", e.id.0, i + 1))
                .summary(&summary)
                .starts(utc(s.date, s.starts_at))
                .ends(utc(s.date, s.ends_at))
                .location(&place)
                .timestamp(stamp(e.updated_at));
            if !f.description.is_empty() {
                v.description(&f.description);
            }
            cal.push(v.done());
        }
    }
    cal.done().to_string()
}

fn ics(body: String, download: Option<String>) -> Response {
    let mut response = (StatusCode::OK, [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response();
    if let Some(name) = download
        && let Ok(value) = header::HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /events/{id}/calendar.ics`: an event's sessions, to add to one's calendar.
pub async fn event(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let id = Uuid::parse_str(&id).map(EventId).map_err(|_| PageError::not_found(&ctx))?;
    let listing = state.app.find_event(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let body = calendar(&listing.event.fields.title, std::slice::from_ref(&listing.event), true);
    Ok(ics(body, Some(format!("tsunagu-event-{}.ics", id.0))))
}

/// `GET /events/mine.ics`: the events the viewer holds a seat at or signed someone up to.
pub async fn mine(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let actor = ctx.require_account()?;
    let events = state.app.my_calendar(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(ics(calendar(&ctx.tr().get("events-my-calendar"), &events, true), Some("tsunagu-my-events.ics".into())))
}

/// `GET /agencies/{id}/events.ics`: the agency's events, for anyone's calendar to subscribe to.
pub async fn agency(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = Uuid::parse_str(&id).map(AgencyId).map_err(|_| PageError::not_found(&ctx))?;
    let (name, events) = state.app.agency_events(id).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(ics(calendar(&name, &events, ctx.account().is_some()), None))
}

/// `GET /calendar/{secret}/events.ics`: an account's own calendar, for the calendar app it gave
/// the address to; 404 for an address stopped or started afresh since.
pub async fn feed(State(state): State<AppState>, ctx: Ctx, Path(secret): Path<String>) -> PageResult {
    match state.app.calendar_feed(&secret).await.map_err(|e| PageError::of(&ctx, e))? {
        Some(events) => Ok(ics(calendar(&ctx.tr().get("events-my-calendar"), &events, true), None)),
        None => Err(PageError::not_found(&ctx)),
    }
}

#[derive(Template)]
#[template(path = "calendar_feed.html")]
struct FeedPage {
    layout: Layout,
    notice: Option<String>,
    since: Option<String>,
    address: Option<String>,
}

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FeedFlash {
    stopped: Option<String>,
}

/// `GET /events/feed`: whether the viewer's calendar feed runs, and since when.
pub async fn feed_page(State(state): State<AppState>, ctx: Ctx, Query(flash): Query<FeedFlash>) -> PageResult {
    let actor = ctx.require_account()?;
    let tr = ctx.tr();
    let since = state.app.calendar_feed_since(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let page = FeedPage {
        layout: ctx.layout(tr.get("feed-title")),
        notice: flash.stopped.map(|_| tr.get("feed-stopped")),
        since: since.map(|t| time_text(tr, t)),
        address: None,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /events/feed`: starts the viewer's feed, or starts it afresh; the address is shown this
/// once, on the page answering the form.
pub async fn start_feed(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Submitted(f): Submitted<CsrfOnly>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let secret = state.app.start_calendar_feed(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let since = state.app.calendar_feed_since(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if ctx.secure { "https" } else { "http" };
    let tr = ctx.tr();
    let page = FeedPage {
        layout: ctx.layout(tr.get("feed-title")),
        notice: Some(tr.get("feed-started")),
        since: since.map(|t| time_text(tr, t)),
        address: Some(format!("{scheme}://{host}/calendar/{secret}/events.ics")),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /events/feed/stop`: the address answers nothing from now on.
pub async fn stop_feed(State(state): State<AppState>, ctx: Ctx, Submitted(f): Submitted<CsrfOnly>) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    state.app.stop_calendar_feed(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(Redirect::to("/events/feed?stopped=1").into_response())
}
