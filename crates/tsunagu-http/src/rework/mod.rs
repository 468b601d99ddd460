//! Return to work (職場復帰支援, リワーク): a centre's plans, a person's plans, the plan form, and a
//! plan with the three parties' agreement, the warm-up and the outcome (pages and API).

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/rework", get(pages::home))
        .route("/persons/{id}/rework", get(pages::person_rework).post(pages::open_plan))
        .route("/persons/{id}/rework/new", get(pages::new_plan))
        .route("/rework/{id}", get(pages::plan))
        .route("/rework/{id}/edit", get(pages::edit_plan).post(pages::update_plan))
}
