//! Special-needs schools: a school's students by department and year (`/school`), and a person's
//! enrolment with the form its school records it on (`/persons/{id}/school`).

pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/school", get(pages::students))
        .route("/persons/{id}/school", get(pages::enrolment).post(pages::record_enrolment))
}
