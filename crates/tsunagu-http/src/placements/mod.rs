//! A person's placements (就職): the list, recording one, recording its end.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/placements", get(pages::placements).post(pages::record))
        .route("/persons/{id}/placements/{placement}/end", post(pages::end))
}
