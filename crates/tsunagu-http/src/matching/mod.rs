//! Matching: a person's openings ranked, with why each ranks where it does and the near misses.

pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/persons/{id}/matches", get(pages::matches))
}
