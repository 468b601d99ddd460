//! The quota in the JSON API, under the employers scopes: an employer's position on a day with its
//! fiscal year by month and its roster, the roster written whole on its version, and a count of
//! any roster sent (nothing stored) for a day.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use tsunagu_app::quota::{QuotaView, RosterEdit};
use tsunagu_domain::Problems;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::quota::{
    self, CountInput, EmployerKind, Headcount, HeadcountInput, Money, Position, WorkerInput, halves_text, hours_text,
    percent_text,
};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id};
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{EmployersReader, EmployersWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_quota)).routes(routes!(put_roster)).routes(routes!(count_quota))
}

/// Where an employer stands on a day. Counts are written as the report writes them (`2.5`),
/// rates as percents to two decimals, truncated.
#[derive(Debug, Serialize, ToSchema)]
pub struct PositionDto {
    /// The day (the first of the month in a year's months).
    on: String,
    /// The legal rate in force (`2.70`).
    rate_percent: String,
    /// Regular workers as the law counts them (short-time 0.5).
    workers: String,
    /// Workers with disabilities as the law counts them.
    counted: String,
    /// The legal number (法定雇用障害者数), truncated.
    legal: u32,
    /// The actual rate (実雇用率), truncated; none without workers.
    actual_percent: Option<String>,
    /// Short of the legal number.
    shortfall: String,
    /// Above it.
    excess: String,
    /// `levy` (納付金, paid), `adjustment` (調整金), `reward` (報奨金) or `nothing`.
    scheme: &'static str,
    /// The month's amount in yen, as an indication.
    yen: u64,
}

fn money(m: Money) -> (&'static str, u64) {
    match m {
        Money::Levy(y) => ("levy", y),
        Money::Adjustment(y) => ("adjustment", y),
        Money::Reward(y) => ("reward", y),
        Money::Nothing => ("nothing", 0),
    }
}

fn position_dto(p: &Position) -> PositionDto {
    let (scheme, yen) = money(p.monthly);
    PositionDto {
        on: p.on.to_string(),
        rate_percent: percent_text(p.rate_hundredths),
        workers: halves_text(p.workers_halves),
        counted: halves_text(p.counted_halves),
        legal: p.legal,
        actual_percent: p.actual_hundredths.map(percent_text),
        shortfall: halves_text(p.shortfall_halves),
        excess: halves_text(p.excess_halves),
        scheme,
        yen,
    }
}

/// A fiscal year.
#[derive(Debug, Serialize, ToSchema)]
pub struct YearDto {
    /// April of this year to March of the next.
    fiscal_year: i32,
    /// Each month's first day; null for a month without regular workers entered on or before it.
    months: Vec<Option<PositionDto>>,
    /// Regular workers summed over the months.
    workers: String,
    /// Workers with disabilities summed.
    counted: String,
    /// Legal numbers summed.
    legal: u32,
    /// Months over the levy's size term.
    months_over_size: u32,
    /// The year's scheme: `levy`, `adjustment`, `reward` or `nothing`.
    scheme: &'static str,
    /// The year's amount in yen, an estimate.
    yen: u64,
}

/// A month's regular workers.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct HeadcountDto {
    /// The month (`2026-06`).
    #[serde(default)]
    #[schema(required, max_length = 10)]
    month: String,
    /// Working 30 hours a week or more.
    #[serde(default)]
    #[schema(required, max_length = 12)]
    full_time: String,
    /// Working 20 to under 30.
    #[serde(default)]
    #[schema(required, max_length = 12)]
    short_time: String,
}

/// A worker with a disability entered by the employer.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct RosterWorkerDto {
    /// The employer's own label (a staff number; not a name).
    #[serde(default)]
    #[schema(required, max_length = 40)]
    worker_label: String,
    /// `severe_physical`, `physical`, `severe_intellectual`, `intellectual` or `mental`.
    #[serde(default)]
    #[schema(required, max_length = 30)]
    quota_category: String,
    /// Scheduled weekly hours, 0–168 (`37.5`).
    #[serde(default)]
    #[schema(required, max_length = 12)]
    weekly_hours: String,
    /// Employed since (`YYYY-MM-DD`).
    #[serde(default)]
    #[schema(required, max_length = 10)]
    employed_from: String,
    /// Left on (empty while employed).
    #[serde(default)]
    #[schema(max_length = 10)]
    left_on: String,
}

