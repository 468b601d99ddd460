//! Events (催し): the list and the viewer's sign-ups, an event's page, the organiser's form and
//! attendance, a person's sign-ups, the certificate, calendar downloads and feeds (pages and API).

pub mod api;
pub mod calendar;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events", get(pages::list).post(pages::create))
        .route("/events/new", get(pages::new_event))
        .route("/events/mine.ics", get(calendar::mine))
        .route("/events/feed", get(calendar::feed_page).post(calendar::start_feed))
        .route("/events/feed/stop", post(calendar::stop_feed))
        .route("/calendar/{secret}/events.ics", get(calendar::feed))
        .route("/events/{id}", get(pages::show))
        .route("/events/{id}/edit", get(pages::edit).post(pages::update))
        .route("/events/{id}/signups", post(pages::sign_up))
        .route("/events/{id}/attendance/{session}", get(pages::attendance).post(pages::record_attendance))
        .route("/events/{id}/calendar.ics", get(calendar::event))
        .route("/signups/{id}/cancel", post(pages::cancel))
        .route("/signups/{id}/certificate", get(pages::certificate))
        .route("/persons/{id}/events", get(pages::person_events))
        .route("/councils", get(pages::councils))
        .route("/agencies/{id}/events.ics", get(calendar::agency))
}
