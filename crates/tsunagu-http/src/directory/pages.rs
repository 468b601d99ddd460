//! The server-rendered pages: the directory, agency pages and forms, blocks, municipalities,
//! import and export.

use crate::web::form::Submitted as Form;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_templates::fluent_bundle::FluentValue;
use tsunagu_app::AppError;
use tsunagu_app::directory::{AgencySearch, DirectoryForm, MunicipalityChange, PAGE_SIZE};
use tsunagu_app::reference::References;
use tsunagu_domain::directory::{
    Agency, AgencyId, AgencyInput, AgencyKind, BlockCode, DirectoryReferences, WelfareService, limits,
};
use tsunagu_domain::{LocalGovCode, Problems};
use uuid::Uuid;

use crate::AppState;
use crate::directory::params::AgencyFilter;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::upload::{UploadRefused, accept_upload, problem_rows};
use crate::web::views::{Field, Layout, SelectOption, render, tel_href, time_text};
use crate::web::views::{differences, download, enc, file_name, municipality_options};

struct AgencyRow {
    id: Uuid,
    name: String,
    kind: String,
    municipality: String,
    block: String,
    phone: String,
}

#[derive(Template)]
#[template(path = "agencies.html")]
struct AgenciesPage {
    layout: Layout,
    q: String,
    blocks: Vec<SelectOption>,
    kinds: Vec<SelectOption>,
    municipalities: Vec<SelectOption>,
    count_text: String,
    rows: Vec<AgencyRow>,
    pages: u64,
    pager_status: String,
    pager: Option<crate::web::views::Pager>,
    /// This page's query, for the agencies' pages to lead back to it.
    back: String,
}

fn block_name(tr: Tr, refs: &References, code: &BlockCode) -> String {
    refs.block(code)
        .map(|b| if tr.lang() == crate::web::i18n::Lang::En { b.name_en.clone() } else { b.name_ja.clone() })
        .unwrap_or_default()
}

fn block_options(tr: Tr, refs: &References, selected: Option<&BlockCode>) -> Vec<SelectOption> {
    refs.blocks
        .iter()
        .map(|b| SelectOption {
            value: b.code.0.clone(),
            label: block_name(tr, refs, &b.code),
            selected: selected == Some(&b.code),
        })
        .collect()
}

fn kind_options(tr: Tr, selected: Option<AgencyKind>) -> Vec<SelectOption> {
    AgencyKind::ALL
        .iter()
        .map(|k| SelectOption { value: k.code().to_owned(), label: tr.kind(k), selected: selected == Some(*k) })
        .collect()
}

/// `GET /agencies`
pub async fn list_agencies(State(state): State<AppState>, ctx: Ctx, Query(filter): Query<AgencyFilter>) -> PageResult {
    let tr = ctx.tr();
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let search = filter.parse(&refs).map_err(|_| PageError::bad_request(&ctx))?;
    let page = state.app.search_agencies(&search).await.map_err(|e| PageError::of(&ctx, e))?;
    let pages = page.total.div_ceil(u64::from(PAGE_SIZE)).max(1);
    let query = |n: u32| {
        let mut parts = vec![format!("page={n}")];
        for (k, v) in
            [("q", &filter.q), ("block", &filter.block), ("kind", &filter.kind), ("municipality", &filter.municipality)]
        {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", enc(v)));
            }
        }
        parts.join("&")
    };
    let href = |n: u32| format!("/agencies?{}", query(n));
    let rows = page
        .rows
        .into_iter()
        .map(|r| AgencyRow {
            id: r.id.0,
            name: r.name,
            kind: tr.kind(&r.kind),
            municipality: r
                .municipality
                .as_ref()
                .and_then(|c| refs.municipality(c))
                .map(|m| tr.municipality(m))
                .or(r.municipality_name)
                .unwrap_or_default(),
            block: r.block.as_ref().map(|b| block_name(tr, &refs, b)).unwrap_or_default(),
            phone: r.phone.unwrap_or_default(),
        })
        .collect();
    let view = AgenciesPage {
        layout: ctx.layout(tr.get("agencies-title")),
        q: search.text.clone().unwrap_or_default(),
        blocks: block_options(tr, &refs, search.block.as_ref()),
        kinds: kind_options(tr, search.kind),
        municipalities: municipality_options(tr, &refs, |c| search.municipality.as_ref() == Some(c)),
        count_text: tr.count("results-count", page.total),
        rows,
        pages,
        pager_status: tr
            .with("pager-status", &[("page", FluentValue::from(search.page)), ("pages", FluentValue::from(pages))]),
        pager: crate::web::views::Pager::new(tr, search.page, pages, href),
        back: enc(&query(search.page)),
    };
    Ok(render(StatusCode::OK, &view))
}