/// An employer's quota position, its year and its roster.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotaDto {
    employer_id: uuid::Uuid,
    /// The roster's version (0 before the first write); send it back to write.
    version: i64,
    position: PositionDto,
    year: YearDto,
    /// Months entered, oldest first.
    headcounts: Vec<HeadcountDto>,
    workers: Vec<RosterWorkerDto>,
    /// Persons placed through Tsunagu counted from their certificate (their consent lets the
    /// employer see it).
    placed_counted: usize,
    /// Placements not counted for want of that consent.
    placed_not_counted: usize,
}

fn dto(view: &QuotaView) -> QuotaDto {
    let (scheme, yen) = money(view.year.money);
    QuotaDto {
        employer_id: view.employer.0,
        version: view.version,
        position: position_dto(&view.position),
        year: YearDto {
            fiscal_year: view.year.fiscal_year,
            months: view.year.months.iter().map(|m| m.as_ref().map(position_dto)).collect(),
            workers: halves_text(view.year.workers_halves),
            counted: halves_text(view.year.counted_halves),
            legal: view.year.legal,
            months_over_size: view.year.months_over_size,
            scheme,
            yen,
        },
        headcounts: view
            .roster
            .headcounts
            .iter()
            .map(|h| HeadcountDto {
                month: format!("{}-{:02}", h.month.year(), u8::from(h.month.month())),
                full_time: h.headcount.full_time.to_string(),
                short_time: h.headcount.short_time.to_string(),
            })
            .collect(),
        workers: view
            .roster
            .workers
            .iter()
            .map(|w| RosterWorkerDto {
                worker_label: w.label.clone(),
                quota_category: w.worker.category.code().to_owned(),
                weekly_hours: hours_text(w.worker.weekly_minutes),
                employed_from: w.since.to_string(),
                left_on: w.until.map(|u| u.to_string()).unwrap_or_default(),
            })
            .collect(),
        placed_counted: view.placed.len(),
        placed_not_counted: view.placed_uncounted,
    }
}

/// The day asked.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct AsOfQuery {
    /// The day (`YYYY-MM-DD`); today when left out.
    as_of: String,
}

/// An employer's quota position on a day, its fiscal year by month and its roster: the employer's
/// own account, and the staff and program managers who see employers.
#[utoipa::path(get, path = "/api/v1/employers/{id}/quota", tag = "employers", operation_id = "get_quota",
    params(("id" = Uuid, Path, description = "Employer id"), AsOfQuery),
    responses((status = 200, body = QuotaDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn get_quota(
    State(state): State<AppState>,
    lang: Lang,
    EmployersReader(actor): EmployersReader,
    Path(id): Path<String>,
    Query(q): Query<AsOfQuery>,
) -> ApiResult<Json<QuotaDto>> {
    let id = EmployerId(parse_id(lang, &id)?);
    let on =
        quota::day_asked(&q.as_of, state.app.today()).map_err(|p| app_err(lang)(tsunagu_app::AppError::Invalid(p)))?;
    let view = state.app.quota(&actor, id, on).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view)))
}

/// A roster as sent: it replaces the stored one whole.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RosterInputDto {
    /// Months (one each).
    #[serde(default)]
    #[schema(required)]
    headcounts: Vec<HeadcountDto>,
    /// Workers with disabilities.
    #[serde(default)]
    #[schema(required)]
    workers: Vec<RosterWorkerDto>,
    /// The `version` read (0 before the first write).
    #[serde(default)]
    #[schema(required)]
    version: i64,
}

