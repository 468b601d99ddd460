//! Referrals between agencies: the form, the list with notices, each move, and their part of
//! the API.

pub mod api;
pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/persons/{id}/referrals/new", get(pages::new_referral))
        .route("/persons/{id}/referrals", post(pages::send_referral))
        .route("/referrals", get(pages::referrals))
        .route("/referrals/{id}/{move}", post(pages::move_referral))
}