#[derive(Template)]
#[template(path = "agency.html")]
struct AgencyPage {
    layout: Layout,
    notice: Option<String>,
    id: Uuid,
    a: tsunagu_domain::directory::AgencyFields,
    kind: String,
    /// (label, value, link: tel:)
    facts: Vec<(String, String, Option<String>)>,
    website: Option<String>,
    email: Option<String>,
    /// Back to the list, with its search.
    back: String,
    may_edit: bool,
    /// The retention follow-up schedule field (for those who may edit the agency).
    follow_up_days: Field,
    /// The agency's documents, for signed-in readers: `None` for anonymous ones.
    documents: Option<Vec<crate::documents::pages::AgencyDocumentRow>>,
}

/// An agency's id from a path: anything else is a page that does not exist.
pub(crate) fn parse_id(ctx: &Ctx, raw: &str) -> Result<AgencyId, PageError> {
    Uuid::parse_str(raw).map(AgencyId).map_err(|_| PageError::not_found(ctx))
}

/// Query flags a redirect after saving leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Flash {
    saved: Option<String>,
    created: Option<String>,
    /// A document was put on the page, or taken off it.
    attached: Option<String>,
    removed: Option<String>,
    /// The query of the list the reader came from (see [`back_href`]).
    back: Option<String>,
}

/// The list a reader came from, with its search: `/agencies?` and the query it carried, when
/// that holds only what a query of the list holds (so it can lead nowhere else).
fn back_href(back: Option<&str>) -> String {
    let query_chars = |c: char| c.is_ascii_alphanumeric() || "%=&_.~+-".contains(c);
    match back.filter(|b| !b.is_empty() && b.len() <= 2_000 && b.chars().all(query_chars)) {
        Some(query) => format!("/agencies?{query}"),
        None => "/agencies".to_owned(),
    }
}

/// `GET /agencies/{id}`
pub async fn show_agency(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id = parse_id(&ctx, &id)?;
    agency_page(&state, &ctx, id, &flash, None, &Problems::new()).await
}

