//! 就労パスポート for staff: a person's passport with its answers to write, the sections the
//! person chose, each time it was given, its printable page, its workbook and the import of a
//! filled one (pages), and its JSON API. The person writes theirs, chooses its sections and gives it from
//! `/me/passport`.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/passport", get(pages::show).post(pages::save))
        .route("/persons/{id}/passport/print", get(pages::print))
        .route("/persons/{id}/passport.xlsx", get(pages::export_xlsx))
        .route("/persons/{id}/passport/import", post(pages::import))
}
