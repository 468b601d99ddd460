//! Internships and company tours: an employer's slots (the form that opens one, the page that
//! edits it) and a person's internships (placing them into a slot still to come, recording how
//! each went).

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/employers/{id}/slots/new", get(pages::new_slot))
        .route("/employers/{id}/slots", post(pages::create_slot))
        .route("/slots/{id}", get(pages::slot).post(pages::update_slot))
        .route("/persons/{id}/internships", get(pages::internships).post(pages::book))
        .route("/persons/{id}/internships/{booking}/outcome", post(pages::record_outcome))
}
