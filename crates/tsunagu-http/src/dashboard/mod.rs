//! Where each account starts: a caseworker's dashboard (what is due, referrals waiting, notices
//! since the last visit), and for everyone else a start page saying what they can do here.

pub mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(pages::home))
}
