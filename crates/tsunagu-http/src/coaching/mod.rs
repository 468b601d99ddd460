//! Job coaching: the agency's coaches and dispatches, the coach form and a coach's week, a
//! person's dispatches, the plan form, and a dispatch with its days (pages and API).

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/coaching", get(pages::home))
        .route("/coaching/coaches/new", get(pages::new_coach))
        .route("/coaching/coaches", post(pages::create_coach))
        .route("/coaching/coaches/{id}", get(pages::coach).post(pages::update_coach))
        .route("/coaching/coaches/{id}/week", get(pages::week))
        .route("/persons/{id}/coaching", get(pages::person_coaching).post(pages::open_dispatch))
        .route("/persons/{id}/coaching/new", get(pages::new_dispatch))
        .route("/dispatches/{id}", get(pages::dispatch))
        .route("/dispatches/{id}/edit", get(pages::edit_dispatch).post(pages::update_dispatch))
        .route("/dispatches/{id}/days", post(pages::log_day))
        .route("/dispatches/{id}/days/{day}/remove", post(pages::remove_day))
}
