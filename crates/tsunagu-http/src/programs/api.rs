//! The annual report as JSON: the same rows as the page, every figure as a number.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use tsunagu_app::programs::{AnnualReport, computed};
use tsunagu_domain::program::{Column, Figure, FiscalYear};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{ApiResult, app_err};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::i18n::Lang;
use crate::web::session::ReportReader;

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_report))
}

/// One number of an indicator.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureDto {
    /// The indicator's code (`1-1.municipalities`).
    indicator: String,
    /// Its name.
    name: String,
    /// Its unit (区市町村, 名, 件, %).
    unit: String,
    /// `actual`, `plan` or `target`.
    kind: String,
    /// Empty for the total; otherwise the part (区, a school and department).
    breakdown: String,
    value: i64,
    /// The upper end of a range (10～30名).
    max: Option<i64>,
    /// `computed` from Tsunagu's records or `entered` by the owning agency.
    source: String,
}

/// One column of a program's row.
#[derive(Debug, Serialize, ToSchema)]
pub struct ColumnDto {
    /// The fiscal year (Gregorian year it starts in).
    year: i32,
    /// 令和6年度.
    label: String,
    /// The program document's text for this year, where it has one.
    text: Option<String>,
    figures: Vec<FigureDto>,
    /// Nothing is recorded for this year.
    missing: bool,
}

/// Actual against target.
#[derive(Debug, Serialize, ToSchema)]
pub struct AchievementDto {
    indicator: String,
    actual: i64,
    target: i64,
    /// Whole percent.
    percent: i64,
}

/// One program's row.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportRowDto {
    /// `1-1`, or `1-A` for a program the document lists with ●.
    code: String,
    viewpoint: u8,
    action: u8,
    name: String,
    owner: String,
    implementer: String,
    /// The program this row repeats (【再掲】).
    repeats: Option<String>,
    /// Empty while the program runs.
    ended: String,
    /// The three years before the report's year.
    actuals: Vec<ColumnDto>,
    /// The report's year: plan and target.
    plan: ColumnDto,
    /// The report's year: actuals so far.
    current: Vec<FigureDto>,
    achievement: Vec<AchievementDto>,
}

/// A computed indicator's definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct DefinitionDto {
    indicator: String,
    definition: String,
}

/// The annual report for one fiscal year.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDto {
    year: i32,
    label: String,
    /// Every program, in the document's order.
    rows: Vec<ReportRowDto>,
    /// How each computed indicator is counted.
    definitions: Vec<DefinitionDto>,
}

fn figures(r: &AnnualReport, figures: &[Figure]) -> Vec<FigureDto> {
    figures
        .iter()
        .map(|f| {
            let indicator = r.report.indicators.get(&f.indicator);
            FigureDto {
                indicator: f.indicator.clone(),
                name: indicator.map(|i| i.name.clone()).unwrap_or_default(),
                unit: indicator.map(|i| i.unit.clone()).unwrap_or_default(),
                kind: f.kind.code().to_owned(),
                breakdown: f.breakdown.clone(),
                value: f.value,
                max: f.max,
                source: indicator.map(|i| i.source.code().to_owned()).unwrap_or_default(),
            }
        })
        .collect()
}

fn column(r: &AnnualReport, c: &Column) -> ColumnDto {
    ColumnDto {
        year: c.year.0,
        label: c.year.wareki(),
        text: c.text.clone(),
        figures: figures(r, &c.figures),
        missing: c.is_missing(),
    }
}

/// The annual report for a fiscal year (program managers and administrators; tokens need
/// `report_read`): per program the three years before it, its plan and target, the actuals so
/// far and achievement against target.
#[utoipa::path(get, path = "/api/v1/report/{year}", tag = "programs", operation_id = "get_report",
    params(("year" = i32, Path, minimum = 2000, maximum = 2100, description = "The fiscal year: the Gregorian year it starts in (2024 for 令和6年度)")),
    responses((status = 200, body = ReportDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn get_report(
    State(state): State<AppState>,
    lang: Lang,
    ReportReader(actor): ReportReader,
    Path(year): Path<String>,
) -> ApiResult<Json<ReportDto>> {
    let year = FiscalYear::parse(&year).map_err(|code| {
        let mut p = tsunagu_domain::Problems::new();
        p.add("year", code);
        ApiError::invalid(lang, &p)
    })?;
    let r = state.app.annual_report(&actor, Some(year)).await.map_err(app_err(lang))?;
    let rows = r
        .report
        .viewpoints
        .iter()
        .flat_map(|(_, actions)| actions)
        .flat_map(|(_, rows)| rows)
        .map(|row| {
            let p = &row.program;
            ReportRowDto {
                code: p.code.to_string(),
                viewpoint: p.viewpoint,
                action: p.action,
                name: p.name.clone(),
                owner: p.owner.clone(),
                implementer: p.implementer.clone(),
                repeats: p.repeats.as_ref().map(ToString::to_string),
                ended: p.ended.clone(),
                actuals: row.actuals.iter().map(|c| column(&r, c)).collect(),
                plan: column(&r, &row.plan),
                current: figures(&r, &row.current),
                achievement: row
                    .achievement
                    .iter()
                    .map(|a| AchievementDto {
                        indicator: a.indicator.clone(),
                        actual: a.actual,
                        target: a.target,
                        percent: a.percent,
                    })
                    .collect(),
            }
        })
        .collect();
    let definitions = r
        .report
        .indicators
        .keys()
        .filter_map(|code| {
            computed(code).map(|c| DefinitionDto { indicator: code.clone(), definition: c.definition.to_owned() })
        })
        .collect();
    Ok(Json(ReportDto { year: r.report.year.0, label: r.report.year.wareki(), rows, definitions }))
}
