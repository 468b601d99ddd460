//! Trial employment (トライアル雇用): the agency's trials, a person's trials, the trial form, and
//! a trial with its weeks and grant decisions (pages and API).

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/trials", get(pages::home))
        .route("/persons/{id}/trials", get(pages::person_trials).post(pages::open_trial))
        .route("/persons/{id}/trials/new", get(pages::new_trial))
        .route("/trials/{id}", get(pages::trial))
        .route("/trials/{id}/edit", get(pages::edit_trial).post(pages::update_trial))
        .route("/trials/{id}/weeks", post(pages::log_week))
        .route("/trials/{id}/weeks/{monday}/remove", post(pages::remove_week))
        .route("/trials/{id}/grants", post(pages::record_grant))
        .route("/trials/{id}/grants/{index}/remove", post(pages::remove_grant))
}
