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
