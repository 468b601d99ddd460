//! Interview fairs in the JSON API: the list, one fair with its schedule, and scheduling.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use tsunagu_app::fairs::FairEdit;
use tsunagu_domain::fair::{Fair, FairId};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id};
use crate::persons::api::rfc3339;
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{FairsReader, FairsWriter};
use crate::web::views::clock_text;

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_fairs)).routes(routes!(get_fair)).routes(routes!(schedule_fair))
}

/// A fair as the list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairSummaryDto {
    id: Uuid,
    title: String,
    /// `YYYY-MM-DD`.
    date: String,
    organiser: Uuid,
    companies: usize,
    participants: usize,
    meetings: usize,
    /// `open` (never scheduled), `scheduled`, or `stale` (changed since it was scheduled).
    state: &'static str,
    /// Compare with the `version` sent to schedule.
    version: i64,
}

/// A company at a fair.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairCompanyDto {
    employer: Uuid,
    name: String,
    desks: u16,
}

/// A participating agency and the companies it asked for, first choice first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairParticipantDto {
    agency: Uuid,
    name: String,
    wants: u16,
    choices: Vec<Uuid>,
}

/// A meeting of the schedule.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairMeetingDto {
    agency: Uuid,
    employer: Uuid,
    /// From 1.
    desk: u16,
    /// From 1.
    slot: u16,
    /// `HH:MM`.
    starts: String,
    /// `HH:MM`.
    ends: String,
    /// 1 for the participant's first choice.
    rank: Option<usize>,
}

/// What the last scheduling gave, beside the greedy baseline.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairOutcomeDto {
    /// Total preference (a first choice counts 5, a fifth 1).
    total: u64,
    meetings: u32,
    /// What filling first choices first, at the first free time, gives.
    greedy_total: u64,
    greedy_meetings: u32,
    kept: u32,
    moved: u32,
    added: u32,
    dropped: u32,
}

/// A fair with its schedule.
#[derive(Debug, Serialize, ToSchema)]
pub struct FairDto {
    #[serde(flatten)]
    summary: FairSummaryDto,
    venue: Option<String>,
    /// `HH:MM`.
    starts: String,
    slot_minutes: u16,
    slots: u16,
    companies: Vec<FairCompanyDto>,
    participants: Vec<FairParticipantDto>,
    meetings: Vec<FairMeetingDto>,
    outcome: Option<FairOutcomeDto>,
    /// RFC 3339.
    updated_at: String,
}

fn summary(f: &Fair) -> FairSummaryDto {
    FairSummaryDto {
        id: f.id.0,
        title: f.header.title.clone(),
        date: f.header.date.to_string(),
        organiser: f.organiser.0,
        companies: f.companies.len(),
        participants: f.participants.len(),
        meetings: f.meetings.len(),
        state: f.state().code(),
        version: f.version,
    }
}

fn dto(f: &Fair) -> FairDto {
    FairDto {
        summary: summary(f),
        venue: f.header.venue.clone(),
        starts: clock_text(f.header.starts),
        slot_minutes: f.header.slot_minutes,
        slots: f.header.slots,
        companies: f
            .companies
            .iter()
            .map(|c| FairCompanyDto { employer: c.employer.0, name: c.name.clone(), desks: c.desks })
            .collect(),
        participants: f
            .participants
            .iter()
            .map(|p| FairParticipantDto {
                agency: p.agency.0,
                name: p.name.clone(),
                wants: p.wants,
                choices: p.choices.iter().map(|e| e.0).collect(),
            })
            .collect(),
        meetings: f
            .meetings
            .iter()
            .map(|m| {
                let (starts, ends) = f.slot_times(m.slot);
                FairMeetingDto {
                    agency: m.agency.0,
                    employer: m.employer.0,
                    desk: m.desk + 1,
                    slot: m.slot + 1,
                    starts: clock_text(starts),
                    ends: clock_text(ends),
                    rank: f.rank(m.agency, m.employer),
                }
            })
            .collect(),
        outcome: f.outcome.as_ref().map(|o| FairOutcomeDto {
            total: o.total,
            meetings: o.meetings,
            greedy_total: o.greedy_total,
            greedy_meetings: o.greedy_meetings,
            kept: o.kept,
            moved: o.moved,
            added: o.added,
            dropped: o.dropped,
        }),
        updated_at: rfc3339(f.updated_at),
    }
}

/// The prefecture's fairs, latest date first.
#[utoipa::path(get, path = "/api/v1/fairs", tag = "fairs", operation_id = "list_fairs",
    responses((status = 200, body = [FairSummaryDto]), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_fairs(
    State(state): State<AppState>,
    lang: Lang,
    FairsReader(actor): FairsReader,
) -> ApiResult<Json<Vec<FairSummaryDto>>> {
    let fairs = state.app.fairs(&actor).await.map_err(app_err(lang))?;
    Ok(Json(fairs.iter().map(summary).collect()))
}

/// One fair with its companies, participants and schedule.
#[utoipa::path(get, path = "/api/v1/fairs/{id}", tag = "fairs", operation_id = "get_fair",
    params(("id" = Uuid, Path, description = "Fair id")),
    responses((status = 200, body = FairDto), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_fair(
    State(state): State<AppState>,
    lang: Lang,
    FairsReader(actor): FairsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<FairDto>> {
    let id = FairId(parse_id(lang, &id)?);
    let fair = state.app.fair(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&fair)))
}

/// The version the caller read.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct FairVersionDto {
    /// The fair's `version` as read; a fair changed since answers 409.
    #[serde(default)]
    #[schema(required)]
    version: i64,
}

/// Make the fair's schedule (again): the greatest total preference, keeping every meeting of the
/// schedule before that the optimum allows (the organising agency's staff).
#[utoipa::path(post, path = "/api/v1/fairs/{id}/schedule", tag = "fairs", operation_id = "schedule_fair",
    params(("id" = Uuid, Path, description = "Fair id")),
    request_body = FairVersionDto,
    responses((status = 200, body = FairDto), (status = 409, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn schedule_fair(
    State(state): State<AppState>,
    lang: Lang,
    FairsWriter(actor): FairsWriter,
    Path(id): Path<String>,
    Json(d): Json<FairVersionDto>,
) -> ApiResult<Json<FairDto>> {
    let id = FairId(parse_id(lang, &id)?);
    let fair = state.app.edit_fair(&actor, id, d.version, FairEdit::Schedule).await.map_err(app_err(lang))?;
    Ok(Json(dto(&fair)))
}
