//! Accounts: sign-in and sign-out, the account page, API tokens.

pub mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/account", get(pages::account))
        .route("/account/sign-out-everywhere", post(pages::sign_out_everywhere))
        .route("/account/tokens", post(pages::create_token))
        .route("/account/tokens/{id}/revoke", post(pages::revoke_token))
}
