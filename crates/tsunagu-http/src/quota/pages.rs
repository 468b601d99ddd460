//! The quota page of an employer (`/employers/{id}/quota`): where it stands on a day, what one
//! more hire would change, its fiscal year month by month, and its roster with the forms that
//! write it; and the year as a workbook.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use time::Date;
use tsunagu_app::AppError;
use tsunagu_app::quota::{QuotaView, RosterEdit, numbered};
use tsunagu_domain::Problems;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::person::QuotaCategory;
use tsunagu_domain::quota::{
    self, CountInput, HeadcountInput, Money, Position, Worker, WorkerInput, halves_text, hours_text, percent_text,
};

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, date_text, download, field, grouped, render};

fn parse_employer(ctx: &Ctx, raw: &str) -> Result<EmployerId, PageError> {
    uuid::Uuid::parse_str(raw).map(EmployerId).map_err(|_| PageError::not_found(ctx))
}

/// The page's query: the day, and a hire to weigh.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct QuotaQuery {
    as_of: String,
    hire_category: String,
    hire_hours: String,
    done: String,
}

/// A position's figures as the page writes them.
pub(crate) struct Figures {
    pub(crate) month: String,
    pub(crate) rate: String,
    pub(crate) workers: String,
    pub(crate) counted: String,
    pub(crate) legal: String,
    pub(crate) actual: String,
    pub(crate) gap: String,
    pub(crate) meets: bool,
    pub(crate) money: String,
}

impl Figures {
    /// A month without regular workers entered.
    fn missing(month: String, note: String) -> Self {
        let dash = || "—".to_owned();
        Figures {
            month,
            rate: dash(),
            workers: note,
            counted: dash(),
            legal: dash(),
            actual: dash(),
            gap: dash(),
            meets: true,
            money: dash(),
        }
    }
}

fn money_text(tr: Tr, m: Money) -> String {
    let yen = |y: u64| grouped(y);
    match m {
        Money::Levy(y) => tr.with("quota-money-levy", &[("yen", yen(y).into())]),
        Money::Adjustment(y) => tr.with("quota-money-adjustment", &[("yen", yen(y).into())]),
        Money::Reward(y) => tr.with("quota-money-reward", &[("yen", yen(y).into())]),
        Money::Nothing => tr.get("quota-money-nothing"),
    }
}

/// Short of the legal number, above it, or exactly met.
fn gap_text(tr: Tr, shortfall_halves: u32, excess_halves: u32) -> String {
    if shortfall_halves > 0 {
        tr.with("quota-short", &[("count", halves_text(shortfall_halves).into())])
    } else if excess_halves > 0 {
        tr.with("quota-above", &[("count", halves_text(excess_halves).into())])
    } else {
        tr.get("quota-exact")
    }
}

fn figures(tr: Tr, p: &Position) -> Figures {
    let gap = gap_text(tr, p.shortfall_halves, p.excess_halves);
    Figures {
        month: tr.with("quota-month", &[("year", p.on.year().into()), ("month", u8::from(p.on.month()).into())]),
        rate: format!("{}%", percent_text(p.rate_hundredths)),
        workers: halves_text(p.workers_halves),
        counted: halves_text(p.counted_halves),
        legal: p.legal.to_string(),
        actual: p.actual_hundredths.map(|a| format!("{}%", percent_text(a))).unwrap_or_else(|| "—".into()),
        gap,
        meets: p.meets(),
        money: money_text(tr, p.monthly),
    }
}

/// A category's workers by band of hours, as listed.
pub(crate) struct LineRow {
    pub(crate) category: String,
    /// Each band's heading and its persons (counted).
    pub(crate) bands: Vec<(String, String)>,
}

/// The categories with anyone in them; a band with no one is an empty cell (left out of a
/// row shown as a card on a phone).
fn line_rows(tr: Tr, lines: &[quota::Line]) -> Vec<LineRow> {
    QuotaCategory::ALL
        .iter()
        .filter(|c| lines.iter().any(|l| l.category == **c && l.persons > 0))
        .map(|c| LineRow {
            category: tr.get(&format!("quota-category-{}", c.code())),
            bands: quota::Band::ALL
                .iter()
                .map(|b| {
                    let line = lines.iter().find(|l| l.category == *c && l.band == *b);
                    let (persons, halves) = line.map_or((0, 0), |l| (l.persons, l.counted_halves));
                    let cell = match persons {
                        0 => String::new(),
                        _ => tr.with(
                            "quota-line-cell",
                            &[("persons", persons.into()), ("counted", halves_text(halves).into())],
                        ),
                    };
                    (tr.get(&format!("quota-band-{}", b.code())), cell)
                })
                .collect(),
        })
        .collect()
}

