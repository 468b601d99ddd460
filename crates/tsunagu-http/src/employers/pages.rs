//! Employers' pages: the list with its search, an employer's page (its facts and contacts, the
//! agencies that developed it, the fairs it took part in and, for its own account, the persons
//! whose consent names it) and the form that adds or edits one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::App;
use tsunagu_app::AppError;
use tsunagu_app::employers::{EMPLOYER_PAGE, EmployerFilter, EmployerView};
use tsunagu_domain::Problems;
use tsunagu_domain::employer::{Contact, EmployerId, EmployerInput, INDUSTRY_DIVISIONS, industry_name};
use uuid::Uuid;

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{
    Field, Layout, Pager, SelectOption, date_text, differences, enc, errors_of, field, grouped, municipality_menu,
    municipality_name, page_number, query_text, render, tel_href,
};

fn parse_employer(ctx: &Ctx, raw: &str) -> Result<EmployerId, PageError> {
    Uuid::parse_str(raw).map(EmployerId).map_err(|_| PageError::not_found(ctx))
}

/// The industry divisions as menu options, `chosen` selected.
fn industry_options(chosen: &str) -> Vec<SelectOption> {
    INDUSTRY_DIVISIONS
        .iter()
        .map(|(letter, name)| SelectOption {
            value: letter.to_string(),
            label: format!("{letter} {name}"),
            selected: chosen.trim().eq_ignore_ascii_case(&letter.to_string()),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The list

/// The employers' filters as they arrive in a query string (the list page and the API).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Text to find in the name, reading or 法人番号 (width, kana and hyphens ignored).
    #[param(max_length = 100)]
    q: Option<String>,
    /// 日本標準産業分類 major division letter, A–T.
    #[param(max_length = 1)]
    industry: Option<String>,
    /// 全国地方公共団体コード of a municipality.
    #[param(schema_with = crate::api::schema::municipality_code)]
    municipality: Option<String>,
    /// Any value: only those the caller's agency developed or supports.
    ours: Option<String>,
    /// Any value: only those that take interns.
    interns: Option<String>,
    /// Any value: only 特例子会社.
    special: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
}

fn set(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|v| !v.is_empty())
}

impl ListQuery {
    /// The page asked for (1 when none); `None` when it is no page number.
    pub(crate) fn page(&self) -> Option<u32> {
        page_number(self.page.as_deref())
    }

    pub(crate) fn filter(&self) -> EmployerFilter {
        EmployerFilter {
            q: query_text(&self.q).to_owned(),
            industry: query_text(&self.industry).to_owned(),
            municipality: query_text(&self.municipality).to_owned(),
            ours: set(&self.ours),
            interns: set(&self.interns),
            special: set(&self.special),
        }
    }

    /// The query string of page `page` with the same filters.
    fn href(&self, page: u32) -> String {
        let mut parts = Vec::new();
        for (name, value) in [
            ("q", &self.q),
            ("industry", &self.industry),
            ("municipality", &self.municipality),
            ("ours", &self.ours),
            ("interns", &self.interns),
            ("special", &self.special),
        ] {
            if set(value) {
                parts.push(format!("{name}={}", enc(query_text(value))));
            }
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() { "/employers".to_owned() } else { format!("/employers?{}", parts.join("&")) }
    }
}

struct EmployerRow {
    id: Uuid,
    name: String,
    industry: String,
    workers: String,
    municipality: String,
    marks: Vec<String>,
}

#[derive(Template)]
#[template(path = "employers.html")]
struct EmployersPage {
    layout: Layout,
    q: String,
    industries: Vec<SelectOption>,
    municipalities: Vec<SelectOption>,
    ours: bool,
    interns: bool,
    special: bool,
    may_filter_ours: bool,
    may_add: bool,
    errors: Vec<(String, String)>,
    count_text: String,
    rows: Vec<EmployerRow>,
    pager: Option<Pager>,
}

fn marks(tr: Tr, special: bool, interns: bool) -> Vec<String> {
    let mut marks = Vec::new();
    if special {
        marks.push(tr.get("employer-special-subsidiary"));
    }
    if interns {
        marks.push(tr.get("employer-accepts-interns"));
    }
    marks
}

/// `GET /employers`
pub async fn employers(State(state): State<AppState>, ctx: Ctx, Query(query): Query<ListQuery>) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    if !App::may_see_employers(actor) {
        return Err(PageError::forbidden(&ctx));
    }
    let page = query.page().ok_or_else(|| PageError::bad_request(&ctx))?;
    let filter = query.filter();
    let (found, problems) = match state.app.employers(actor, &filter, page).await {
        Ok(found) => (Some(found), Problems::new()),
        Err(AppError::Invalid(problems)) => (None, problems),
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let (total, listed) = found.map(|f| (f.total, f.rows)).unwrap_or_default();
    let rows = listed
        .into_iter()
        .map(|r| EmployerRow {
            id: r.id.0,
            name: r.name,
            industry: industry_name(r.industry).unwrap_or_default().to_owned(),
            workers: tr.with("employer-workers-value", &[("count", grouped(r.regular_workers.into()).into())]),
            municipality: municipality_name(tr, &refs, r.municipality.as_ref()),
            marks: marks(tr, r.special_subsidiary, r.accepts_interns),
        })
        .collect();
    let pages = total.div_ceil(u64::from(EMPLOYER_PAGE));
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = EmployersPage {
        layout: ctx.layout(tr.get("employers-title")),
        q: query_text(&query.q).to_owned(),
        industries: industry_options(query_text(&query.industry)),
        municipalities: municipality_menu(&state, &ctx, query_text(&query.municipality)).await?,
        ours: filter.ours,
        interns: filter.interns,
        special: filter.special,
        may_filter_ours: actor.agency.is_some(),
        may_add: App::may_add_employers(actor),
        errors: errors_of(tr, &problems),
        count_text: tr.with("employers-count", &[("count", grouped(total).into())]),
        rows,
        pager: Pager::new(tr, page, pages, |p| query.href(p)),
    };
    Ok(render(status, &page))
}

// ---------------------------------------------------------------------------------------------
// An employer

struct SharedRow {
    name: String,
    name_kana: String,
    purposes: String,
    period: String,
}

#[derive(Template)]
#[template(path = "employer.html")]
struct EmployerPage {
    layout: Layout,
    id: Uuid,
    notice: Option<String>,
    name: String,
    marks: Vec<String>,
    /// (label, text, link).
    facts: Vec<(String, String, Option<String>)>,
    contacts: Vec<ContactRow>,
    links: Vec<(String, String)>,
    may_link: bool,
    linked: bool,
    fairs: Vec<(Uuid, String, String, usize)>,
    show_fairs: bool,
    shared: Option<Vec<SharedRow>>,
    /// Its openings, every status.
    openings: Vec<OpeningRow>,
    /// Its internship and tour slots (for staff).
    slots: Option<Vec<SlotRow>>,
    /// Per fiscal year, the latest first: the year, who took part in internships and in tours,
    /// who was hired (for staff; counts only).
    years: Option<Vec<(String, i64, i64, i64)>>,
    may_add_slot: bool,
    may_edit: bool,
    back: Option<String>,
}

/// A contact as the page shows it.
struct ContactRow {
    role: String,
    name: String,
    /// The number as written and its `tel:` link.
    phone: Option<(String, String)>,
    email: Option<String>,
}

fn contact_row(tr: Tr, role: &str, c: &Contact) -> ContactRow {
    let phone = c.phone.as_ref().map(|p| (p.clone(), tel_href(p).unwrap_or_default()));
    ContactRow { role: tr.get(role), name: c.name.clone(), phone, email: c.email.clone() }
}

async fn employer_page(state: &AppState, ctx: &Ctx, view: EmployerView, notice: Option<String>) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let refs = state.app.references().await.map_err(|e| PageError::of(ctx, e))?;
    let EmployerView { employer, links, fairs, may_edit, may_link, linked_by_viewer } = view;
    let f = &employer.fields;
    let mut facts = vec![
        (tr.field("corporate_number"), f.corporate_number.to_string(), None),
        (tr.field("name_kana"), f.name_kana.clone(), None),
        (tr.field("industry"), format!("{} {}", f.industry, industry_name(f.industry).unwrap_or_default()), None),
        (tr.field("regular_workers"), tr.with("employer-workers-value", &[("count", f.regular_workers.into())]), None),
    ];
    let municipality = municipality_name(tr, &refs, f.municipality.as_ref());
    if !municipality.is_empty() {
        facts.push((tr.field("municipality_code"), municipality, None));
    }
    if let Some(a) = &f.address {
        facts.push((tr.field("address"), a.clone(), None));
    }
    if App::may_see_employers(actor) {
        let hires = state.app.hires(actor, employer.id).await.map_err(|e| PageError::of(ctx, e))?;
        let value = tr.with("employer-hires-value", &[("total", hires.total.into()), ("held", hires.held.into())]);
        facts.push((tr.get("employer-hires"), value, None));
    }
    let contacts =
        [("employer-hiring-contact", &f.hiring_contact), ("employer-workplace-contact", &f.workplace_contact)]
            .into_iter()
            .filter_map(|(role, c)| c.as_ref().map(|c| contact_row(tr, role, c)))
            .collect();
    let links = links.into_iter().map(|(l, name)| (name, date_text(tr, l.since))).collect();
    let fairs =
        fairs.into_iter().map(|(id, date, title, meetings)| (id.0, date_text(tr, date), title, meetings)).collect();
    let shared = if App::own_employer(actor) == Some(employer.id) {
        let persons = state.app.shared_persons(actor).await.map_err(|e| PageError::of(ctx, e))?;
        Some(
            persons
                .into_iter()
                .map(|p| {
                    let c = &p.consent.consent;
                    let purposes = c
                        .purposes
                        .iter()
                        .map(|pu| tr.get(&format!("purpose-{}", pu.code())))
                        .collect::<Vec<_>>()
                        .join(tr.separator());
                    let period = match c.valid_to {
                        Some(to) => format!("{} – {}", date_text(tr, c.valid_from), date_text(tr, to)),
                        None => tr.with("employer-consent-from", &[("date", date_text(tr, c.valid_from).into())]),
                    };
                    SharedRow { name: p.name, name_kana: p.name_kana, purposes, period }
                })
                .collect(),
        )
    } else {
        None
    };
    let openings = state
        .app
        .openings_of(actor, employer.id)
        .await
        .map_err(|e| PageError::of(ctx, e))?
        .iter()
        .map(|o| OpeningRow {
            id: o.id.0,
            title: o.fields.title.clone(),
            status: tr.get(&format!("opening-status-{}", o.status.code())),
            hours: crate::openings::pages::hours_text(tr, &o.fields),
            wage: crate::openings::pages::wage_text(tr, &o.fields),
        })
        .collect();
    let slots = if App::may_see_employers(actor) {
        let views = state.app.slots_of(actor, employer.id).await.map_err(|e| PageError::of(ctx, e))?;
        Some(
            views
                .iter()
                .map(|v| SlotRow {
                    id: v.slot.id.0,
                    title: v.slot.fields.title.clone(),
                    kind: crate::internships::pages::kind_text(tr, v.slot.fields.kind),
                    days: crate::internships::pages::days_text(tr, &v.slot),
                    seats: tr.with(
                        "slot-seats-value",
                        &[("taken", v.taken.into()), ("capacity", v.slot.fields.capacity.into())],
                    ),
                })
                .collect(),
        )
    } else {
        None
    };
    let years = if App::may_see_employers(actor) {
        let years = state.app.employer_years(actor, employer.id).await.map_err(|e| PageError::of(ctx, e))?;
        Some(
            years
                .into_iter()
                .map(|(year, y)| (crate::programs::pages::year_text(tr, year), y.internships, y.tours, y.hires))
                .collect(),
        )
    } else {
        None
    };
    let page = EmployerPage {
        slots,
        years,
        may_add_slot: App::may_add_employers(actor),
        layout: ctx.layout(f.name.clone()),
        id: employer.id.0,
        notice,
        name: f.name.clone(),
        marks: marks(tr, f.special_subsidiary, f.accepts_interns),
        facts,
        contacts,
        links,
        may_link,
        linked: linked_by_viewer,
        fairs,
        show_fairs: App::may_see_fairs(actor),
        shared,
        openings,
        may_edit,
        back: App::may_see_employers(actor).then(|| "/employers".to_owned()),
    };
    Ok(render(StatusCode::OK, &page))
}

/// An internship or tour slot as the employer's page lists it.
struct SlotRow {
    id: Uuid,
    title: String,
    kind: String,
    days: String,
    seats: String,
}

/// An opening as the employer's page lists it.
struct OpeningRow {
    id: Uuid,
    title: String,
    status: String,
    hours: String,
    wage: String,
}

/// What an employer's page says after a change.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

/// `GET /employers/{id}`
pub async fn employer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_employer(&ctx, &id)?;
    let view = state.app.employer(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let notice = match query.done.as_str() {
        "saved" => Some(ctx.tr().get("employer-done-saved")),
        "linked" => Some(ctx.tr().get("employer-done-linked")),
        "unlinked" => Some(ctx.tr().get("employer-done-unlinked")),
        _ => None,
    };
    employer_page(&state, &ctx, view, notice).await
}

/// `GET /company`: an employer's account goes to its own company's page.
pub async fn own_company(ctx: Ctx) -> PageResult {
    let actor = ctx.require_account()?;
    let own = App::own_employer(actor).ok_or_else(|| PageError::forbidden(&ctx))?;
    Ok(Redirect::to(&format!("/employers/{}", own.0)).into_response())
}

/// The link form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LinkForm {
    csrf: Option<String>,
    linked: String,
}