/// The agency page; `schedule` is a follow-up schedule typed into its form, with `problems`.
async fn agency_page(
    state: &AppState,
    ctx: &Ctx,
    id: AgencyId,
    flash: &Flash,
    schedule: Option<&str>,
    problems: &Problems,
) -> PageResult {
    let ctx = ctx.clone();
    let tr = ctx.tr();
    let agency = state.app.agency(id).await.map_err(|e| PageError::of(&ctx, e))?;
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let f = &agency.fields;
    let unset = tr.get("agency-not-set");
    let or_unset = |v: &Option<String>| v.clone().unwrap_or_else(|| unset.clone());
    let municipality = f.municipality.as_ref().and_then(|c| refs.municipality(c));
    let block = f.block.clone().or_else(|| municipality.map(|m| m.block.clone()));
    let mut facts = vec![
        (tr.get("field-municipality"), municipality.map(|m| tr.municipality(m)).unwrap_or_else(|| unset.clone()), None),
        (
            tr.get("field-block_code"),
            block.as_ref().map(|b| block_name(tr, &refs, b)).unwrap_or_else(|| unset.clone()),
            None,
        ),
        (tr.get("field-postal_code"), or_unset(&f.postal_code), None),
        (tr.get("field-address"), or_unset(&f.address), None),
        (tr.get("field-phone"), or_unset(&f.phone), f.phone.as_deref().and_then(tel_href)),
    ];
    // A FAX number is shown, never linked: a tel: link would dial a fax machine.
    for (key, value) in [("field-fax", &f.fax), ("field-opening_hours", &f.opening_hours)] {
        if let Some(v) = value {
            facts.push((tr.get(key), v.clone(), None));
        }
    }
    if !f.services.is_empty() {
        facts.push((
            tr.get("field-services"),
            f.services.iter().map(|s| tr.service(s)).collect::<Vec<_>>().join(tr.separator()),
            None,
        ));
    }
    if !f.departments.is_empty() {
        facts.push((tr.get("field-departments"), f.departments.join(tr.separator()), None));
    }
    if let Some(notes) = &f.notes {
        facts.push((tr.get("field-notes"), notes.clone(), None));
    }
    let days = state.app.follow_up_schedule(agency.id).await.map_err(|e| PageError::of(&ctx, e))?;
    let days_text = days.iter().map(u16::to_string).collect::<Vec<_>>().join(", ");
    facts.push((
        tr.get("field-follow_up_days"),
        tr.with("follow-up-days", &[("days", days_text.clone().into())]),
        None,
    ));
    facts.push((tr.get("agency-updated-at"), time_text(tr, agency.updated_at), None));
    let notice = if flash.created.is_some() {
        Some(tr.get("agency-created"))
    } else if flash.attached.is_some() {
        Some(tr.get("agency-document-attached"))
    } else if flash.removed.is_some() {
        Some(tr.get("agency-document-removed"))
    } else {
        flash.saved.is_some().then(|| tr.get("agency-saved"))
    };
    let may_edit = match ctx.account() {
        Some(account) => state.app.may_edit_agency(account, agency.id).await.map_err(|e| PageError::of(&ctx, e))?,
        None => false,
    };
    let documents = match ctx.account() {
        Some(account) => {
            let list = state.app.agency_documents(account, agency.id).await.map_err(|e| PageError::of(&ctx, e))?;
            Some(crate::documents::pages::agency_document_rows(tr, &list))
        }
        None => None,
    };
    let view = AgencyPage {
        may_edit,
        layout: ctx.layout(f.name.clone()),
        notice,
        id: agency.id.0,
        kind: tr.kind(&f.kind),
        website: f.website.clone(),
        email: f.email.clone(),
        back: back_href(flash.back.as_deref()),
        a: f.clone(),
        facts,
        documents,
        follow_up_days: crate::web::views::field(
            tr,
            problems,
            "follow_up_days",
            schedule.unwrap_or(&days_text),
            "text",
            80,
            true,
        ),
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render(status, &view))
}

