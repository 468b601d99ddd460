//! ワークサンプル幕張版 (MWS): a person's results and their form (pages and API).

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/mws", get(pages::person_mws).post(pages::record))
        .route("/persons/{id}/mws/new", get(pages::new_result))
        .route("/mws/{id}/edit", get(pages::edit).post(pages::update))
}
