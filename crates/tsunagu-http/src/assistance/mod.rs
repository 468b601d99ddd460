//! Technical assistance to agencies (program 7-2): an office's records and their form (pages and
//! API).

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assistance", get(pages::list).post(pages::record))
        .route("/assistance/new", get(pages::new_record))
        .route("/assistance/{id}/edit", get(pages::edit).post(pages::update))
}
