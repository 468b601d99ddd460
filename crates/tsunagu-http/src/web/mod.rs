//! What every page and API handler shares, and nothing capability-specific: the request context
//! and session types, the session middleware and API gates, errors and their responses, the
//! message catalogs, view models and rendering, upload forms. No module here imports a
//! capability's module.

pub mod context;
pub mod error;
pub mod form;
pub mod i18n;
pub mod session;
pub mod upload;
pub mod views;
pub mod words;

/// The value of cookie `name`.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name).and_then(|rest| rest.strip_prefix('=')).map(str::to_owned))
}