/// `POST /employers/{id}/link`
pub async fn link_employer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<LinkForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    if actor.agency.is_none() || !App::may_add_employers(actor) {
        return Err(PageError::forbidden(&ctx));
    }
    let id = parse_employer(&ctx, &id)?;
    let linked = match form.linked.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(PageError::bad_request(&ctx)),
    };
    state.app.link_employer(actor, id, linked).await.map_err(|e| PageError::of(&ctx, e))?;
    let done = if linked { "linked" } else { "unlinked" };
    Ok(Redirect::to(&format!("/employers/{}?done={done}#links", id.0)).into_response())
}

// ---------------------------------------------------------------------------------------------
// The form

/// The form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EmployerForm {
    csrf: Option<String>,
    version: Option<String>,
    corporate_number: String,
    name: String,
    name_kana: String,
    industry: String,
    regular_workers: String,
    special_subsidiary: String,
    accepts_interns: String,
    municipality_code: String,
    address: String,
    hiring_name: String,
    hiring_phone: String,
    hiring_email: String,
    workplace_name: String,
    workplace_phone: String,
    workplace_email: String,
}

impl EmployerForm {
    fn input(&self) -> EmployerInput {
        EmployerInput {
            corporate_number: self.corporate_number.clone(),
            name: self.name.clone(),
            name_kana: self.name_kana.clone(),
            industry: self.industry.clone(),
            regular_workers: self.regular_workers.clone(),
            special_subsidiary: !self.special_subsidiary.is_empty(),
            accepts_interns: !self.accepts_interns.is_empty(),
            municipality_code: self.municipality_code.clone(),
            address: self.address.clone(),
            hiring_name: self.hiring_name.clone(),
            hiring_phone: self.hiring_phone.clone(),
            hiring_email: self.hiring_email.clone(),
            workplace_name: self.workplace_name.clone(),
            workplace_phone: self.workplace_phone.clone(),
            workplace_email: self.workplace_email.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "employer_form.html")]
struct EmployerFormPage {
    layout: Layout,
    heading: String,
    action: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    conflict: Option<Vec<(String, String, String)>>,
    corporate_number: Field,
    /// The 法人番号 cannot be changed here (an employer's own account).
    number_fixed: bool,
    name: Field,
    name_kana: Field,
    industry: Field,
    industries: Vec<SelectOption>,
    regular_workers: Field,
    special_subsidiary: bool,
    accepts_interns: bool,
    municipality: Field,
    municipalities: Vec<SelectOption>,
    address: Field,
    /// The two contacts' fields: (legend, name, phone, e-mail).
    contacts: Vec<(String, Field, Field, Field)>,
    cancel_href: String,
}

/// What the form shows: for a new employer or for `editing` (its id and version).
struct FormSpec {
    editing: Option<(EmployerId, i64)>,
    number_fixed: bool,
    conflict: Option<Vec<(String, String, String)>>,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    input: &EmployerInput,
    problems: &Problems,
    spec: FormSpec,
    status: StatusCode,
) -> PageResult {
    let tr = ctx.tr();
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let mut corporate_number = text("corporate_number", &input.corporate_number, "text", 20, true);
    corporate_number.inputmode = Some("numeric");
    let mut regular_workers = text("regular_workers", &input.regular_workers, "text", 9, true);
    regular_workers.inputmode = Some("numeric");
    let mut name = text("name", &input.name, "text", 100, true);
    name.autocomplete = Some("organization");
    let contact = |legend: &str, names: [&'static str; 3], values: [&str; 3]| {
        let mut phone = text(names[1], values[1], "tel", 20, false);
        phone.autocomplete = Some("off");
        (
            tr.get(legend),
            text(names[0], values[0], "text", 100, false),
            phone,
            text(names[2], values[2], "email", 254, false),
        )
    };
    let contacts = vec![
        contact(
            "employer-hiring-contact",
            ["hiring_name", "hiring_phone", "hiring_email"],
            [&input.hiring_name, &input.hiring_phone, &input.hiring_email],
        ),
        contact(
            "employer-workplace-contact",
            ["workplace_name", "workplace_phone", "workplace_email"],
            [&input.workplace_name, &input.workplace_phone, &input.workplace_email],
        ),
    ];
    let (heading, action, version, cancel_href) = match spec.editing {
        Some((id, version)) => (
            tr.with("employer-edit-title", &[("name", input.name.clone().into())]),
            format!("/employers/{}", id.0),
            Some(version),
            format!("/employers/{}", id.0),
        ),
        None => (tr.get("employer-new-title"), "/employers".to_owned(), None, "/employers".to_owned()),
    };
    let page = EmployerFormPage {
        layout: ctx.layout(heading.clone()),
        heading,
        action,
        version,
        errors: errors_of(tr, problems),
        conflict: spec.conflict,
        corporate_number,
        number_fixed: spec.number_fixed,
        name,
        name_kana: text("name_kana", &input.name_kana, "text", 200, true),
        industry: text("industry", &input.industry, "select", 0, true),
        industries: industry_options(&input.industry),
        regular_workers,
        special_subsidiary: input.special_subsidiary,
        accepts_interns: input.accepts_interns,
        // The directory's hint for this field is about agencies without a municipality.
        municipality: Field { hint: None, ..text("municipality_code", &input.municipality_code, "select", 0, false) },
        municipalities: municipality_menu(state, ctx, &input.municipality_code).await?,
        address: text("address", &input.address, "text", 200, false),
        contacts,
        cancel_href,
    };
    Ok(render(status, &page))
}

/// `GET /employers/new`
pub async fn new_employer(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let actor = ctx.require_account()?;
    if !App::may_add_employers(actor) {
        return Err(PageError::forbidden(&ctx));
    }
    let spec = FormSpec { editing: None, number_fixed: false, conflict: None };
    form_page(&state, &ctx, &EmployerInput::default(), &Problems::new(), spec, StatusCode::OK).await
}

/// `POST /employers`
pub async fn create_employer(
    State(state): State<AppState>,
    ctx: Ctx,
    Submitted(form): Submitted<EmployerForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let input = form.input();
    match state.app.create_employer(actor, &input).await {
        Ok(employer) => Ok(Redirect::to(&format!("/employers/{}?done=saved", employer.id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let spec = FormSpec { editing: None, number_fixed: false, conflict: None };
            form_page(&state, &ctx, &input, &problems, spec, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `GET /employers/{id}/edit`
pub async fn edit_employer(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_employer(&ctx, &id)?;
    if !App::may_edit_employer(actor, id) {
        return Err(PageError::forbidden(&ctx));
    }
    let view = state.app.employer(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let e = &view.employer;
    let spec =
        FormSpec { editing: Some((e.id, e.version)), number_fixed: !App::may_add_employers(actor), conflict: None };
    form_page(&state, &ctx, &EmployerInput::from_fields(&e.fields), &Problems::new(), spec, StatusCode::OK).await
}

/// `POST /employers/{id}`
pub async fn update_employer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<EmployerForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_employer(&ctx, &id)?;
    if !App::may_edit_employer(actor, id) {
        return Err(PageError::forbidden(&ctx));
    }
    let version = form
        .version
        .as_deref()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or_else(|| PageError::bad_request(&ctx))?;
    let input = form.input();
    let number_fixed = !App::may_add_employers(actor);
    match state.app.update_employer(actor, id, version, &input).await {
        Ok(employer) => Ok(Redirect::to(&format!("/employers/{}?done=saved", employer.id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let spec = FormSpec { editing: Some((id, version)), number_fixed, conflict: None };
            form_page(&state, &ctx, &input, &problems, spec, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::EmployerChanged(now)) => {
            // The form keeps what was typed, at the current version, with what differs.
            let conflict = Some(differences(
                ctx.tr(),
                &EmployerInput::from_fields(&now.fields).field_texts(),
                &input.field_texts(),
            ));
            let spec = FormSpec { editing: Some((id, now.version)), number_fixed, conflict };
            form_page(&state, &ctx, &input, &Problems::new(), spec, StatusCode::CONFLICT).await
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
