//! The トライワークプロジェクト (program 9-4): a person's participations and their form (pages and
//! API).

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/trywork", get(pages::person_trywork).post(pages::record))
        .route("/persons/{id}/trywork/new", get(pages::new_participation))
        .route("/trywork/{id}/edit", get(pages::edit).post(pages::update))
}
