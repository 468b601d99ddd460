//! Casework imports: the persons file and the support-records file agencies keep, their empty
//! templates, and their part of the API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::AppState;
use crate::web::upload::MAX_UPLOAD;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/persons/import",
            get(pages::import_form).post(pages::import_persons).layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        )
        .route(
            "/persons/import/support-records",
            post(pages::import_support_records).layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        )
        .route("/persons/import/persons.csv", get(pages::persons_template))
        .route("/persons/import/support-records.csv", get(pages::support_template))
}