/// A worker of the roster as listed.
pub(crate) struct WorkerRow {
    pub(crate) place: usize,
    pub(crate) label: String,
    pub(crate) category: String,
    pub(crate) hours: String,
    pub(crate) since: String,
    pub(crate) until: String,
}

/// A month of headcount as listed.
pub(crate) struct HeadcountRow {
    pub(crate) month: String,
    pub(crate) month_value: String,
    pub(crate) full_time: String,
    pub(crate) short_time: String,
}

#[derive(Template)]
#[template(path = "employer_quota.html")]
struct QuotaPage {
    layout: Layout,
    notice: Option<String>,
    id: uuid::Uuid,
    employer_name: String,
    as_of: Field,
    as_of_value: String,
    headcount_note: String,
    day: Figures,
    lines: Vec<LineRow>,
    fiscal_year: String,
    months: Vec<Figures>,
    year_workers: String,
    year_counted: String,
    year_legal: String,
    year_gap: String,
    year_money: String,
    missing_months: String,
    placed_note: Option<String>,
    uncounted_note: Option<String>,
    hire_category: Field,
    hire_hours: Field,
    hire_options: Vec<SelectOption>,
    hire: Option<Figures>,
    may_edit: bool,
    version: i64,
    errors: Vec<(String, String)>,
    /// Where the error summary goes: beside the form sent (`headcounts`, `workers`), else at the top.
    errors_at: &'static str,
    headcounts: Vec<HeadcountRow>,
    month: Field,
    full_time: Field,
    short_time: Field,
    workers: Vec<WorkerRow>,
    worker_label: Field,
    quota_category: Field,
    category_options: Vec<SelectOption>,
    weekly_hours: Field,
    employed_from: Field,
    left_on: Field,
}

fn category_options(tr: Tr, chosen: &str) -> Vec<SelectOption> {
    QuotaCategory::ALL
        .iter()
        .map(|c| SelectOption {
            value: c.code().to_owned(),
            label: tr.get(&format!("quota-category-{}", c.code())),
            selected: c.code() == chosen,
        })
        .collect()
}

/// What the forms typed, kept when they come back with problems.
#[derive(Default)]
struct Typed {
    headcount: HeadcountInput,
    worker: WorkerInput,
}

/// A roster form sent back: what was typed, its problems, and the section of the form
/// (`headcounts`, `workers`) whose error summary they go in.
struct SentBack<'a> {
    typed: &'a Typed,
    problems: &'a Problems,
    section: &'static str,
}

fn numeric(mut f: Field) -> Field {
    f.inputmode = Some("decimal");
    f
}

