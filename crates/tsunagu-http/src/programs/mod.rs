//! The program registry and the annual report (program managers and administrators): the
//! registry's page, the report's page for a fiscal year, and their part of the API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/programs", get(pages::programs))
        .route("/programs/{code}", get(pages::program))
        .route("/programs/{code}/figures", post(pages::record_figure))
        .route("/programs/{code}/edit", get(pages::edit_program).post(pages::update_program))
        .route("/report", get(pages::report))
        .route("/report/export.xlsx", get(pages::export_xlsx))
        .route("/report/export.csv", get(pages::export_csv))
        .route("/report/retention", get(pages::retention))
}
