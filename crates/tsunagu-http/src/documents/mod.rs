//! Documents attached to a person, and an agency's documents on its page: the attach forms,
//! downloads, removal, and their part of the API.

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
        .route("/persons/{id}/documents/new", get(pages::new_document))
        .route(
            "/persons/{id}/documents",
            post(pages::attach_document).layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        )
        .route("/persons/{id}/documents/{document}", get(pages::download_document))
        .route("/persons/{id}/documents/{document}/remove", post(pages::remove_document))
        .route("/agencies/{id}/documents/new", get(pages::new_agency_document))
        .route(
            "/agencies/{id}/documents",
            post(pages::attach_agency_document).layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        )
        .route("/agencies/{id}/documents/{document}", get(pages::download_agency_document))
        .route("/agencies/{id}/documents/{document}/remove", post(pages::remove_agency_document))
}
