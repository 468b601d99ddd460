//! The program registry and the annual report (program managers and administrators): the
//! registry's page, the report's page for a fiscal year, and their part of the API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/programs", get(pages::programs)).route("/report", get(pages::report))
}