/// Write the employer's roster whole from the `version` read (422 `roster_changed` when someone
/// changed it since): the employer's own account and the staff who edit employers.
#[utoipa::path(put, path = "/api/v1/employers/{id}/quota/roster", tag = "employers", operation_id = "put_quota_roster",
    params(("id" = Uuid, Path, description = "Employer id")),
    request_body = RosterInputDto,
    responses((status = 200, body = QuotaDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn put_roster(
    State(state): State<AppState>,
    lang: Lang,
    EmployersWriter(actor): EmployersWriter,
    Path(id): Path<String>,
    Json(d): Json<RosterInputDto>,
) -> ApiResult<Json<QuotaDto>> {
    let id = EmployerId(parse_id(lang, &id)?);
    let edit = RosterEdit::Replace {
        headcounts: d
            .headcounts
            .into_iter()
            .map(|h| HeadcountInput { month: h.month, full_time: h.full_time, short_time: h.short_time })
            .collect(),
        workers: d
            .workers
            .into_iter()
            .map(|w| WorkerInput {
                worker_label: w.worker_label,
                quota_category: w.quota_category,
                weekly_hours: w.weekly_hours,
                employed_from: w.employed_from,
                left_on: w.left_on,
            })
            .collect(),
    };
    state.app.edit_quota_roster(&actor, id, d.version, edit).await.map_err(app_err(lang))?;
    let view = state.app.quota(&actor, id, state.app.today()).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view)))
}

/// A worker to count.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CountWorkerDto {
    /// A category's code.
    #[serde(default)]
    #[schema(required, max_length = 30)]
    quota_category: String,
    /// Scheduled weekly hours, 0–168.
    #[serde(default)]
    #[schema(required, max_length = 12)]
    weekly_hours: String,
}

/// A roster to count for a day; nothing is stored.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CountInputDto {
    /// The day (`YYYY-MM-DD`).
    #[serde(default)]
    #[schema(required, max_length = 10)]
    as_of: String,
    /// `private` (民間企業), `public` (国・地方公共団体等) or `education` (教育委員会).
    #[serde(default)]
    #[schema(max_length = 12)]
    employer_kind: String,
    /// Regular workers of 30 hours or more.
    #[serde(default)]
    #[schema(required, max_length = 12)]
    full_time: String,
    /// Regular workers of 20 to under 30 hours.
    #[serde(default)]
    #[schema(required, max_length = 12)]
    short_time: String,
    /// Workers with disabilities (at most 2,000).
    #[serde(default)]
    #[schema(required)]
    workers: Vec<CountWorkerDto>,
}

/// Count a roster sent for a day with the rules in force then: the legal number, the actual rate,
/// the shortfall and the month's amount. Any account that sees employers, and an employer's
/// account; nothing is stored.
#[utoipa::path(post, path = "/api/v1/quota/count", tag = "employers", operation_id = "count_quota",
    request_body = CountInputDto,
    responses((status = 200, body = PositionDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn count_quota(
    State(state): State<AppState>,
    lang: Lang,
    EmployersReader(actor): EmployersReader,
    Json(d): Json<CountInputDto>,
) -> ApiResult<Json<PositionDto>> {
    if !tsunagu_app::App::may_count_quota(&actor) {
        return Err(app_err(lang)(tsunagu_app::AppError::Forbidden));
    }
    let invalid = |p: Problems| app_err(lang)(tsunagu_app::AppError::Invalid(p));
    let mut p = Problems::new();
    let on = match quota::day_asked(&d.as_of, state.app.today()) {
        Ok(on) if !d.as_of.trim().is_empty() => Some(on),
        Ok(_) => {
            p.add("as_of", "required");
            None
        }
        Err(problems) => {
            p.extend(problems);
            None
        }
    };
    let kind = match d.employer_kind.trim() {
        "" => Some(EmployerKind::Private),
        raw => {
            let kind = EmployerKind::parse(raw);
            if kind.is_none() {
                p.add("employer_kind", "unknown_employer_kind");
            }
            kind
        }
    };
    let headcount = Headcount::typed(&mut p, &d.full_time, &d.short_time);
    if d.workers.len() > quota::limits::WORKERS {
        p.add("workers", "too_many_workers");
    }
    let workers: Vec<_> = d
        .workers
        .iter()
        .take(quota::limits::WORKERS)
        .filter_map(|w| {
            CountInput { category: w.quota_category.clone(), weekly_hours: w.weekly_hours.clone() }.validate(
                &mut p,
                "quota_category",
                "weekly_hours",
            )
        })
        .collect();
    let (Some(on), Some(kind), Some(headcount)) = (on, kind, headcount) else { return Err(invalid(p)) };
    if !p.is_empty() {
        return Err(invalid(p));
    }
    let position = quota::position(kind, on, headcount, &workers).map_err(|problem| {
        let mut p = Problems::new();
        p.push(problem);
        invalid(p)
    })?;
    Ok(Json(position_dto(&position)))
}
