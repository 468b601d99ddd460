//! The registry's page (every program with its indicators, and how each is counted) and the
//! annual report's page, laid out as the program document lays out its tables.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::programs::{AnnualReport, computed, headings};
use tsunagu_app::report_export::grouped;
use tsunagu_domain::Problems;
use tsunagu_domain::program::{
    Figure, FigureInput, FigureKind, FiscalYear, Grouped, Indicator, Program, ProgramInput, Registry, Row,
    by_viewpoint_and_action,
};

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, date_text, download, file_name, render};

/// A figure in words in the reader's language.
fn figure_text(tr: Tr, indicator: Option<&Indicator>, f: &Figure) -> String {
    tsunagu_app::report_export::figure_text(&tr.get("report-target"), indicator, f)
}

/// One column of a row: the document's text, or the figures recorded for it, or that nothing is.
struct ColumnView {
    label: String,
    text: Option<String>,
    figures: Vec<String>,
}

struct RowView {
    code: String,
    name: String,
    repeats: Option<String>,
    ended: String,
    columns: Vec<ColumnView>,
    /// The actuals so far in the report's year: when they were counted, and the figures.
    current: Option<(String, Vec<String>)>,
    achievement: Vec<String>,
    owner: String,
}

struct ActionView<T> {
    heading: String,
    caption: String,
    rows: Vec<T>,
}

struct ViewpointView<T> {
    heading: String,
    actions: Vec<ActionView<T>>,
}

/// The headings of a viewpoint and of an action, with the document's titles.
fn viewpoint_heading(tr: Tr, v: u8) -> String {
    let title = headings().viewpoints.get(&v).map_or("", String::as_str);
    format!("{} {title}", tr.with("report-viewpoint", &[("n", v.into())])).trim_end().to_owned()
}

fn action_heading(tr: Tr, a: u8) -> (String, String) {
    let number = tr.with("report-action", &[("n", a.into())]);
    let title = headings().actions.get(&a).map_or("", String::as_str);
    (format!("{number} {title}").trim_end().to_owned(), tr.with("report-action-caption", &[("action", number.into())]))
}

