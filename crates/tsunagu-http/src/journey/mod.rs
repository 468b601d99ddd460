//! The person's journey: the timeline, stage changes, support records, plans and reviews,
//! follow-ups, and their part of the API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/timeline", get(pages::timeline))
        .route("/persons/{id}/support", post(pages::add_support))
        .route("/persons/{id}/stage", post(pages::change_stage))
        .route("/persons/{id}/follow-ups/{follow_up}/done", post(pages::complete_follow_up))
        .route("/persons/{id}/follow-ups/{follow_up}/undo", post(pages::reopen_follow_up))
        .route("/persons/{id}/plans", post(pages::create_plan))
        .route("/persons/{id}/plans/{plan}/review", post(pages::review_plan))
}
