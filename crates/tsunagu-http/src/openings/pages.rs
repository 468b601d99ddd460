//! Openings' pages: the public list of published openings with its filters, an opening's page
//! (its JobPosting in the page for search engines when published; edit and publish or close for
//! its editors) and the form that writes one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::openings::{OPENING_PAGE, OpeningFilter, OpeningView};
use tsunagu_domain::Problems;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::opening::{
    Accommodation, Opening, OpeningFields, OpeningId, OpeningInput, OpeningStatus, WageKind,
};
use tsunagu_domain::person::DisabilityCategory;
use uuid::Uuid;

use crate::AppState;
use crate::openings::jobposting::{description, job_posting, script_text};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::{FormQuery, Submitted};
use crate::web::i18n::Tr;
use crate::web::views::{
    Field, Layout, Pager, SelectOption, coded_options, date_text, differences, enc, errors_of, field, grouped,
    municipality_menu, municipality_name, page_number, query_text, render,
};

fn parse_opening(ctx: &Ctx, raw: &str) -> Result<OpeningId, PageError> {
    Uuid::parse_str(raw).map(OpeningId).map_err(|_| PageError::not_found(ctx))
}

/// "20〜30時間" (or "20時間" when both ends are the same).
pub(crate) fn hours_text(tr: Tr, f: &OpeningFields) -> String {
    if f.hours_min == f.hours_max {
        tr.with("opening-hours-one", &[("hours", f.hours_min.into())])
    } else {
        tr.with("opening-hours-range", &[("min", f.hours_min.into()), ("max", f.hours_max.into())])
    }
}

/// "時給 1,250円".
pub(crate) fn wage_text(tr: Tr, f: &OpeningFields) -> String {
    tr.with(&format!("opening-wage-{}", f.wage_kind.code()), &[("yen", grouped(f.wage.into()).into())])
}

fn status_text(tr: Tr, s: OpeningStatus) -> String {
    tr.get(&format!("opening-status-{}", s.code()))
}

async fn place_name(state: &AppState, ctx: &Ctx, o: &Opening) -> Result<String, PageError> {
    let refs = state.app.references().await.map_err(|e| PageError::of(ctx, e))?;
    Ok(municipality_name(ctx.tr(), &refs, o.fields.municipality.as_ref()))
}

fn accommodation_options(tr: Tr, chosen: &[String]) -> Vec<SelectOption> {
    coded_options(tr, &Accommodation::ALL, Accommodation::code, "accommodation", chosen)
}

fn category_options(tr: Tr, chosen: &[String]) -> Vec<SelectOption> {
    coded_options(tr, &DisabilityCategory::ALL, DisabilityCategory::code, "disability", chosen)
}

// ---------------------------------------------------------------------------------------------
// The list

/// The published openings' filters as they arrive in a query string (the list page and the API).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 全国地方公共団体コード of the place of work.
    #[param(schema_with = crate::api::schema::municipality_code)]
    municipality: Option<String>,
    /// Only openings welcoming this disability category (or any).
    #[param(schema_with = crate::api::schema::disability_category_filter)]
    category: Option<String>,
    /// Only openings whose weekly hours range holds this many hours (1–40).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 40)]
    hours: Option<String>,
    /// Only openings offering every one of these accommodations (repeat the parameter).
    #[serde(default)]
    #[param(schema_with = crate::api::schema::accommodations)]
    offers: Vec<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
}

impl ListQuery {
    /// The page asked for (1 when none); `None` when it is no page number.
    pub(crate) fn page(&self) -> Option<u32> {
        page_number(self.page.as_deref())
    }

    pub(crate) fn filter(&self) -> OpeningFilter {
        OpeningFilter {
            municipality: query_text(&self.municipality).to_owned(),
            category: query_text(&self.category).to_owned(),
            hours: query_text(&self.hours).to_owned(),
            accommodations: self.offers.clone(),
        }
    }

    fn href(&self, page: u32) -> String {
        let mut parts = Vec::new();
        for (name, value) in
            [("municipality", &self.municipality), ("category", &self.category), ("hours", &self.hours)]
        {
            if !query_text(value).is_empty() {
                parts.push(format!("{name}={}", enc(query_text(value))));
            }
        }
        parts.extend(self.offers.iter().map(|a| format!("offers={}", enc(a))));
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() { "/openings".to_owned() } else { format!("/openings?{}", parts.join("&")) }
    }
}

struct OpeningRow {
    id: Uuid,
    title: String,
    employer: String,
    hours: String,
    wage: String,
    place: String,
}

#[derive(Template)]
#[template(path = "openings.html")]
struct OpeningsPage {
    layout: Layout,
    errors: Vec<(String, String)>,
    municipalities: Vec<SelectOption>,
    categories: Vec<SelectOption>,
    hours: Field,
    offers: Field,
    accommodation_options: Vec<SelectOption>,
    count_text: String,
    rows: Vec<OpeningRow>,
    pager: Option<Pager>,
}

