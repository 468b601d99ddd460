//! The employer's legal-quota position (法定雇用率): its page with the roster's forms and the
//! year's workbook, and its part of the API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/employers/{id}/quota", get(pages::show))
        .route("/employers/{id}/quota.xlsx", get(pages::export_xlsx))
        .route("/employers/{id}/quota/headcounts", post(pages::set_headcount))
        .route("/employers/{id}/quota/headcounts/remove", post(pages::remove_headcount))
        .route("/employers/{id}/quota/workers", post(pages::add_worker))
        .route("/employers/{id}/quota/workers/{place}/remove", post(pages::remove_worker))
}