/// Views of grouped items, with their headings.
fn grouped_views<T, V>(tr: Tr, grouped: &Grouped<T>, view: impl Fn(&T) -> V) -> Vec<ViewpointView<V>> {
    grouped
        .iter()
        .map(|(v, actions)| ViewpointView {
            heading: viewpoint_heading(tr, *v),
            actions: actions
                .iter()
                .map(|(a, items)| {
                    let (heading, caption) = action_heading(tr, *a);
                    ActionView { heading, caption, rows: items.iter().map(&view).collect() }
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    layout: Layout,
    years: Vec<SelectOption>,
    year_error: Option<String>,
    headers: Vec<String>,
    viewpoints: Vec<ViewpointView<RowView>>,
    no_data: Option<String>,
    definitions: Vec<(String, String)>,
    /// Where the same report is as JSON, XLSX and CSV.
    json_href: String,
    xlsx_href: String,
    csv_href: String,
}

/// The report's query.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReportQuery {
    year: Option<String>,
}

fn column_view(tr: Tr, r: &AnnualReport, label: String, text: Option<&String>, figures: &[Figure]) -> ColumnView {
    let figures = if text.is_some() {
        Vec::new()
    } else {
        figures.iter().map(|f| figure_text(tr, r.report.indicators.get(&f.indicator), f)).collect()
    };
    ColumnView { label, text: text.cloned(), figures }
}

fn row_view(tr: Tr, r: &AnnualReport, headers: &[String], row: &Row, today: time::Date) -> RowView {
    let p = &row.program;
    let mut columns: Vec<ColumnView> = row
        .actuals
        .iter()
        .zip(headers)
        .map(|(c, h)| column_view(tr, r, h.clone(), c.text.as_ref(), &c.figures))
        .collect();
    columns.push(column_view(tr, r, headers[3].clone(), row.plan.text.as_ref(), &row.plan.figures));
    let current = (!row.current.is_empty()).then(|| {
        (
            tr.with("report-so-far", &[("day", date_text(tr, today).into())]),
            row.current.iter().map(|f| figure_text(tr, r.report.indicators.get(&f.indicator), f)).collect(),
        )
    });
    let achievement = row
        .achievement
        .iter()
        .map(|a| {
            let name = r.report.indicators.get(&a.indicator).map_or(a.indicator.as_str(), |i| i.name.as_str());
            tr.with(
                "report-achievement",
                &[
                    ("indicator", name.into()),
                    ("percent", a.percent.into()),
                    ("actual", grouped(a.actual).into()),
                    ("target", grouped(a.target).into()),
                ],
            )
        })
        .collect();
    let owner = if p.implementer.is_empty() {
        format!("【{}】{}", tr.get("report-owner"), p.owner)
    } else {
        format!("【{}】{}\n【{}】{}", tr.get("report-owner"), p.owner, tr.get("report-implementer"), p.implementer)
    };
    RowView {
        code: p.code.to_string(),
        name: p.name.clone(),
        repeats: p.repeats.as_ref().map(|c| tr.with("report-repeats", &[("code", c.to_string().into())])),
        ended: p.ended.clone(),
        columns,
        current,
        achievement,
        owner,
    }
}

/// A fiscal year as the reader's language names it: 令和6年度, or FY2024.
pub fn year_text(tr: Tr, year: FiscalYear) -> String {
    tr.with("fiscal-year", &[("wareki", year.wareki().into()), ("year", year.0.to_string().into())])
}

/// The column headings of a report for `year`, as the document words them.
fn headers(tr: Tr, year: FiscalYear) -> Vec<String> {
    let actual = |y: i32| tr.with("report-actual", &[("year", year_text(tr, FiscalYear(y)).into())]);
    vec![
        actual(year.0 - 3),
        actual(year.0 - 2),
        actual(year.0 - 1),
        tr.with("report-plan", &[("year", year_text(tr, year).into())]),
    ]
}

/// `GET /report?year=`: the annual report for a fiscal year (program managers and
/// administrators).
pub async fn report(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ReportQuery>) -> PageResult {
    let account = ctx.require_account()?;
    let tr = ctx.tr();
    let typed = q.year.as_deref().map(str::trim).filter(|y| !y.is_empty());
    let parsed = typed.map(FiscalYear::parse).transpose();
    let asked = parsed.as_ref().ok().copied().flatten();
    let r = state.app.annual_report(account, asked).await.map_err(|e| PageError::of(&ctx, e))?;
    let year = r.report.year;
    let year_error = parsed.err().map(|code| tr.problem("year", false, code, None));
    let headers = headers(tr, year);
    let today = state.app.today();
    let viewpoints = grouped_views(tr, &r.report.viewpoints, |row| row_view(tr, &r, &headers, row, today));
    let mut years: Vec<FiscalYear> = r.years.clone();
    if !years.contains(&year) {
        years.push(year);
        years.sort();
    }
    let years = years
        .iter()
        .rev()
        .map(|y| SelectOption {
            value: y.0.to_string(),
            label: format!("{}（{}）", y.wareki(), y.0),
            selected: *y == year,
        })
        .collect();
    // One line per computed indicator, naming the programs that report it (an indicator and its
    // 【再掲】 copies share their definition).
    let definitions: Vec<(String, String)> = tsunagu_app::programs::COMPUTED
        .iter()
        .filter_map(|c| {
            let indicators: Vec<&Indicator> =
                c.codes.iter().filter_map(|code| r.report.indicators.get(*code)).collect();
            let first = indicators.first()?;
            let programs: Vec<String> = indicators.iter().map(|i| i.program.to_string()).collect();
            Some((format!("{} {}", programs.join("・"), first.name), c.definition.to_owned()))
        })
        .collect();
    let no_data = (!r.report.has_data()).then(|| tr.with("report-no-data", &[("year", year_text(tr, year).into())]));
    let title = tr.with("report-title", &[("year", year_text(tr, year).into())]);
    let status = if year_error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render(
        status,
        &ReportPage {
            layout: ctx.layout(title),
            years,
            year_error,
            headers,
            viewpoints,
            no_data,
            definitions,
            json_href: format!("/api/v1/report/{}", year.0),
            xlsx_href: format!("/report/export.xlsx?year={}", year.0),
            csv_href: format!("/report/export.csv?year={}", year.0),
        },
    ))
}

struct IndicatorView {
    name: String,
    unit: String,
    breakdown: String,
    source: String,
}

struct ProgramView {
    /// The program as the registry holds it.
    p: Program,
    /// 【再掲】 and the code it repeats, in words.
    repeats: Option<String>,
    indicators: Vec<IndicatorView>,
}

#[derive(Template)]
#[template(path = "programs.html")]
struct ProgramsPage {
    layout: Layout,
    /// (viewpoint heading, [(action heading, programs)]).
    viewpoints: Vec<ViewpointView<ProgramView>>,
}

/// `GET /programs`: every program of the document with the indicators it is measured by, and
/// whether each is computed (with how) or entered.
pub async fn programs(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let account = ctx.require_account()?;
    let tr = ctx.tr();
    let registry = state.app.programs(account).await.map_err(|e| PageError::of(&ctx, e))?;
    let grouped = by_viewpoint_and_action(&registry.programs, |p| (p.viewpoint, p.action));
    let viewpoints = grouped_views(tr, &grouped, |p| program_view(tr, &registry, p));
    Ok(render(StatusCode::OK, &ProgramsPage { layout: ctx.layout(tr.get("programs-title")), viewpoints }))
}

struct FigureRow {
    year: String,
    kind: String,
    indicator: String,
    breakdown: String,
    value: String,
}

/// One year's bar of a trend chart, in the chart's coordinates.
struct Bar {
    x: i64,
    y: i64,
    width: i64,
    height: i64,
    /// Where the value is written.
    middle: i64,
    value_y: i64,
    value: String,
}

/// An indicator's totals year by year: a bar chart drawn in SVG (hidden from screen readers) and
/// the same figures as a table beside it.
struct Trend {
    id: String,
    title: String,
    width: i64,
    height: i64,
    baseline: i64,
    bars: Vec<Bar>,
    /// A target: a dashed line across its year's slot (x1, x2, y).
    targets: Vec<(i64, i64, i64)>,
    /// Each year's label under its slot: (x, text).
    years: Vec<(i64, String)>,
    /// (year, actual, target) for the table.
    rows: Vec<(String, String, String)>,
}

/// The chart's geometry: a slot per year, bars scaled to the largest actual or target.
fn trend(tr: Tr, n: usize, indicator: &Indicator, figures: &[Figure]) -> Option<Trend> {
    let totals = |kind: FigureKind| -> std::collections::BTreeMap<FiscalYear, &Figure> {
        figures
            .iter()
            .filter(|f| f.indicator == indicator.code && f.kind == kind && f.breakdown.is_empty())
            .map(|f| (f.year, f))
            .collect()
    };
    let (actuals, targets) = (totals(FigureKind::Actual), totals(FigureKind::Target));
    if actuals.is_empty() {
        return None;
    }
    let years: std::collections::BTreeSet<FiscalYear> = actuals.keys().chain(targets.keys()).copied().collect();
    let top = actuals.values().chain(targets.values()).map(|f| f.max.unwrap_or(f.value)).max().unwrap_or(0).max(1);
    let (slot, chart_height, baseline) = (72_i64, 120_i64, 144_i64);
    let scale = |v: i64| v.saturating_mul(chart_height) / top;
    let with_unit = |f: &Figure| {
        let value = match f.max {
            Some(m) => format!("{}～{}", grouped(f.value), grouped(m)),
            None => grouped(f.value),
        };
        format!("{value}{}", indicator.unit)
    };
    let mut bars = Vec::new();
    let mut target_lines = Vec::new();
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for (i, year) in years.iter().enumerate() {
        let x = 8 + i as i64 * slot;
        let label = year_text(tr, *year);
        labels.push((x + slot / 2, label.clone()));
        if let Some(f) = actuals.get(year) {
            let height = scale(f.value).max(1);
            bars.push(Bar {
                x: x + 12,
                y: baseline - height,
                width: slot - 24,
                height,
                middle: x + slot / 2,
                value_y: (baseline - height - 6).max(12),
                value: grouped(f.value),
            });
        }
        if let Some(t) = targets.get(year) {
            target_lines.push((x + 4, x + slot - 4, baseline - scale(t.value)));
        }
        let cell = |f: Option<&&Figure>| f.map(|f| with_unit(f)).unwrap_or_default();
        rows.push((label, cell(actuals.get(year)), cell(targets.get(year))));
    }
    Some(Trend {
        id: format!("trend-{n}"),
        title: format!("{}（{}）", indicator.name, indicator.unit),
        width: 16 + years.len() as i64 * slot,
        height: baseline + 24,
        baseline,
        bars,
        targets: target_lines,
        years: labels,
        rows,
    })
}

#[derive(Template)]
#[template(path = "program.html")]
struct ProgramPage {
    layout: Layout,
    program: ProgramView,
    trends: Vec<Trend>,
    notice: Option<String>,
    figures: Vec<FigureRow>,
    errors: Vec<(String, String)>,
    indicator: Field,
    indicators: Vec<SelectOption>,
    year: Field,
    kind: Field,
    kinds: Vec<SelectOption>,
    breakdown: Field,
    value: Field,
    max: Field,
}

/// The figure form's fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FigureForm {
    csrf: Option<String>,
    indicator: String,
    year: String,
    figure_kind: String,
    breakdown: String,
    value: String,
    max: String,
}

fn program_view(tr: Tr, registry: &Registry, p: &Program) -> ProgramView {
    ProgramView {
        p: p.clone(),
        repeats: p.repeats.as_ref().map(|c| tr.with("report-repeats", &[("code", c.to_string().into())])),
        indicators: registry
            .indicators
            .iter()
            .filter(|i| i.program == p.code)
            .map(|i| IndicatorView {
                name: i.name.clone(),
                unit: i.unit.clone(),
                breakdown: i.breakdown.clone(),
                source: match computed(&i.code) {
                    Some(c) => format!("{}: {}", tr.get("programs-computed"), c.definition),
                    None => tr.get("programs-entered"),
                },
            })
            .collect(),
    }
}

fn program_page(
    ctx: &Ctx,
    registry: &Registry,
    p: &Program,
    form: &FigureForm,
    problems: &Problems,
    notice: Option<String>,
) -> ProgramPage {
    let tr = ctx.tr();
    let field = |name: &'static str, value: &str, max: u32, required: bool| {
        crate::web::views::field(tr, problems, name, value, "text", max, required)
    };
    let indicators: Vec<&Indicator> = registry.indicators.iter().filter(|i| i.program == p.code).collect();
    let mut figures: Vec<&Figure> =
        registry.figures.iter().filter(|f| indicators.iter().any(|i| i.code == f.indicator)).collect();
    figures.sort_by(|a, b| {
        (b.year, a.kind, &a.indicator, &a.breakdown).cmp(&(a.year, b.kind, &b.indicator, &b.breakdown))
    });
    let figures = figures
        .into_iter()
        .map(|f| {
            let indicator = indicators.iter().find(|i| i.code == f.indicator);
            FigureRow {
                year: year_text(tr, f.year),
                kind: tr.get(&format!("figure-kind-{}", f.kind.code())),
                indicator: indicator.map_or_else(|| f.indicator.clone(), |i| i.name.clone()),
                breakdown: if f.breakdown.is_empty() { tr.get("figure-total") } else { f.breakdown.clone() },
                value: {
                    let unit = indicator.map_or("", |i| i.unit.as_str());
                    match f.max {
                        Some(m) => format!("{}～{}{unit}", grouped(f.value), grouped(m)),
                        None => format!("{}{unit}", grouped(f.value)),
                    }
                },
            }
        })
        .collect();
    let option = |value: String, label: String, selected: bool| SelectOption { value, label, selected };
    let trends = indicators.iter().enumerate().filter_map(|(n, i)| trend(tr, n, i, &registry.figures)).collect();
    ProgramPage {
        layout: ctx.layout(format!("{} {}", p.code, p.name)),
        program: program_view(tr, registry, p),
        trends,
        notice,
        figures,
        errors: problems.iter().map(|q| (q.field.to_owned(), tr.problem(q.field, false, q.code, q.limit))).collect(),
        indicator: field("indicator", &form.indicator, 100, true),
        indicators: indicators
            .iter()
            .map(|i| option(i.code.clone(), format!("{}（{}）", i.name, i.unit), i.code == form.indicator))
            .collect(),
        year: field("year", &form.year, 20, true),
        kind: field("figure_kind", &form.figure_kind, 20, true),
        kinds: FigureKind::ALL
            .iter()
            .map(|k| {
                option(k.code().to_owned(), tr.get(&format!("figure-kind-{}", k.code())), k.code() == form.figure_kind)
            })
            .collect(),
        breakdown: field("breakdown", &form.breakdown, 100, false),
        value: Field { inputmode: Some("numeric"), ..field("value", &form.value, 20, true) },
        max: Field { inputmode: Some("numeric"), ..field("max", &form.max, 20, false) },
    }
}