/// `GET /openings`
pub async fn openings(State(state): State<AppState>, ctx: Ctx, FormQuery(query): FormQuery<ListQuery>) -> PageResult {
    let tr = ctx.tr();
    let page = query.page().ok_or_else(|| PageError::bad_request(&ctx))?;
    let (found, problems) = match state.app.published_openings(&query.filter(), page).await {
        Ok(found) => (Some(found), Problems::new()),
        Err(AppError::Invalid(problems)) => (None, problems),
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    let (total, listed) = found.map(|f| (f.total, f.rows)).unwrap_or_default();
    let mut rows = Vec::with_capacity(listed.len());
    for (o, employer) in listed {
        let place = place_name(&state, &ctx, &o).await?;
        rows.push(OpeningRow {
            id: o.id.0,
            title: o.fields.title.clone(),
            employer,
            hours: hours_text(tr, &o.fields),
            wage: wage_text(tr, &o.fields),
            place,
        });
    }
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut hours = field(tr, &problems, "hours", query_text(&query.hours), "text", 2, false);
    hours.inputmode = Some("numeric");
    let categories = category_options(tr, &[query_text(&query.category).to_owned()]);
    let page = OpeningsPage {
        layout: ctx.layout(tr.get("openings-title")),
        errors: errors_of(tr, &problems),
        municipalities: municipality_menu(&state, &ctx, query_text(&query.municipality)).await?,
        categories,
        hours,
        offers: field(tr, &problems, "offers", "", "checkbox", 0, false),
        accommodation_options: accommodation_options(tr, &query.offers),
        count_text: tr.with("openings-count", &[("count", grouped(total).into())]),
        rows,
        pager: Pager::new(tr, page, total.div_ceil(u64::from(OPENING_PAGE)), |p| query.href(p)),
    };
    Ok(render(status, &page))
}

// ---------------------------------------------------------------------------------------------
// An opening

#[derive(Template)]
#[template(path = "opening.html")]
struct OpeningPage {
    layout: Layout,
    id: Uuid,
    version: i64,
    notice: Option<String>,
    title: String,
    status: String,
    employer: String,
    employer_href: Option<String>,
    tasks: Vec<String>,
    facts: Vec<(String, String)>,
    accommodations: Vec<String>,
    note: Option<String>,
    may_edit: bool,
    /// The moves the status allows: (code, button text).
    moves: Vec<(&'static str, String)>,
    job_posting: Option<String>,
}

async fn opening_page(state: &AppState, ctx: &Ctx, view: OpeningView, notice: Option<String>) -> PageResult {
    let tr = ctx.tr();
    let OpeningView { opening: o, employer, may_edit } = view;
    let f = &o.fields;
    let municipality = Some(place_name(state, ctx, &o).await?).filter(|m| !m.is_empty());
    let place = [municipality.clone(), f.place.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let categories = if f.categories.is_empty() {
        tr.get("opening-categories-any")
    } else {
        f.categories
            .iter()
            .map(|c| tr.get(&format!("disability-{}", c.code())))
            .collect::<Vec<_>>()
            .join(tr.separator())
    };
    let mut facts = vec![
        (tr.field("hours"), hours_text(tr, &o.fields)),
        (tr.field("wage"), wage_text(tr, &o.fields)),
        (tr.field("place"), if place.is_empty() { tr.get("opening-place-ask") } else { place }),
        (tr.field("starts_on"), f.starts_on.map_or_else(|| tr.get("opening-starts-agreed"), |d| date_text(tr, d))),
        (tr.field("positions"), tr.with("opening-positions-value", &[("count", f.positions.into())])),
        (tr.field("welcomed"), categories),
    ];
    if let Some(day) = o.published_on {
        facts.push((tr.get("opening-published-on"), date_text(tr, day)));
    }
    let published = o.status == OpeningStatus::Published;
    let job_posting = published.then(|| {
        let url = format!("/openings/{}", o.id.0);
        script_text(&job_posting(&o, &employer, municipality.as_deref(), &description(tr, &o), &url))
    });
    let viewer = ctx.account();
    let employer_href = viewer
        .filter(|a| tsunagu_app::App::may_see_employers(a) || tsunagu_app::App::own_employer(a) == Some(employer.id))
        .map(|_| format!("/employers/{}", employer.id.0));
    let page = OpeningPage {
        layout: ctx.layout(f.title.clone()),
        id: o.id.0,
        version: o.version,
        notice,
        title: f.title.clone(),
        status: status_text(tr, o.status),
        employer: employer.fields.name.clone(),
        employer_href,
        tasks: f.tasks.clone(),
        facts,
        accommodations: f.accommodations.iter().map(|a| tr.get(&format!("accommodation-{}", a.code()))).collect(),
        note: f.note.clone(),
        may_edit,
        moves: o.status.next().iter().map(|s| (s.code(), tr.get(&format!("opening-move-{}", s.code())))).collect(),
        job_posting,
    };
    Ok(render(StatusCode::OK, &page))
}

/// What an opening's page says after a change.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// `GET /openings/{id}`
pub async fn opening(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> PageResult {
    let id = parse_opening(&ctx, &id)?;
    let view = state.app.opening(ctx.account(), id).await.map_err(|e| PageError::of(&ctx, e))?;
    let notice = match query.done.as_str() {
        "saved" => Some(ctx.tr().get("opening-done-saved")),
        "moved" => {
            Some(ctx.tr().with("opening-done-moved", &[("status", status_text(ctx.tr(), view.opening.status).into())]))
        }
        _ => None,
    };
    opening_page(&state, &ctx, view, notice).await
}

/// The status form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MoveForm {
    csrf: Option<String>,
    version: String,
    status: String,
}

/// `POST /openings/{id}/status`
pub async fn move_opening(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<MoveForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_opening(&ctx, &id)?;
    let version = form.version.trim().parse::<i64>().map_err(|_| PageError::bad_request(&ctx))?;
    match state.app.move_opening(actor, id, version, &form.status).await {
        Ok(o) => Ok(Redirect::to(&format!("/openings/{}?done=moved", o.id.0)).into_response()),
        Err(AppError::OpeningChanged(_)) => {
            let view = state.app.opening(Some(actor), id).await.map_err(|e| PageError::of(&ctx, e))?;
            opening_page(&state, &ctx, view, Some(ctx.tr().get("opening-changed-meanwhile"))).await
        }
        Err(AppError::Invalid(_)) => Err(PageError::bad_request(&ctx)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// The form

/// The form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OpeningForm {
    csrf: Option<String>,
    version: Option<String>,
    job_title: String,
    tasks: String,
    hours_min: String,
    hours_max: String,
    wage_kind: String,
    wage: String,
    municipality_code: String,
    place: String,
    starts_on: String,
    positions: String,
    offered: Vec<String>,
    welcomed: Vec<String>,
    remarks: String,
}

impl OpeningForm {
    fn input(&self) -> OpeningInput {
        OpeningInput {
            job_title: self.job_title.clone(),
            tasks: self.tasks.clone(),
            hours_min: self.hours_min.clone(),
            hours_max: self.hours_max.clone(),
            wage_kind: self.wage_kind.clone(),
            wage: self.wage.clone(),
            municipality_code: self.municipality_code.clone(),
            place: self.place.clone(),
            starts_on: self.starts_on.clone(),
            positions: self.positions.clone(),
            offered: self.offered.clone(),
            welcomed: self.welcomed.clone(),
            remarks: self.remarks.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "opening_form.html")]
struct OpeningFormPage {
    layout: Layout,
    heading: String,
    employer: String,
    action: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    conflict: Option<Vec<(String, String, String)>>,
    job_title: Field,
    tasks: Field,
    hours_min: Field,
    hours_max: Field,
    wage_kind: Field,
    wage_kinds: Vec<SelectOption>,
    wage: Field,
    municipality: Field,
    municipalities: Vec<SelectOption>,
    place: Field,
    starts_on: Field,
    positions: Field,
    offered: Field,
    accommodation_options: Vec<SelectOption>,
    welcomed: Field,
    category_options: Vec<SelectOption>,
    remarks: Field,
    cancel_href: String,
}

/// What the form is for: a new opening of an employer, or an opening being edited.
enum Target {
    New(EmployerId, String),
    Edit { id: OpeningId, version: i64, employer: String, conflict: Option<Vec<(String, String, String)>> },
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    input: &OpeningInput,
    problems: &Problems,
    target: Target,
    status: StatusCode,
) -> PageResult {
    let tr = ctx.tr();
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let numeric = |name: &'static str, value: &str, max: u32| {
        let mut f = text(name, value, "text", max, true);
        f.inputmode = Some("numeric");
        f
    };
    let (heading, employer, action, version, conflict, cancel_href) = match target {
        Target::New(employer, name) => (
            tr.get("opening-new-title"),
            name,
            format!("/employers/{}/openings", employer.0),
            None,
            None,
            format!("/employers/{}", employer.0),
        ),
        Target::Edit { id, version, employer, conflict } => (
            tr.with("opening-edit-title", &[("title", input.job_title.clone().into())]),
            employer,
            format!("/openings/{}", id.0),
            Some(version),
            conflict,
            format!("/openings/{}", id.0),
        ),
    };
    let wage_kinds = WageKind::ALL
        .iter()
        .map(|k| SelectOption {
            value: k.code().to_owned(),
            label: tr.get(&format!("wage-kind-{}", k.code())),
            selected: input.wage_kind.trim() == k.code(),
        })
        .collect();
    let page = OpeningFormPage {
        layout: ctx.layout(heading.clone()),
        heading,
        employer,
        action,
        version,
        errors: errors_of(tr, problems),
        conflict,
        job_title: text("job_title", &input.job_title, "text", 100, true),
        tasks: text("tasks", &input.tasks, "textarea", 4200, true),
        hours_min: numeric("hours_min", &input.hours_min, 2),
        hours_max: numeric("hours_max", &input.hours_max, 2),
        wage_kind: text("wage_kind", &input.wage_kind, "radio", 0, true),
        wage_kinds,
        wage: numeric("wage", &input.wage, 12),
        // The directory's hint for this field is about agencies without a municipality.
        municipality: Field { hint: None, ..text("municipality_code", &input.municipality_code, "select", 0, false) },
        municipalities: municipality_menu(state, ctx, &input.municipality_code).await?,
        place: text("place", &input.place, "text", 200, false),
        starts_on: text("starts_on", &input.starts_on, "text", 20, false),
        positions: numeric("positions", &input.positions, 3),
        offered: text("offered", "", "checkbox", 0, false),
        accommodation_options: accommodation_options(tr, &input.offered),
        welcomed: text("welcomed", "", "checkbox", 0, false),
        category_options: category_options(tr, &input.welcomed),
        remarks: text("remarks", &input.remarks, "textarea", 2000, false),
        cancel_href,
    };
    Ok(render(status, &page))
}

fn parse_employer(ctx: &Ctx, raw: &str) -> Result<EmployerId, PageError> {
    Uuid::parse_str(raw).map(EmployerId).map_err(|_| PageError::not_found(ctx))
}

async fn employer_name(state: &AppState, ctx: &Ctx, id: EmployerId) -> Result<String, PageError> {
    let actor = ctx.require_account()?;
    let view = state.app.employer(actor, id).await.map_err(|e| PageError::of(ctx, e))?;
    Ok(view.employer.fields.name)
}

/// `GET /employers/{id}/openings/new`
pub async fn new_opening(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_employer(&ctx, &id)?;
    if !tsunagu_app::App::may_edit_employer(actor, id) {
        return Err(PageError::forbidden(&ctx));
    }
    let name = employer_name(&state, &ctx, id).await?;
    let input = OpeningInput { wage_kind: "hourly".into(), positions: "1".into(), ..OpeningInput::default() };
    form_page(&state, &ctx, &input, &Problems::new(), Target::New(id, name), StatusCode::OK).await
}

/// `POST /employers/{id}/openings`
pub async fn create_opening(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<OpeningForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_employer(&ctx, &id)?;
    let input = form.input();
    match state.app.create_opening(actor, id, &input).await {
        Ok(o) => Ok(Redirect::to(&format!("/openings/{}?done=saved", o.id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let name = employer_name(&state, &ctx, id).await?;
            form_page(&state, &ctx, &input, &problems, Target::New(id, name), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `GET /openings/{id}/edit`
pub async fn edit_opening(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_opening(&ctx, &id)?;
    let view = state.app.opening(Some(actor), id).await.map_err(|e| PageError::of(&ctx, e))?;
    if !view.may_edit {
        return Err(PageError::forbidden(&ctx));
    }
    let target =
        Target::Edit { id, version: view.opening.version, employer: view.employer.fields.name.clone(), conflict: None };
    let input = OpeningInput::from_fields(&view.opening.fields);
    form_page(&state, &ctx, &input, &Problems::new(), target, StatusCode::OK).await
}

/// `POST /openings/{id}`
pub async fn update_opening(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<OpeningForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_opening(&ctx, &id)?;
    let view = state.app.opening(Some(actor), id).await.map_err(|e| PageError::of(&ctx, e))?;
    if !view.may_edit {
        return Err(PageError::forbidden(&ctx));
    }
    let version = form
        .version
        .as_deref()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(|| PageError::bad_request(&ctx))?;
    let input = form.input();
    let employer = view.employer.fields.name.clone();
    match state.app.update_opening(actor, id, version, &input).await {
        Ok(o) => Ok(Redirect::to(&format!("/openings/{}?done=saved", o.id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let target = Target::Edit { id, version, employer, conflict: None };
            form_page(&state, &ctx, &input, &problems, target, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::OpeningChanged(now)) => {
            let conflict = Some(differences(
                ctx.tr(),
                &OpeningInput::from_fields(&now.fields).field_texts(),
                &input.field_texts(),
            ));
            let target = Target::Edit { id, version: now.version, employer, conflict };
            form_page(&state, &ctx, &input, &Problems::new(), target, StatusCode::CONFLICT).await
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
