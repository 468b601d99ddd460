//! Interview fairs (面談会): the list and the new-fair form, a fair's page and its edits, the
//! printable timetables, and their part of the API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/fairs", get(pages::fairs).post(pages::create_fair))
        .route("/fairs/{id}", get(pages::fair))
        .route("/fairs/{id}/header", post(pages::edit_header))
        .route("/fairs/{id}/companies", post(pages::set_company))
        .route("/fairs/{id}/companies/{employer}/remove", post(pages::remove_company))
        .route("/fairs/{id}/participants", post(pages::set_participant))
        .route("/fairs/{id}/participants/{agency}/remove", post(pages::remove_participant))
        .route("/fairs/{id}/schedule", post(pages::schedule))
        .route("/fairs/{id}/timetable", get(pages::timetable))
}
