//! The directory (行動1): agencies, blocks and municipalities, their pages, import and export, and
//! their part of the API.

pub mod api;
pub mod pages;
pub mod params;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::AppState;
use crate::web::upload::MAX_UPLOAD;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agencies", get(pages::list_agencies).post(pages::create_agency))
        .route("/agencies/new", get(pages::new_agency))
        .route(
            "/agencies/import",
            get(pages::import_form).post(pages::import_agencies).layer(DefaultBodyLimit::max(MAX_UPLOAD + 64 * 1024)),
        )
        .route("/agencies/export.csv", get(pages::export_csv))
        .route("/agencies/export.xlsx", get(pages::export_xlsx))
        .route("/agencies/{id}", get(pages::show_agency))
        .route("/agencies/{id}/edit", get(pages::edit_agency).post(pages::update_agency))
        .route("/agencies/{id}/follow-up-days", post(pages::update_follow_up_days))
        .route("/blocks", get(pages::list_blocks))
        .route("/blocks/{code}/edit", get(pages::edit_block).post(pages::update_block))
        .route("/municipalities", get(pages::list_municipalities))
        .route("/municipalities/{code}/edit", get(pages::edit_municipality).post(pages::update_municipality))
}