fn quota_page(
    ctx: &Ctx,
    view: &QuotaView,
    query: &QuotaQuery,
    hire: (Option<Worker>, &Problems),
    typed: &Typed,
    problems: &Problems,
) -> QuotaPage {
    let (hire, hire_problems) = hire;
    let tr = ctx.tr();
    let f = |name, value: &str, kind, max, required| field(tr, problems, name, value, kind, max, required);
    let h = |name, value: &str, kind, max, required| field(tr, hire_problems, name, value, kind, max, required);
    let year = &view.year;
    let year_gap = gap_text(tr, year.shortfall_halves(), year.excess_halves());
    let weighed = hire.and_then(|worker| view.with_hire(worker).ok());
    let month_text =
        |d: Date| tr.with("quota-month", &[("year", d.year().into()), ("month", u8::from(d.month()).into())]);
    let missing: Vec<String> = view.months_without_headcount().map(month_text).collect();
    let errors = problems.iter().map(|p| (p.field.to_owned(), tr.problem(p.field, false, p.code, p.limit))).collect();
    QuotaPage {
        layout: ctx.layout(tr.with("quota-title", &[("name", view.employer_name.as_str().into())])),
        notice: match query.done.as_str() {
            "saved" => Some(tr.get("quota-saved")),
            _ => None,
        },
        id: view.employer.0,
        employer_name: view.employer_name.clone(),
        as_of: f("as_of", &view.on.to_string(), "date", 10, false),
        as_of_value: date_text(tr, view.on),
        headcount_note: match view.headcount_month {
            Some(m) => tr.with("quota-headcount-of", &[("month", month_text(m).into())]),
            None => tr.get("quota-headcount-none"),
        },
        day: figures(tr, &view.position),
        lines: line_rows(tr, &view.lines),
        fiscal_year: tr.with("quota-fiscal-year", &[("year", year.fiscal_year.into())]),
        months: quota::fiscal_months(year.fiscal_year)
            .into_iter()
            .zip(&year.months)
            .map(|(first, m)| match m {
                Some(m) => figures(tr, m),
                None => Figures::missing(month_text(first), tr.get("quota-not-entered")),
            })
            .collect(),
        year_workers: halves_text(year.workers_halves),
        year_counted: halves_text(year.counted_halves),
        year_legal: year.legal.to_string(),
        year_gap,
        year_money: money_text(tr, year.money),
        missing_months: missing.join("、"),
        placed_note: (!view.placed.is_empty())
            .then(|| tr.with("quota-placed-note", &[("count", view.placed.len().into())])),
        uncounted_note: (view.placed_uncounted > 0)
            .then(|| tr.with("quota-uncounted-note", &[("count", view.placed_uncounted.into())])),
        hire_category: h("hire_category", &query.hire_category, "text", 30, true),
        hire_hours: numeric(h("hire_hours", &query.hire_hours, "text", 8, true)),
        hire_options: category_options(tr, &query.hire_category),
        hire: weighed.map(|p| figures(tr, &p)),
        may_edit: view.may_edit,
        version: view.version,
        errors,
        errors_at: "top",
        headcounts: view
            .roster
            .headcounts
            .iter()
            .rev()
            .map(|m| HeadcountRow {
                month: month_text(m.month),
                month_value: format!("{}-{:02}", m.month.year(), u8::from(m.month.month())),
                full_time: grouped(m.headcount.full_time.into()),
                short_time: grouped(m.headcount.short_time.into()),
            })
            .collect(),
        month: f("month", &typed.headcount.month, "text", 10, true),
        full_time: numeric(f("full_time", &typed.headcount.full_time, "text", 9, true)),
        short_time: numeric(f("short_time", &typed.headcount.short_time, "text", 9, true)),
        workers: numbered(&view.roster.workers)
            .map(|(place, w)| WorkerRow {
                place,
                label: w.label.clone(),
                category: tr.get(&format!("quota-category-{}", w.worker.category.code())),
                hours: hours_text(w.worker.weekly_minutes),
                since: date_text(tr, w.since),
                until: w.until.map(|u| date_text(tr, u)).unwrap_or_default(),
            })
            .collect(),
        worker_label: f("worker_label", &typed.worker.worker_label, "text", quota::limits::LABEL, true),
        quota_category: f("quota_category", &typed.worker.quota_category, "text", 30, true),
        category_options: category_options(tr, &typed.worker.quota_category),
        weekly_hours: Field {
            hint: Some(tr.get("quota-hours-hint")),
            ..numeric(f("weekly_hours", &typed.worker.weekly_hours, "text", 8, true))
        },
        employed_from: f("employed_from", &typed.worker.employed_from, "date", 10, true),
        left_on: f("left_on", &typed.worker.left_on, "date", 10, false),
    }
}

async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    id: EmployerId,
    query: &QuotaQuery,
    sent: SentBack<'_>,
    status: StatusCode,
) -> PageResult {
    let actor = ctx.require_account()?;
    let (on, day_problems) = match quota::day_asked(&query.as_of, state.app.today()) {
        Ok(d) => (d, Problems::new()),
        Err(p) => (state.app.today(), p),
    };
    let view = state.app.quota(actor, id, on).await.map_err(|e| PageError::of(ctx, e))?;
    // The hire to weigh, read once: its problems go to its fields and to the summary.
    let mut hire_problems = Problems::new();
    let hire = (!query.hire_category.is_empty() || !query.hire_hours.is_empty())
        .then(|| {
            let typed = CountInput { category: query.hire_category.clone(), weekly_hours: query.hire_hours.clone() };
            typed.validate(&mut hire_problems, "hire_category", "hire_hours")
        })
        .flatten();
    let mut all = day_problems.clone();
    all.extend(hire_problems.clone());
    all.extend(sent.problems.clone());
    let mut page = quota_page(ctx, &view, query, (hire, &hire_problems), sent.typed, &all);
    page.errors_at = sent.section;
    if !day_problems.is_empty() {
        page.as_of = field(ctx.tr(), &day_problems, "as_of", &query.as_of, "date", 10, false);
    }
    let status = if all.is_empty() { status } else { StatusCode::UNPROCESSABLE_ENTITY.max(status) };
    Ok(render(status, &page))
}

