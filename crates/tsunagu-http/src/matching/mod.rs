//! Matching: a person's openings ranked, with why each ranks where it does and the near misses;
//! an opening's persons, among those whose consent lets its employer see them.

pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/matches", get(pages::matches))
        .route("/openings/{id}/matches", get(pages::opening_matches))
}
