//! Openings (求人): the public list of published openings, an opening's page (with its
//! schema.org JobPosting for search engines when published), the form that writes one for an
//! employer, publishing and closing, and their part of the API.

pub mod api;
pub mod jobposting;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openings", get(pages::openings))
        .route("/openings/{id}", get(pages::opening).post(pages::update_opening))
        .route("/openings/{id}/edit", get(pages::edit_opening))
        .route("/openings/{id}/status", post(pages::move_opening))
        .route("/employers/{id}/openings", post(pages::create_opening))
        .route("/employers/{id}/openings/new", get(pages::new_opening))
}
