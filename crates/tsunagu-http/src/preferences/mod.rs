//! A person's job-search conditions (希望条件): the page that shows them with the form that
//! records them (`/persons/{id}/preferences`), and the same in the JSON API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/persons/{id}/preferences", get(pages::preferences).post(pages::record_preferences))
}
