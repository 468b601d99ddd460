//! 就労移行支援のためのチェックリスト: a person's checklists, their profile and their form (pages
//! and API).

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/checklists", get(pages::person_checklists).post(pages::record))
        .route("/persons/{id}/checklists/new", get(pages::new_checklist))
        .route("/checklists/{id}", get(pages::show))
        .route("/checklists/{id}/edit", get(pages::edit).post(pages::update))
}
