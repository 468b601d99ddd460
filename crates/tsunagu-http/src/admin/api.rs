//! The audit log in the JSON API, for administrators.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::i18n::Lang;
use crate::web::session::AuditReader;

use crate::api::{ApiResult, app_err};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search_audit))
}

/// One audit log entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryDto {
    seq: i64,
    /// When, RFC 3339.
    at: String,
    /// Account id of the actor (empty for the command line or an anonymous caller).
    actor: String,
    actor_label: String,
    action: String,
    record: String,
    person: String,
    fields: Vec<String>,
    basis: String,
    prev_hash: String,
    hash: String,
}

/// Audit search filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Exactly this actor label.
    actor: Option<String>,
    /// Records starting with this.
    record: Option<String>,
    /// Action code.
    action: Option<String>,
    /// Entries older than this `seq`.
    before: Option<i64>,
}

/// Search the audit log, newest first, 100 at a time (administrators; tokens need `audit_read`).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", operation_id = "search_audit",
    params(AuditParams),
    responses((status = 200, body = Vec<AuditEntryDto>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn search_audit(
    State(state): State<AppState>,
    lang: Lang,
    AuditReader(actor): AuditReader,
    Query(p): Query<AuditParams>,
) -> ApiResult<Json<Vec<AuditEntryDto>>> {
    let action = match p.action.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => Some(
            tsunagu_domain::audit::AuditAction::parse(raw)
                .ok_or_else(|| ApiError::simple(lang, StatusCode::UNPROCESSABLE_ENTITY, "bad_query"))?,
        ),
    };
    let query = tsunagu_store::AuditQuery {
        actor_label: p.actor.filter(|s| !s.is_empty()),
        record_prefix: p.record.filter(|s| !s.is_empty()),
        action,
        person: None,
        before: p.before,
        limit: 100,
    };
    let entries = state.app.search_audit(&actor, &query).await.map_err(app_err(lang))?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditEntryDto {
                seq: e.seq,
                at: OffsetDateTime::from_unix_timestamp_nanos(i128::from(e.event.at_micros) * 1000)
                    .ok()
                    .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
                    .unwrap_or_default(),
                actor: e.event.actor,
                actor_label: e.event.actor_label,
                action: e.event.action.code().to_owned(),
                record: e.event.record,
                person: e.event.person,
                fields: e.event.fields,
                basis: e.event.basis,
                prev_hash: e.prev_hash,
                hash: e.hash,
            })
            .collect(),
    ))
}
