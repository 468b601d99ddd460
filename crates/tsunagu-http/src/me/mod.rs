//! The person's own pages, in the register they chose: about me (`/me`), who may see my data
//! (`/me/sharing`), who looked (`/me/looked`), getting my data (`/me/data`), my 就労パスポート (`/me/passport`) and my account
//! (`/me/account`).

pub mod pages;
pub mod passport;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(pages::home))
        .route("/me/sharing", get(pages::sharing).post(pages::give))
        .route("/me/sharing/{id}/withdraw", get(pages::confirm_withdrawal).post(pages::withdraw))
        .route("/me/sharing/{id}/undo", post(pages::undo))
        .route("/me/looked", get(pages::looked))
        .route("/me/data", get(pages::data))
        .route("/me/assessments", get(pages::assessments))
        .route("/me/assessments/{id}", get(pages::assessment).post(pages::answer_assessment))
        .route("/me/passport", get(passport::passport).post(passport::save))
        .route("/me/passport/give", get(passport::give_form).post(passport::give))
        .route("/me/passport/print", get(passport::print))
        .route("/me/passport.xlsx", get(passport::export_xlsx))
        .route("/me/account", get(pages::account))
        .route("/me/account/register", post(pages::choose_register))
        .route("/me/account/password", post(pages::change_password))
}
