//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document at `/api/v1/openapi.json`:
//! each capability's routes (`directory::api`, `persons::api`, `journey::api`, `referrals::api`,
//! `imports::api`, `admin::api`, `documents::api`) merged under one description, and what their handlers share.

use axum::http::StatusCode;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::AppState;
use crate::web::error::ApiError;
use crate::web::i18n::Lang;

/// The API's description. Reads are open; writes need a signed-in session (the
/// `tsunagu_session` cookie set by `POST /login`) and its CSRF token in `X-CSRF-Token`.
#[derive(OpenApi)]
#[openapi(
    info(title = "Tsunagu API", version = "1", description = "The network directory and persons' records of Tsunagu (つなぐ). Messages follow Accept-Language (ja default, en). Writes need an API token (Authorization: Bearer tsu_…, scope directory_write or persons_write) or a signed-in session cookie with its CSRF token in the X-CSRF-Token header; persons' records are read with a token of scope persons_read or a session."),
    tags((name = "directory", description = "Blocks, municipalities and agencies (行動1)"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "persons", description = "Persons' records, reached only through the access policy; every read and write is audited"),
        (name = "referrals", description = "Referrals between agencies, on the person's consent to referral"))
)]
pub struct ApiDoc;

/// The API's routes together with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::directory::api::router())
        .merge(crate::admin::api::router())
        .merge(crate::persons::api::router())
        .merge(crate::journey::api::router())
        .merge(crate::referrals::api::router())
        .merge(crate::imports::api::router())
        .merge(crate::documents::api::router())
}

/// What an API handler returns.
pub(crate) type ApiResult<T> = Result<T, ApiError>;

/// Maps a use case's error to the API's answer in the caller's language.
pub(crate) fn app_err(lang: Lang) -> impl Fn(tsunagu_app::AppError) -> ApiError {
    move |e| ApiError::from_app(lang, e)
}

/// An id in a path; one that is no id is a 404 like one that names nothing.
pub(crate) fn parse_id(lang: Lang, raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| ApiError::simple(lang, StatusCode::NOT_FOUND, "not_found"))
}