/// Which figure was just saved.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

/// `GET /programs/{code}`: a program, its indicators and figures, and the form to enter one.
pub async fn program(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(flash): Query<Saved>,
) -> PageResult {
    let account = ctx.require_account()?;
    let registry = state.app.programs(account).await.map_err(|e| PageError::of(&ctx, e))?;
    let p = registry.programs.iter().find(|p| p.code.as_str() == code).ok_or_else(|| PageError::not_found(&ctx))?;
    let form = FigureForm {
        year: year_text(ctx.tr(), FiscalYear::of(state.app.today())),
        figure_kind: FigureKind::Actual.code().to_owned(),
        ..FigureForm::default()
    };
    let notice =
        flash.saved.map(|what| ctx.tr().get(if what == "program" { "program-edited" } else { "program-saved" }));
    Ok(render(StatusCode::OK, &program_page(&ctx, &registry, p, &form, &Problems::new(), notice)))
}

/// `POST /programs/{code}/figures`: enters a figure, replacing the one it corrects.
pub async fn record_figure(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Submitted(form): Submitted<FigureForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let registry = state.app.programs(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let p = registry.programs.iter().find(|p| p.code.as_str() == code).ok_or_else(|| PageError::not_found(&ctx))?;
    let input = FigureInput {
        indicator: form.indicator.clone(),
        year: form.year.clone(),
        kind: form.figure_kind.clone(),
        breakdown: form.breakdown.clone(),
        value: form.value.clone(),
        max: form.max.clone(),
    };
    match state.app.record_figure(actor, &p.code, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/programs/{}?saved=1#figures", p.code)).into_response()),
        Err(AppError::Invalid(problems)) => {
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &program_page(&ctx, &registry, p, &form, &problems, None)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// The year of a report file.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ExportQuery {
    year: Option<String>,
}

async fn export(state: &AppState, ctx: &Ctx, q: &ExportQuery, xlsx: bool) -> PageResult {
    let account = ctx.require_account()?;
    if !tsunagu_app::App::may_see_programs(account) {
        return Err(PageError::forbidden(ctx));
    }
    let year = match q.year.as_deref().map(FiscalYear::parse) {
        Some(Ok(y)) => y,
        _ => return Err(PageError::bad_request(ctx)),
    };
    let bytes = state.app.export_report(account, year, xlsx).await.map_err(|e| PageError::of(ctx, e))?;
    let name = file_name(&["年次報告", &year.wareki()], state.app.today(), if xlsx { "xlsx" } else { "csv" });
    let content_type = if xlsx {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        "text/csv; charset=utf-8"
    };
    Ok(download(bytes, content_type, &name))
}

/// `GET /report/export.xlsx?year=`: the report as a workbook.
pub async fn export_xlsx(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ExportQuery>) -> PageResult {
    export(&state, &ctx, &q, true).await
}

/// `GET /report/export.csv?year=`: the report as CSV (UTF-8 with a BOM).
pub async fn export_csv(State(state): State<AppState>, ctx: Ctx, Query(q): Query<ExportQuery>) -> PageResult {
    export(&state, &ctx, &q, false).await
}

/// One group's line of the retention table.
struct RetentionRow {
    group: String,
    placements: String,
    ended: String,
    three_months: String,
    one_year: String,
    national: String,
}

/// A Kaplan–Meier curve drawn in SVG: the step line and its band, over two years.
struct Curve {
    id: String,
    title: String,
    line: String,
    band: String,
    /// (x, label) of the months marked on the axis.
    ticks: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "retention.html")]
struct RetentionPage {
    layout: Layout,
    sections: Vec<(String, Vec<RetentionRow>)>,
    curves: Vec<Curve>,
}

/// The chart's frame: 2 years across 480 units, 0–100% down 200.
const CURVE_DAYS: i64 = 730;

fn curve_x(day: i64) -> i64 {
    40 + day.clamp(0, CURVE_DAYS) * 480 / CURVE_DAYS
}

fn curve_y(share: f64) -> i64 {
    10 + ((1.0 - share.clamp(0.0, 1.0)) * 200.0).round() as i64
}

fn curve(tr: Tr, n: usize, title: String, steps: &[tsunagu_domain::retention::Step], last_day: i64) -> Curve {
    let end = curve_x(last_day.min(CURVE_DAYS));
    let mut line = format!("M{} {}", curve_x(0), curve_y(1.0));
    let (mut upper, mut lower) = (vec![(curve_x(0), curve_y(1.0))], vec![(curve_x(0), curve_y(1.0))]);
    // One point per unit across: of the steps that fall on the same one (a day and a half), the
    // last, where the curve stands after them. A curve of a thousand steps stays a few kilobytes.
    let mut points: Vec<(i64, &tsunagu_domain::retention::Step)> = Vec::new();
    for s in steps.iter().skip(1).filter(|s| s.day <= CURVE_DAYS) {
        let x = curve_x(s.day);
        match points.last_mut() {
            Some(last) if last.0 == x => last.1 = s,
            _ => points.push((x, s)),
        }
    }
    for (x, s) in points {
        line.push_str(&format!(" H{x} V{}", curve_y(s.held)));
        upper.push((x, upper.last().map_or(0, |p| p.1)));
        upper.push((x, curve_y(s.high)));
        lower.push((x, lower.last().map_or(0, |p| p.1)));
        lower.push((x, curve_y(s.low)));
    }
    line.push_str(&format!(" H{end}"));
    upper.push((end, upper.last().map_or(0, |p| p.1)));
    lower.push((end, lower.last().map_or(0, |p| p.1)));
    let band = upper
        .iter()
        .chain(lower.iter().rev())
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x} {y}", if i == 0 { "M" } else { "L" }))
        .collect::<Vec<_>>()
        .join(" ")
        + " Z";
    let ticks = [0_i64, 3, 6, 12, 18, 24]
        .iter()
        .map(|m| (curve_x(m * CURVE_DAYS / 24), tr.with("retention-month", &[("months", (*m).into())])))
        .collect();
    Curve { id: format!("curve-{n}"), title, line, band, ticks }
}

fn percent(s: Option<tsunagu_domain::retention::Step>) -> String {
    match s {
        Some(s) => format!("{:.1}%（{:.1}～{:.1}%）", s.held * 100.0, s.low * 100.0, s.high * 100.0),
        None => "—".to_owned(),
    }
}

/// `GET /report/retention`: how long placements last, by disability category and by workplace
/// support, beside the national study (program managers and administrators).
pub async fn retention(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    use tsunagu_app::retention::GroupKey;
    let account = ctx.require_account()?;
    let tr = ctx.tr();
    let groups = state.app.retention(account).await.map_err(|e| PageError::of(&ctx, e))?;
    let name = |key: GroupKey| match key {
        GroupKey::All => tr.get("retention-all"),
        GroupKey::Category(c) => tr.get(&format!("disability-{}", c.code())),
        GroupKey::WorkplaceSupport(true) => tr.get("retention-supported"),
        GroupKey::WorkplaceSupport(false) => tr.get("retention-unsupported"),
    };
    let row = |g: &tsunagu_app::retention::Group| {
        let national = g.national.map_or_else(String::new, |(m3, y1)| {
            tr.with(
                "retention-national-rates",
                &[("three", format!("{m3:.1}").into()), ("year", format!("{y1:.1}").into())],
            )
        });
        match &g.estimate {
            Some(e) => RetentionRow {
                group: name(g.key),
                placements: grouped(g.placements),
                ended: grouped(e.ended),
                three_months: percent(e.three_months),
                one_year: percent(e.one_year),
                national,
            },
            None => RetentionRow {
                group: name(g.key),
                placements: tr.get("retention-withheld-count"),
                ended: String::new(),
                three_months: tr.get("retention-withheld"),
                one_year: String::new(),
                national,
            },
        }
    };
    let section = |title: &str, keep: &dyn Fn(GroupKey) -> bool| {
        (tr.get(title), groups.iter().filter(|g| keep(g.key)).map(row).collect::<Vec<_>>())
    };
    let sections = vec![
        section("retention-by-all", &|k| k == GroupKey::All),
        section("retention-by-category", &|k| matches!(k, GroupKey::Category(_))),
        section("retention-by-support", &|k| matches!(k, GroupKey::WorkplaceSupport(_))),
    ];
    let curves = groups
        .iter()
        .enumerate()
        .filter_map(|(n, g)| g.estimate.as_ref().map(|e| curve(tr, n, name(g.key), &e.curve, e.followed)))
        .collect();
    Ok(render(StatusCode::OK, &RetentionPage { layout: ctx.layout(tr.get("retention-title")), sections, curves }))
}

#[derive(Template)]
#[template(path = "program_form.html")]
struct ProgramFormPage {
    layout: Layout,
    code: String,
    errors: Vec<(String, String)>,
    name: Field,
    description: Field,
    unit_price: Field,
    scale: Field,
    owner: Field,
    implementer: Field,
    ended: Field,
}

/// The program form's fields.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProgramForm {
    csrf: Option<String>,
    program_name: String,
    description: String,
    unit_price: String,
    scale: String,
    program_owner: String,
    implementer: String,
    ended: String,
}

