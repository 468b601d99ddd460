//! 就労支援のためのアセスメントシート for staff: a person's sheets, beginning one, and a sheet with
//! the person's answers beside the supporter's (pages), and the JSON API. The person answers from `/me/assessments`.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/assessments", get(pages::person_assessments).post(pages::begin))
        .route("/assessments/{id}", get(pages::show).post(pages::answer))
}