/// `GET /employers/{id}/quota`
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<QuotaQuery>,
) -> PageResult {
    let id = parse_employer(&ctx, &id)?;
    let sent = SentBack { typed: &Typed::default(), problems: &Problems::new(), section: "top" };
    show_page(&state, &ctx, id, &query, sent, StatusCode::OK).await
}

/// `GET /employers/{id}/quota.xlsx`: the fiscal year of the day asked.
pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<QuotaQuery>,
) -> PageResult {
    let id = parse_employer(&ctx, &id)?;
    let actor = ctx.require_account()?;
    let on = quota::day_asked(&query.as_of, state.app.today()).map_err(|_| PageError::not_found(&ctx))?;
    let bytes = state.app.quota_xlsx(actor, id, on).await.map_err(|e| PageError::of(&ctx, e))?;
    let name = crate::web::views::file_name(&["法定雇用率"], on, "xlsx");
    Ok(download(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &name))
}

/// A month's headcount as sent.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct HeadcountForm {
    csrf: Option<String>,
    version: i64,
    month: String,
    full_time: String,
    short_time: String,
}

/// A worker as sent.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WorkerForm {
    csrf: Option<String>,
    version: i64,
    worker_label: String,
    quota_category: String,
    weekly_hours: String,
    employed_from: String,
    left_on: String,
}

/// A removal as sent.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RemoveForm {
    csrf: Option<String>,
    version: i64,
    month: String,
}

async fn apply(
    state: &AppState,
    ctx: &Ctx,
    id: EmployerId,
    version: i64,
    edit: RosterEdit,
    typed: Typed,
    anchor: &'static str,
) -> PageResult {
    let actor = ctx.require_account()?;
    match state.app.edit_quota_roster(actor, id, version, edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/employers/{}/quota?done=saved#{anchor}", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let query = QuotaQuery::default();
            let sent = SentBack { typed: &typed, problems: &problems, section: anchor };
            show_page(state, ctx, id, &query, sent, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// `POST /employers/{id}/quota/headcounts`: a month's regular workers.
pub async fn set_headcount(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<HeadcountForm>,
) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_employer(&ctx, &id)?;
    let input = HeadcountInput { month: f.month, full_time: f.full_time, short_time: f.short_time };
    let typed = Typed { headcount: input.clone(), ..Typed::default() };
    apply(&state, &ctx, id, f.version, RosterEdit::SetHeadcount(input), typed, "headcounts").await
}

/// `POST /employers/{id}/quota/headcounts/remove`
pub async fn remove_headcount(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<RemoveForm>,
) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_employer(&ctx, &id)?;
    apply(&state, &ctx, id, f.version, RosterEdit::RemoveHeadcount(f.month), Typed::default(), "headcounts").await
}

/// `POST /employers/{id}/quota/workers`: a worker with a disability.
pub async fn add_worker(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<WorkerForm>,
) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_employer(&ctx, &id)?;
    let input = WorkerInput {
        worker_label: f.worker_label,
        quota_category: f.quota_category,
        weekly_hours: f.weekly_hours,
        employed_from: f.employed_from,
        left_on: f.left_on,
    };
    let typed = Typed { worker: input.clone(), ..Typed::default() };
    apply(&state, &ctx, id, f.version, RosterEdit::AddWorker(input), typed, "workers").await
}

/// `POST /employers/{id}/quota/workers/{place}/remove`
pub async fn remove_worker(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, place)): Path<(String, String)>,
    Submitted(f): Submitted<RemoveForm>,
) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_employer(&ctx, &id)?;
    let place: usize = place.parse().map_err(|_| PageError::not_found(&ctx))?;
    apply(&state, &ctx, id, f.version, RosterEdit::RemoveWorker(place), Typed::default(), "workers").await
}