impl ProgramForm {
    fn input(&self) -> ProgramInput {
        ProgramInput {
            name: self.program_name.clone(),
            description: self.description.clone(),
            unit_price: self.unit_price.clone(),
            scale: self.scale.clone(),
            owner: self.program_owner.clone(),
            implementer: self.implementer.clone(),
            ended: self.ended.clone(),
        }
    }
}

fn program_form(ctx: &Ctx, p: &Program, input: &ProgramInput, problems: &Problems) -> ProgramFormPage {
    let tr = ctx.tr();
    let field = |name: &'static str, value: &str, max: u32, required: bool| {
        crate::web::views::field(tr, problems, name, value, "text", max, required)
    };
    ProgramFormPage {
        layout: ctx.layout(tr.with("program-edit-title", &[("program", format!("{} {}", p.code, p.name).into())])),
        code: p.code.to_string(),
        errors: problems.iter().map(|q| (q.field.to_owned(), tr.problem(q.field, false, q.code, q.limit))).collect(),
        name: field("program_name", &input.name, 200, true),
        description: field("description", &input.description, 4000, false),
        unit_price: field("unit_price", &input.unit_price, 500, false),
        scale: field("scale", &input.scale, 500, false),
        owner: field("program_owner", &input.owner, 200, true),
        implementer: field("implementer", &input.implementer, 200, false),
        ended: field("ended", &input.ended, 200, false),
    }
}

/// `GET /programs/{code}/edit`: a program's fields, to correct them or mark it ended.
pub async fn edit_program(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> PageResult {
    let account = ctx.require_account()?;
    let registry = state.app.programs(account).await.map_err(|e| PageError::of(&ctx, e))?;
    let p = registry.programs.iter().find(|p| p.code.as_str() == code).ok_or_else(|| PageError::not_found(&ctx))?;
    Ok(render(StatusCode::OK, &program_form(&ctx, p, &ProgramInput::of(p), &Problems::new())))
}

/// `POST /programs/{code}/edit`
pub async fn update_program(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Submitted(form): Submitted<ProgramForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let registry = state.app.programs(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let p = registry.programs.iter().find(|p| p.code.as_str() == code).ok_or_else(|| PageError::not_found(&ctx))?;
    match state.app.update_program(actor, &p.code, &form.input()).await {
        Ok(_) => Ok(Redirect::to(&format!("/programs/{}?saved=program", p.code)).into_response()),
        Err(AppError::Invalid(problems)) => {
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &program_form(&ctx, p, &form.input(), &problems)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
