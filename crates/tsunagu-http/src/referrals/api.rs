//! Referrals in the JSON API: send, list with notices, move.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::person::PersonId;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::i18n::Lang;
use crate::web::session::{PersonsReader, PersonsWriter};

use crate::api::{ApiResult, app_err, parse_id};
use crate::persons::api::{CreatedDto, rfc3339};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(send_referral)).routes(routes!(list_referrals)).routes(routes!(move_referral))
}

/// A referral to send. Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReferralInputDto {
    /// The receiving agency's id; the person must have consented to referral to it (or its block).
    #[serde(default)]
    #[schema(required, format = Uuid)]
    to_agency: String,
    /// What is asked of the receiver, and why.
    #[serde(default)]
    #[schema(required, max_length = 2000)]
    note: String,
}

/// Refer the person to another agency (on the person's consent to referral to it).
#[utoipa::path(post, path = "/api/v1/persons/{id}/referrals", tag = "referrals", operation_id = "send_referral",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = ReferralInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn send_referral(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<ReferralInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let referral = state.app.send_referral(&actor, id, &d.to_agency, &d.note).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: referral })))
}

/// A referral as the lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralDto {
    id: Uuid,
    person_id: Uuid,
    person_name: String,
    from_agency: Uuid,
    to_agency: Uuid,
    note: String,
    /// `sent`, `accepted`, `declined`, `done` or `revoked`.
    state: String,
    /// The receiver's reason for declining.
    reason: Option<String>,
    /// RFC 3339.
    updated_at: String,
}

/// A notice that a referral reached or changed state.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeDto {
    referral_id: Uuid,
    state: String,
    /// RFC 3339.
    created_at: String,
    /// False for notices not seen before this call.
    read: bool,
}

/// The caller's agency's referrals and notices.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralsDto {
    received: Vec<ReferralDto>,
    sent: Vec<ReferralDto>,
    notices: Vec<NoticeDto>,
}

/// The referrals the caller's agency received and sent, newest change first, with its notices
/// (marked read by this call).
#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals", operation_id = "list_referrals",
    responses((status = 200, body = ReferralsDto), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_referrals(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
) -> ApiResult<Json<ReferralsDto>> {
    let list = state.app.referrals(&actor).await.map_err(app_err(lang))?;
    let dto = |l: &tsunagu_store::ReferralListing| {
        let r = &l.referral;
        ReferralDto {
            id: r.id,
            person_id: r.person.0,
            person_name: l.person_name.clone(),
            from_agency: r.from.0,
            to_agency: r.to.0,
            note: r.note.clone(),
            state: r.state.code().to_owned(),
            reason: r.reason.clone(),
            updated_at: rfc3339(r.updated_at),
        }
    };
    Ok(Json(ReferralsDto {
        received: list.received.iter().map(dto).collect(),
        sent: list.sent.iter().map(dto).collect(),
        notices: list
            .notices
            .iter()
            .map(|n| NoticeDto {
                referral_id: n.referral,
                state: n.state.code().to_owned(),
                created_at: rfc3339(n.created_at),
                read: n.read_at.is_some(),
            })
            .collect(),
    }))
}

/// A move of a referral.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReferralMoveDto {
    /// Required when declining.
    #[serde(default)]
    #[schema(max_length = 500)]
    reason: String,
}

/// Move a referral: `accept`, `decline` (with a reason) or `complete` as the receiver; `revoke` as
/// the sender while open. A move the rules forbid answers 409 `referral_move`.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/{move}", tag = "referrals", operation_id = "move_referral",
    params(("id" = Uuid, Path, description = "Referral id"),
        ("move" = String, Path, description = "accept, decline, complete or revoke")),
    request_body = ReferralMoveDto,
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn move_referral(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path((id, mv)): Path<(String, String)>,
    body: Option<Json<ReferralMoveDto>>,
) -> ApiResult<StatusCode> {
    let id = parse_id(lang, &id)?;
    let mv = tsunagu_domain::referral::ReferralMove::parse(&mv)
        .ok_or_else(|| ApiError::simple(lang, StatusCode::NOT_FOUND, "not_found"))?;
    let reason = body.map(|Json(b)| b.reason).unwrap_or_default();
    state.app.move_referral(&actor, id, mv, &reason).await.map_err(app_err(lang))?;
    Ok(StatusCode::NO_CONTENT)
}
