//! Persons: the caseload, registration, the record with its consents, the emergency override,
//! editing, who looked and the disclosure (開示), and their part of the API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons", get(pages::caseload).post(pages::create_person))
        .route("/persons/new", get(pages::new_person))
        .route("/persons/export.csv", get(pages::export_caseload_csv))
        .route("/persons/export.xlsx", get(pages::export_caseload_xlsx))
        .route("/persons/{id}", get(pages::show_person))
        .route("/persons/{id}/edit", get(pages::edit_person).post(pages::update_person))
        .route("/persons/{id}/override", post(pages::override_person))
        .route("/persons/{id}/consents/new", get(pages::new_consent))
        .route("/persons/{id}/consents", post(pages::create_consent))
        .route("/persons/{id}/consents/{consent}/revoke", post(pages::revoke_consent))
        .route("/persons/{id}/access-log", get(pages::access_log))
        .route("/persons/{id}/disclosure", get(pages::disclosure))
        .route("/persons/{id}/disclosure.json", get(pages::disclosure_json))
        .route("/persons/{id}/disclosure.zip", get(pages::disclosure_zip))
}
