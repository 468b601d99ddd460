//! Employers (企業): the list and its search, an employer's page and form, the link of an agency
//! that developed it, an employer account's own page, and their part of the API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/employers", get(pages::employers).post(pages::create_employer))
        .route("/employers/new", get(pages::new_employer))
        .route("/employers/{id}", get(pages::employer).post(pages::update_employer))
        .route("/employers/{id}/edit", get(pages::edit_employer))
        .route("/employers/{id}/link", post(pages::link_employer))
        .route("/company", get(pages::own_company))
}
