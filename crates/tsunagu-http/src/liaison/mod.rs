//! The roster of medical-liaison coordinators (program 10-2): an agency's coordinators and their
//! form (pages and API).

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/liaison", get(pages::list).post(pages::record))
        .route("/liaison/new", get(pages::new_coordinator))
        .route("/liaison/{id}/edit", get(pages::edit).post(pages::update))
}