/// `POST /agencies/{id}/follow-up-days`: the agency's retention follow-up schedule.
pub async fn update_follow_up_days(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<FollowUpDaysForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_id(&ctx, &id)?;
    let raw = form.follow_up_days.as_str();
    match state.app.set_follow_up_schedule(actor, id, raw).await {
        Ok(_) => Ok(Redirect::to(&format!("/agencies/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            agency_page(&state, &ctx, id, &Flash::default(), Some(raw), &problems).await
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

#[derive(Template)]
#[template(path = "agency_form.html")]
struct AgencyFormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel_href: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    conflict: Option<Vec<(String, String, String)>>,
    kind: Field,
    kind_options: Vec<SelectOption>,
    name: Field,
    name_kana: Field,
    municipality: Field,
    municipality_options: Vec<SelectOption>,
    block: Field,
    block_options: Vec<SelectOption>,
    postal_code: Field,
    address: Field,
    phone: Field,
    fax: Field,
    email: Field,
    website: Field,
    opening_hours: Field,
    services: Field,
    service_options: Vec<SelectOption>,
    departments: Field,
    notes: Field,
}

/// The form's field names, in order; problems on a field link to its input.
const FORM_FIELDS: [(&str, &str); 15] = [
    ("kind", "kind"),
    ("name", "name"),
    ("name_kana", "name_kana"),
    ("municipality_code", "municipality_code"),
    ("block_code", "block_code"),
    ("postal_code", "postal_code"),
    ("address", "address"),
    ("phone", "phone"),
    ("fax", "fax"),
    ("email", "email"),
    ("website", "website"),
    ("opening_hours", "opening_hours"),
    ("services", "services"),
    ("departments", "departments"),
    ("notes", "notes"),
];

struct FormSpec<'a> {
    heading: String,
    action: String,
    cancel_href: String,
    version: Option<i64>,
    input: &'a AgencyInput,
    problems: &'a Problems,
    conflict: Option<Vec<(String, String, String)>>,
}

fn agency_form(ctx: &Ctx, refs: &References, spec: FormSpec<'_>) -> AgencyFormPage {
    let tr = ctx.tr();
    let input = spec.input;
    let field = |name: &'static str, value: &str, input_type: &'static str, max: u32, required: bool| {
        crate::web::views::field(tr, spec.problems, name, value, input_type, max, required)
    };
    let selected_kind = AgencyKind::parse(&input.kind);
    let selected_municipality = LocalGovCode::parse(&input.municipality_code).ok();
    let selected_block = Some(BlockCode(input.block_code.clone()));
    let selected_services: Vec<WelfareService> =
        input.services.iter().flat_map(|s| s.split(',')).filter_map(WelfareService::parse).collect();
    let errors = FORM_FIELDS
        .iter()
        .filter_map(|(field, anchor)| {
            spec.problems.for_field(field).map(|p| ((*anchor).to_owned(), tr.problem(p.field, false, p.code, p.limit)))
        })
        .collect();
    let mut phone = field("phone", &input.phone, "tel", 20, false);
    phone.autocomplete = Some("tel");
    let mut email = field("email", &input.email, "email", limits::EMAIL, false);
    email.autocomplete = Some("email");
    let mut postal_code = field("postal_code", &input.postal_code, "text", 10, false);
    postal_code.autocomplete = Some("postal-code");
    AgencyFormPage {
        layout: ctx.layout(spec.heading.clone()),
        heading: spec.heading,
        action: spec.action,
        cancel_href: spec.cancel_href,
        version: spec.version,
        errors,
        conflict: spec.conflict,
        kind: field("kind", &input.kind, "text", 40, true),
        kind_options: kind_options(tr, selected_kind),
        name: field("name", &input.name, "text", limits::NAME, true),
        name_kana: field("name_kana", &input.name_kana, "text", limits::NAME_KANA, true),
        municipality: field("municipality_code", &input.municipality_code, "text", 10, false),
        municipality_options: municipality_options(tr, refs, |c| selected_municipality.as_ref() == Some(c)),
        block: field("block_code", &input.block_code, "text", 40, false),
        block_options: block_options(tr, refs, selected_block.as_ref()),
        postal_code,
        address: field("address", &input.address, "text", limits::ADDRESS, false),
        phone,
        fax: field("fax", &input.fax, "tel", 20, false),
        email,
        website: field("website", &input.website, "url", limits::WEBSITE, false),
        opening_hours: field("opening_hours", &input.opening_hours, "text", limits::OPENING_HOURS, false),
        services: field("services", "", "checkbox", 0, false),
        service_options: WelfareService::ALL
            .iter()
            .map(|s| SelectOption {
                value: s.code().to_owned(),
                label: tr.service(s),
                selected: selected_services.contains(s),
            })
            .collect(),
        departments: field(
            "departments",
            &input.departments.join("\n"),
            "text",
            limits::DEPARTMENT * limits::DEPARTMENTS,
            false,
        ),
        notes: field("notes", &input.notes, "text", limits::NOTES, false),
    }
}

/// Reads the agency form's fields (checkbox groups repeat their name, hence pairs).
/// The agency form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AgencyForm {
    csrf: Option<String>,
    version: Option<String>,
    kind: String,
    name: String,
    name_kana: String,
    municipality_code: String,
    block_code: String,
    postal_code: String,
    address: String,
    phone: String,
    fax: String,
    email: String,
    website: String,
    opening_hours: String,
    services: Vec<String>,
    /// One department a line.
    departments: String,
    notes: String,
}

/// The follow-up schedule form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct FollowUpDaysForm {
    csrf: Option<String>,
    follow_up_days: String,
}

fn form_input(form: AgencyForm) -> (AgencyInput, Option<String>, Option<String>) {
    let input = AgencyInput {
        kind: form.kind,
        name: form.name,
        name_kana: form.name_kana,
        municipality_code: form.municipality_code,
        block_code: form.block_code,
        postal_code: form.postal_code,
        address: form.address,
        phone: form.phone,
        fax: form.fax,
        email: form.email,
        website: form.website,
        opening_hours: form.opening_hours,
        services: form.services,
        departments: form.departments.lines().map(str::to_owned).collect(),
        notes: form.notes,
    };
    (input, form.version, form.csrf)
}

/// `GET /agencies/new`
pub async fn new_agency(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let account = ctx.require_account()?;
    state.app.open_directory_form(account, DirectoryForm::NewAgency).await.map_err(|e| PageError::of(&ctx, e))?;
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let spec = FormSpec {
        heading: ctx.tr().get("form-new-title"),
        action: "/agencies".into(),
        cancel_href: "/agencies".into(),
        version: None,
        input: &AgencyInput::default(),
        problems: &Problems::new(),
        conflict: None,
    };
    Ok(render(StatusCode::OK, &agency_form(&ctx, &refs, spec)))
}

/// `POST /agencies`
pub async fn create_agency(
    State(state): State<AppState>,
    ctx: Ctx,
    Submitted(form): Submitted<AgencyForm>,
) -> PageResult {
    let (input, _, csrf) = form_input(form);
    let actor = ctx.authorize_form(csrf.as_deref())?;
    match state.app.create_agency(actor, &input).await {
        Ok(agency) => Ok(Redirect::to(&format!("/agencies/{}?created=1", agency.id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
            let spec = FormSpec {
                heading: ctx.tr().get("form-new-title"),
                action: "/agencies".into(),
                cancel_href: "/agencies".into(),
                version: None,
                input: &input,
                problems: &problems,
                conflict: None,
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &agency_form(&ctx, &refs, spec)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `GET /agencies/{id}/edit`
pub async fn edit_agency(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let account = ctx.require_account()?;
    let id = parse_id(&ctx, &id)?;
    let agency = state.app.agency(id).await.map_err(|e| PageError::of(&ctx, e))?;
    state.app.open_directory_form(account, DirectoryForm::EditAgency(id)).await.map_err(|e| PageError::of(&ctx, e))?;
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let input = AgencyInput::from_fields(&agency.fields);
    Ok(render(StatusCode::OK, &agency_form(&ctx, &refs, edit_spec(&ctx, &agency, &input, &Problems::new(), None))))
}

fn edit_spec<'a>(
    ctx: &Ctx,
    agency: &Agency,
    input: &'a AgencyInput,
    problems: &'a Problems,
    conflict: Option<Vec<(String, String, String)>>,
) -> FormSpec<'a> {
    FormSpec {
        heading: ctx.tr().with("form-edit-title", &[("name", FluentValue::from(agency.fields.name.clone()))]),
        action: format!("/agencies/{}/edit", agency.id.0),
        cancel_href: format!("/agencies/{}", agency.id.0),
        version: Some(agency.version),
        input,
        problems,
        conflict,
    }
}

/// `POST /agencies/{id}/edit`
pub async fn update_agency(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<AgencyForm>,
) -> PageResult {
    let id = parse_id(&ctx, &id)?;
    let (input, version, csrf) = form_input(form);
    let actor = ctx.authorize_form(csrf.as_deref())?;
    let version = version.and_then(|v| v.parse::<i64>().ok()).ok_or_else(|| PageError::bad_request(&ctx))?;
    match state.app.update_agency(actor, id, version, &input).await {
        Ok(agency) => Ok(Redirect::to(&format!("/agencies/{}?saved=1", agency.id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let agency = state.app.agency(id).await.map_err(|e| PageError::of(&ctx, e))?;
            let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
            // Keep the version the editor started from: validation errors are not a licence to
            // overwrite a change made meanwhile.
            let mut spec = edit_spec(&ctx, &agency, &input, &problems, None);
            spec.version = Some(version);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &agency_form(&ctx, &refs, spec)))
        }
        Err(AppError::Conflict(current)) => {
            let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
            let diff =
                differences(ctx.tr(), &AgencyInput::from_fields(&current.fields).field_texts(), &input.field_texts());
            let no_problems = Problems::new();
            let spec = edit_spec(&ctx, &current, &input, &no_problems, Some(diff));
            Ok(render(StatusCode::CONFLICT, &agency_form(&ctx, &refs, spec)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

struct BlockView {
    code: String,
    name: String,
    coordinators: Vec<(Uuid, String)>,
    municipalities: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "blocks.html")]
struct BlocksPage {
    layout: Layout,
    notice: Option<String>,
    any_provisional: bool,
    blocks: Vec<BlockView>,
}

/// `GET /blocks`
pub async fn list_blocks(State(state): State<AppState>, ctx: Ctx, Query(flash): Query<SavedBlock>) -> PageResult {
    let tr = ctx.tr();
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let notice = flash
        .saved
        .and_then(|code| refs.block(&BlockCode(code)).map(|b| block_name(tr, &refs, &b.code)))
        .map(|name| tr.with("block-saved", &[("name", FluentValue::from(name))]));
    let mut blocks = Vec::new();
    for b in &refs.blocks {
        let search = AgencySearch {
            block: Some(b.code.clone()),
            kind: Some(AgencyKind::EmploymentLifeSupportCentre),
            page: 1,
            ..Default::default()
        };
        let coordinators = state.app.search_agencies(&search).await.map_err(|e| PageError::of(&ctx, e))?;
        blocks.push(BlockView {
            code: b.code.0.clone(),
            name: block_name(tr, &refs, &b.code),
            coordinators: coordinators.rows.into_iter().map(|r| (r.id.0, r.name)).collect(),
            municipalities: refs
                .municipalities
                .iter()
                .filter(|m| m.block == b.code)
                .map(|m| (tr.municipality(m), m.block_provisional))
                .collect(),
        });
    }
    let any_provisional = refs.municipalities.iter().any(|m| m.block_provisional);
    Ok(render(
        StatusCode::OK,
        &BlocksPage { layout: ctx.layout(tr.get("blocks-title")), notice, any_provisional, blocks },
    ))
}

/// Which block was just saved.
#[derive(Debug, serde::Deserialize)]
pub struct SavedBlock {
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "block_form.html")]
struct BlockFormPage {
    layout: Layout,
    code: String,
    errors: Vec<(String, String)>,
    name_ja: Field,
    name_en: Field,
}

/// The block form's fields.
#[derive(Debug, serde::Deserialize)]
pub struct BlockForm {
    csrf: Option<String>,
    #[serde(default)]
    name_ja: String,
    #[serde(default)]
    name_en: String,
}

fn block_form(ctx: &Ctx, refs: &References, code: &BlockCode, form: &BlockForm, problems: &Problems) -> BlockFormPage {
    let tr = ctx.tr();
    let field = |name: &'static str, value: &str, max: u32| Field {
        hint: None,
        ..crate::web::views::field(tr, problems, name, value, "text", max, true)
    };
    let title = tr.with("block-edit-title", &[("name", FluentValue::from(block_name(tr, refs, code)))]);
    BlockFormPage {
        layout: ctx.layout(title),
        code: code.0.clone(),
        errors: problems.iter().map(|p| (p.field.to_owned(), tr.problem(p.field, false, p.code, p.limit))).collect(),
        name_ja: field("name_ja", &form.name_ja, 20),
        name_en: field("name_en", &form.name_en, 40),
    }
}

/// `GET /blocks/{code}/edit`
pub async fn edit_block(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> PageResult {
    let account = ctx.require_account()?;
    state.app.open_directory_form(account, DirectoryForm::MasterData).await.map_err(|e| PageError::of(&ctx, e))?;
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let code = BlockCode(code);
    let block = refs.block(&code).ok_or_else(|| PageError::not_found(&ctx))?;
    let form = BlockForm { csrf: None, name_ja: block.name_ja.clone(), name_en: block.name_en.clone() };
    Ok(render(StatusCode::OK, &block_form(&ctx, &refs, &code, &form, &Problems::new())))
}

/// `POST /blocks/{code}/edit`
pub async fn update_block(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<BlockForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let code = BlockCode(code);
    match state.app.rename_block(actor, &code, &form.name_ja, &form.name_en).await {
        Ok(block) => Ok(Redirect::to(&format!("/blocks?saved={}", block.code.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &block_form(&ctx, &refs, &code, &form, &problems)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

struct MunicipalityRow {
    code: String,
    name: String,
    kana: String,
    kind: String,
    block: String,
    provisional: bool,
    support_centre: String,
    coordinator: String,
}

#[derive(Template)]
#[template(path = "municipalities.html")]
struct MunicipalitiesPage {
    layout: Layout,
    notice: Option<String>,
    any_provisional: bool,
    rows: Vec<MunicipalityRow>,
}

/// Which municipality was just saved.
#[derive(Debug, serde::Deserialize)]
pub struct SavedMunicipality {
    saved: Option<String>,
}

/// `GET /municipalities`
pub async fn list_municipalities(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(flash): Query<SavedMunicipality>,
) -> PageResult {
    let tr = ctx.tr();
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let yes_no = |b: bool| tr.get(if b { "yes" } else { "no" });
    let notice = flash
        .saved
        .and_then(|code| LocalGovCode::parse(&code).ok())
        .and_then(|code| refs.municipality(&code).map(|m| tr.municipality(m)))
        .map(|name| tr.with("municipality-saved", &[("name", FluentValue::from(name))]));
    let rows = refs
        .municipalities
        .iter()
        .map(|m| MunicipalityRow {
            code: m.code.to_string(),
            name: tr.municipality(m),
            kana: m.name_kana.clone(),
            kind: tr.municipality_kind(&m.kind),
            block: block_name(tr, &refs, &m.block),
            provisional: m.block_provisional,
            support_centre: yes_no(m.runs_support_centre),
            coordinator: yes_no(m.has_development_coordinator),
        })
        .collect();
    let any_provisional = refs.municipalities.iter().any(|m| m.block_provisional);
    Ok(render(
        StatusCode::OK,
        &MunicipalitiesPage { layout: ctx.layout(tr.get("municipalities-title")), notice, any_provisional, rows },
    ))
}

#[derive(Template)]
#[template(path = "municipality_form.html")]
struct MunicipalityFormPage {
    layout: Layout,
    heading: String,
    code: String,
    error: Option<String>,
    block_options: Vec<SelectOption>,
    provisional: bool,
    runs_support_centre: bool,
    has_development_coordinator: bool,
}

/// `GET /municipalities/{code}/edit`
pub async fn edit_municipality(State(state): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> PageResult {
    let account = ctx.require_account()?;
    state.app.open_directory_form(account, DirectoryForm::MasterData).await.map_err(|e| PageError::of(&ctx, e))?;
    let tr = ctx.tr();
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let code = LocalGovCode::parse(&code).map_err(|_| PageError::not_found(&ctx))?;
    let m = refs.municipality(&code).ok_or_else(|| PageError::not_found(&ctx))?;
    let heading = tr.with("municipality-edit-title", &[("name", FluentValue::from(tr.municipality(m)))]);
    let view = MunicipalityFormPage {
        layout: ctx.layout(heading.clone()),
        heading,
        code: code.to_string(),
        error: None,
        block_options: block_options(tr, &refs, Some(&m.block)),
        provisional: m.block_provisional,
        runs_support_centre: m.runs_support_centre,
        has_development_coordinator: m.has_development_coordinator,
    };
    Ok(render(StatusCode::OK, &view))
}

/// The municipality form.
#[derive(Debug, serde::Deserialize)]
pub struct MunicipalityForm {
    csrf: Option<String>,
    block_code: String,
    block_confirmed: Option<String>,
    runs_support_centre: Option<String>,
    has_development_coordinator: Option<String>,
}

/// `POST /municipalities/{code}/edit`
pub async fn update_municipality(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<MunicipalityForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let code = LocalGovCode::parse(&code).map_err(|_| PageError::not_found(&ctx))?;
    let change = MunicipalityChange {
        block: BlockCode(form.block_code.clone()),
        block_confirmed: form.block_confirmed.is_some(),
        runs_support_centre: form.runs_support_centre.is_some(),
        has_development_coordinator: form.has_development_coordinator.is_some(),
    };
    match state.app.update_municipality(actor, &code, &change).await {
        Ok(m) => Ok(Redirect::to(&format!("/municipalities?saved={}", m.code)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let tr = ctx.tr();
            let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
            let m = refs.municipality(&code).ok_or_else(|| PageError::not_found(&ctx))?;
            let heading = tr.with("municipality-edit-title", &[("name", FluentValue::from(tr.municipality(m)))]);
            let view = MunicipalityFormPage {
                layout: ctx.layout(heading.clone()),
                heading,
                code: code.to_string(),
                error: problems.iter().next().map(|p| tr.problem(p.field, false, p.code, p.limit)),
                block_options: block_options(tr, &refs, Some(&m.block)),
                provisional: m.block_provisional,
                runs_support_centre: change.runs_support_centre,
                has_development_coordinator: change.has_development_coordinator,
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &view))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    layout: Layout,
    notice: Option<String>,
    problems: Vec<(String, String, String)>,
    problems_file: &'static str,
}

/// `GET /agencies/import`
pub async fn import_form(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let account = ctx.require_account()?;
    state.app.open_directory_form(account, DirectoryForm::Import).await.map_err(|e| PageError::of(&ctx, e))?;
    let tr = ctx.tr();
    Ok(render(
        StatusCode::OK,
        &ImportPage {
            layout: ctx.layout(tr.get("import-title")),
            notice: None,
            problems: vec![],
            problems_file: "file",
        },
    ))
}

/// `POST /agencies/import`
pub async fn import_agencies(State(state): State<AppState>, ctx: Ctx, mut multipart: Multipart) -> Response {
    let tr = ctx.tr();
    let refused = |problems: Vec<(String, String, String)>| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ImportPage { layout: ctx.layout(tr.get("import-title")), notice: None, problems, problems_file: "file" },
        )
    };
    let (actor, bytes, _) = match accept_upload(&ctx, &mut multipart).await {
        Ok(accepted) => accepted,
        Err(UploadRefused::Problems(problems)) => return refused(problems),
        Err(UploadRefused::Response(response)) => return response,
    };
    match state.app.import_agencies(actor, &bytes).await {
        Ok(outcome) => {
            let notice = tr.with(
                "import-done",
                &[("created", FluentValue::from(outcome.created)), ("updated", FluentValue::from(outcome.updated))],
            );
            render(
                StatusCode::OK,
                &ImportPage {
                    layout: ctx.layout(tr.get("import-title")),
                    notice: Some(notice),
                    problems: vec![],
                    problems_file: "file",
                },
            )
        }
        Err(AppError::Import(problems)) => refused(problem_rows(&tr, &problems)),
        Err(e) => PageError::of(&ctx, e).into_response(),
    }
}

/// `GET /agencies/export.csv`
pub async fn export_csv(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let bytes = state.app.export_agencies_csv().await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(download(bytes, "text/csv; charset=utf-8", &file_name(&["機関一覧"], state.app.today(), "csv")))
}

/// `GET /agencies/export.xlsx`
pub async fn export_xlsx(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let bytes = state.app.export_agencies_xlsx().await.map_err(|e| PageError::of(&ctx, e))?;
    let name = file_name(&["機関一覧"], state.app.today(), "xlsx");
    Ok(download(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &name))
}
