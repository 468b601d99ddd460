//! Administration: the audit log's search page, linking accounts to their person or employer,
//! and its part of the API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(pages::audit_log))
        .route("/admin/accounts", get(pages::accounts).post(pages::link_account))
}
