//! Persons' pages: the caseload, registration (consent first), the person's record, consents,
//! who looked, and the disclosure (開示) as a page, JSON and a ZIP.

use std::io::Write as _;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::disclosure::Disclosure;
use tsunagu_app::persons::{CASELOAD_PAGE, DuplicateHint, NewPerson, PersonView};
use tsunagu_domain::journey::Stage;

use crate::persons::api::{CASELOAD_SORTS, CaseloadParams};
use tsunagu_domain::Problems;
use tsunagu_domain::access::Denial;
use tsunagu_domain::account::Role;
use tsunagu_domain::consent::ConsentInput;
use tsunagu_domain::consent::{ConsentId, DataCategory, Evidence, Purpose};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::person::{Certificate, DisabilityCategory, PersonInput, RyoikuGrade, limits};
use uuid::Uuid;

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::{CsrfOnly, Submitted};
use crate::web::i18n::Tr;
use crate::web::views::{
    Field, Layout, SelectOption, birth_text, date_text, download, field, file_name, milestone_text, plain_date, render,
    tel_href, time_text,
};

/// The account and the person behind a form about a person: signed in, the form's CSRF token
/// checked, the id parsed.
pub(crate) fn person_form_actor<'c>(
    ctx: &'c Ctx,
    csrf: Option<&str>,
    raw_id: &str,
) -> Result<(&'c tsunagu_domain::account::Account, PersonId), PageError> {
    let actor = ctx.authorize_form(csrf)?;
    Ok((actor, parse_person(ctx, raw_id)?))
}

pub(crate) fn parse_person(ctx: &Ctx, raw: &str) -> Result<PersonId, PageError> {
    Uuid::parse_str(raw).map(PersonId).map_err(|_| PageError::not_found(ctx))
}

// ---------------------------------------------------------------------------------------------
// Caseload

struct CaseloadRow {
    id: Uuid,
    name: String,
    name_kana: String,
    birth_date: String,
    stage: String,
    last_contact_on: String,
    next_action: String,
    /// The next action is due today or overdue.
    next_due: bool,
}

struct DueRow {
    id: Uuid,
    name: String,
    action: String,
    due_on: String,
    overdue: bool,
}

/// A column heading that sorts: its text, the address that sorts by it, and whether it is the
/// order shown.
struct SortHeading {
    label: String,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "persons.html")]
struct CaseloadPage {
    layout: Layout,
    today: String,
    count_text: String,
    filtered: bool,
    q: String,
    stages: Vec<SelectOption>,
    dues: Vec<SelectOption>,
    sort: String,
    headings: Vec<SortHeading>,
    rows: Vec<CaseloadRow>,
    due: Vec<DueRow>,
    pager: Option<crate::web::views::Pager>,
}

/// The address of the caseload with `params`, on `page` (the first when `None`), sorted by `sort`.
fn caseload_href(params: &CaseloadParams, sort: Option<&str>, page: Option<u32>) -> String {
    use crate::web::views::enc;
    let mut query: Vec<String> = Vec::new();
    for (key, value) in [("q", &params.q), ("stage", &params.stage), ("due", &params.due)] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            query.push(format!("{key}={}", enc(v)));
        }
    }
    if let Some(s) = sort.filter(|s| *s != "reading") {
        query.push(format!("sort={s}"));
    }
    if let Some(p) = page.filter(|p| *p > 1) {
        query.push(format!("page={p}"));
    }
    if query.is_empty() { "/persons".to_owned() } else { format!("/persons?{}", query.join("&")) }
}

/// `GET /persons`: the caseload as a work list — search by name or reading, filter by stage and
/// by what is due, sort by a column, page by number.
pub async fn caseload(State(state): State<AppState>, ctx: Ctx, Query(params): Query<CaseloadParams>) -> PageResult {
    let actor = ctx.require_account()?;
    let filter = params.filter().map_err(|_| PageError::bad_request(&ctx))?;
    let page = params.page.unwrap_or(1).max(1);
    let caseload = state.app.caseload(actor, &filter, page).await.map_err(|e| PageError::of(&ctx, e))?;
    let tr = ctx.tr();
    let today = caseload.today;
    let rows = caseload
        .entries
        .into_iter()
        .map(|e| CaseloadRow {
            id: e.person.0,
            name: e.name,
            name_kana: e.name_kana,
            birth_date: plain_date(tr.lang(), e.birth_date),
            stage: e.stage.map_or_else(|| tr.get("stage-none"), |s| tr.get(&format!("stage-{}", s.code()))),
            last_contact_on: e.last_contact_on.map(|d| date_text(tr, d)).unwrap_or_default(),
            next_due: matches!(e.next_action, Some((_, Some(on))) if on <= today),
            next_action: match e.next_action {
                Some((action, Some(on))) => {
                    tr.with("next-action-due", &[("action", action.into()), ("on", date_text(tr, on).into())])
                }
                Some((action, None)) => action,
                None => String::new(),
            },
        })
        .collect();
    let due = tsunagu_app::dashboard::due_items(&caseload.due, &caseload.follow_ups, &caseload.plan_reviews)
        .into_iter()
        .map(|i| {
            use tsunagu_app::dashboard::DueKind;
            let action = match i.kind {
                DueKind::NextAction(action) => action,
                DueKind::FollowUp(m) => tr.with("follow-up-action", &[("milestone", milestone_text(tr, m).into())]),
                DueKind::PlanReview(goal) => tr.with("plan-review-action", &[("goal", goal.into())]),
            };
            DueRow {
                id: i.person.0,
                name: i.name,
                action,
                due_on: date_text(tr, i.due_on),
                overdue: tsunagu_domain::journey::overdue(i.due_on, today),
            }
        })
        .collect();
    let sort = CASELOAD_SORTS.iter().find(|(_, s)| *s == filter.sort).map_or("reading", |(code, _)| *code);
    let headings = [
        ("field-name_kana", "reading"),
        ("field-birth_date", "birth_date"),
        ("col-stage", "stage"),
        ("col-last_contact", "last_contact"),
        ("col-next", "next_action"),
    ]
    .into_iter()
    .map(|(key, code)| SortHeading {
        label: tr.get(key),
        href: caseload_href(&params, Some(code), None),
        current: code == sort,
    })
    .collect();
    let stage_value = params.stage.clone().unwrap_or_default();
    let stages = std::iter::once(("none".to_owned(), tr.get("stage-none")))
        .chain(Stage::ALL.iter().map(|s| (s.code().to_owned(), tr.get(&format!("stage-{}", s.code())))))
        .map(|(value, label)| SelectOption { selected: value == stage_value, value, label })
        .collect();
    let due_value = params.due.clone().unwrap_or_default();
    let dues = [("overdue", "caseload-due-overdue"), ("week", "caseload-due-week")]
        .into_iter()
        .map(|(value, key)| SelectOption { value: value.into(), label: tr.get(key), selected: value == due_value })
        .collect();
    let pages = caseload.total.div_ceil(u64::from(CASELOAD_PAGE));
    let filtered = !filter.is_unfiltered();
    Ok(render(
        StatusCode::OK,
        &CaseloadPage {
            layout: ctx.layout(tr.get("persons-title")),
            today: tr.with("caseload-today", &[("today", date_text(tr, today).into())]),
            count_text: tr.count(if filtered { "persons-count-filtered" } else { "persons-count" }, caseload.total),
            filtered,
            q: filter.text.clone(),
            stages,
            dues,
            sort: if sort == "reading" { String::new() } else { sort.to_owned() },
            headings,
            rows,
            due,
            pager: crate::web::views::Pager::new(tr, page, pages, |p| caseload_href(&params, Some(sort), Some(p))),
        },
    ))
}

// ---------------------------------------------------------------------------------------------
// Registration

/// The registration form's fields in the order the form shows them, which is the order of its
/// error summary.
const PERSON_FIELDS: [&str; 19] = [
    // The consent comes first on the form (nothing is recorded without it), then the person.
    "purposes",
    "consent_categories",
    "valid_to",
    "evidence",
    "evidence_note",
    "name",
    "name_kana",
    "birth_date",
    "phone",
    "email",
    "address",
    "categories",
    "certificates",
    "accommodations",
    "health_notes",
    "preferred_hours",
    "preferred_area",
    "emergency_contact",
    "emergency_phone",
];

#[derive(Template)]
#[template(path = "person_form.html")]
struct PersonFormPage {
    layout: Layout,
    errors: Vec<(String, String)>,
    duplicates: Option<Vec<DuplicateHint>>,
    p: PersonFieldset,
    consent: ConsentFields,
}

/// The person's fields of a form (registration and editing).
struct PersonFieldset {
    fields: Vec<Field>,
    /// The disability fields are part of the form.
    disability: bool,
    categories: Field,
    category_options: Vec<SelectOption>,
    physical: Field,
    physical_options: Vec<SelectOption>,
    intellectual: Field,
    intellectual_options: Vec<SelectOption>,
    mental: Field,
    mental_options: Vec<SelectOption>,
    notes: Vec<Field>,
}

/// The consent part of a form: purposes, categories, until, evidence.
struct ConsentFields {
    purposes: Field,
    purpose_options: Vec<SelectOption>,
    categories: Field,
    category_options: Vec<SelectOption>,
    valid_to: Field,
    evidence: Field,
    evidence_options: Vec<SelectOption>,
    evidence_note: Field,
}

fn options<T: Copy + PartialEq>(
    all: &[T],
    chosen: &[T],
    code: impl Fn(T) -> String,
    label: impl Fn(T) -> String,
) -> Vec<SelectOption> {
    all.iter().map(|v| SelectOption { value: code(*v), label: label(*v), selected: chosen.contains(v) }).collect()
}

fn consent_fields(tr: Tr, problems: &Problems, new: &NewPerson, with_own_account: bool) -> ConsentFields {
    let purposes: Vec<Purpose> = new.purposes.iter().filter_map(|p| Purpose::parse(p)).collect();
    let categories: Vec<DataCategory> = new.categories.iter().filter_map(|c| DataCategory::parse(c)).collect();
    let evidence_kinds: Vec<Evidence> =
        Evidence::ALL.into_iter().filter(|e| with_own_account || *e != Evidence::OwnAccount).collect();
    let consent_categories = field(tr, problems, "consent_categories", "", "checkbox", 0, true);
    ConsentFields {
        purposes: field(tr, problems, "purposes", "", "checkbox", 0, true),
        purpose_options: options(
            Purpose::ALL,
            &purposes,
            |p| p.code().to_owned(),
            |p| tr.get(&format!("purpose-{}", p.code())),
        ),
        categories: consent_categories,
        category_options: options(
            DataCategory::ALL,
            &categories,
            |c| c.code().to_owned(),
            |c| tr.get(&format!("data-category-{}", c.code())),
        ),
        valid_to: field(tr, problems, "valid_to", &new.valid_to, "date", 10, false),
        evidence: field(tr, problems, "evidence", &new.evidence, "radio", 0, true),
        evidence_options: options(
            &evidence_kinds,
            &Evidence::parse(&new.evidence).into_iter().collect::<Vec<_>>(),
            |e| e.code().to_owned(),
            |e| tr.get(&format!("evidence-{}", e.code())),
        ),
        // Required with a paper form or verbal consent (which most are): marked so, in those words.
        evidence_note: field(tr, problems, "evidence_note", &new.evidence_note, "text", 500, true),
    }
}

fn certificate_options(tr: Tr, choices: &[Certificate], held: &[Certificate]) -> Vec<SelectOption> {
    choices
        .iter()
        .map(|c| SelectOption {
            value: c.code(),
            label: tr.get(&format!("certificate-{}", c.code().replace(':', "-"))),
            selected: held.contains(c),
        })
        .collect()
}

/// The person's fields with their values and problems; `disability` and `health` say whether the
/// reader may change those categories (fields they may not change are left out of the form).
fn person_fieldset(tr: Tr, p: &PersonInput, problems: &Problems, disability: bool, health: bool) -> PersonFieldset {
    let f = |name, value: &str, input_type, max, required| field(tr, problems, name, value, input_type, max, required);
    // A person's name is 氏名, not an agency's 名称.
    let mut name = f("name", &p.name, "text", limits::NAME, true);
    name.label = tr.field("person_name");
    name.error = problems.for_field("name").map(|p| tr.problem(&name.label, true, p.code, p.limit));
    name.autocomplete = Some("off");
    let mut phone = f("phone", &p.phone, "tel", 20, false);
    phone.autocomplete = Some("off");
    let mut emergency_phone = f("emergency_phone", &p.emergency_phone, "tel", 20, false);
    emergency_phone.autocomplete = Some("off");
    let fields = vec![
        name,
        f("name_kana", &p.name_kana, "text", 200, true),
        f("birth_date", &p.birth_date, "date", 10, true),
        phone,
        f("email", &p.email, "email", 254, false),
        f("address", &p.address, "text", limits::ADDRESS, false),
        f("preferred_hours", &p.preferred_hours, "number", 2, false),
        f("preferred_area", &p.preferred_area, "text", limits::AREA, false),
        f("emergency_contact", &p.emergency_contact, "text", limits::EMERGENCY_CONTACT, false),
        emergency_phone,
    ];
    let categories: Vec<DisabilityCategory> =
        p.categories.iter().filter_map(|c| DisabilityCategory::parse(c)).collect();
    let held: Vec<Certificate> = p.certificates.iter().filter_map(|c| Certificate::parse(c)).collect();
    let physical: Vec<Certificate> = (1..=7).map(Certificate::Physical).collect();
    let mut intellectual: Vec<Certificate> = (1..=4).map(Certificate::AiNoTecho).collect();
    intellectual.extend([Certificate::Ryoiku(RyoikuGrade::A), Certificate::Ryoiku(RyoikuGrade::B)]);
    let mental: Vec<Certificate> = (1..=3).map(Certificate::Mental).collect();
    let cert = |name: &'static str| {
        let mut c = f("certificates", "", "select", 0, false);
        c.name = name;
        c.label = tr.field(name);
        c
    };
    let mut notes = vec![f("accommodations", &p.accommodations, "textarea", limits::NOTE, false)];
    if health {
        notes.push(f("health_notes", &p.health_notes, "textarea", limits::NOTE, false));
    }
    PersonFieldset {
        fields,
        disability,
        categories: f("categories", "", "checkbox", 0, true),
        category_options: options(
            &DisabilityCategory::ALL,
            &categories,
            |c| c.code().to_owned(),
            |c| tr.get(&format!("disability-{}", c.code())),
        ),
        physical: cert("certificate_physical"),
        physical_options: certificate_options(tr, &physical, &held),
        intellectual: cert("certificate_intellectual"),
        intellectual_options: certificate_options(tr, &intellectual, &held),
        mental: cert("certificate_mental"),
        mental_options: certificate_options(tr, &mental, &held),
        notes,
    }
}

/// The error summary's lines for a person form, in the order of its fields.
fn person_errors(tr: Tr, problems: &Problems) -> Vec<(String, String)> {
    PERSON_FIELDS
        .iter()
        .filter_map(|name| {
            let p = problems.for_field(name)?;
            let anchor = match *name {
                "certificates" => "certificate_physical".to_owned(),
                other => other.to_owned(),
            };
            let label = if p.field == "name" { tr.field("person_name") } else { tr.field(p.field) };
            Some((anchor, tr.problem(&label, true, p.code, p.limit)))
        })
        .collect()
}

fn person_form(
    ctx: &Ctx,
    new: &NewPerson,
    problems: &Problems,
    duplicates: Option<Vec<DuplicateHint>>,
) -> PersonFormPage {
    let tr = ctx.tr();
    PersonFormPage {
        layout: ctx.layout(tr.get("person-new-title")),
        errors: person_errors(tr, problems),
        duplicates,
        p: person_fieldset(tr, &new.person, problems, true, true),
        consent: consent_fields(tr, problems, new, false),
    }
}

/// `GET /persons/new`
pub async fn new_person(ctx: Ctx) -> PageResult {
    if !tsunagu_app::App::may_register(ctx.require_account()?) {
        return Err(PageError::forbidden(&ctx));
    }
    let new = NewPerson {
        purposes: vec![Purpose::Support.code().into()],
        categories: [DataCategory::Basic, DataCategory::Support, DataCategory::Disability]
            .iter()
            .map(|c| c.code().to_owned())
            .collect(),
        ..NewPerson::default()
    };
    Ok(render(StatusCode::OK, &person_form(&ctx, &new, &Problems::new(), None)))
}

/// The person form as submitted — registration (the person and the consent given first) or an
/// edit (the person and the version the form was loaded at).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PersonForm {
    csrf: Option<String>,
    version: Option<String>,
    name: String,
    name_kana: String,
    birth_date: String,
    phone: String,
    email: String,
    address: String,
    /// Absent when the disability fieldset was not shown.
    categories: Vec<String>,
    certificate_physical: Vec<String>,
    certificate_intellectual: Vec<String>,
    certificate_mental: Vec<String>,
    accommodations: String,
    /// Absent when the health field was not shown.
    health_notes: Option<String>,
    preferred_hours: String,
    preferred_area: String,
    emergency_contact: String,
    emergency_phone: String,
    purposes: Vec<String>,
    consent_categories: Vec<String>,
    valid_to: String,
    evidence: String,
    evidence_note: String,
    confirm_duplicate: String,
}

impl PersonForm {
    /// The person's fields.
    fn person(&self) -> PersonInput {
        let certificates = [&self.certificate_physical, &self.certificate_intellectual, &self.certificate_mental]
            .into_iter()
            .flatten();
        PersonInput {
            name: self.name.clone(),
            name_kana: self.name_kana.clone(),
            birth_date: self.birth_date.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.clone(),
            categories: self.categories.clone(),
            certificates: certificates.cloned().collect(),
            accommodations: self.accommodations.clone(),
            health_notes: self.health_notes.clone().unwrap_or_default(),
            preferred_hours: self.preferred_hours.clone(),
            preferred_area: self.preferred_area.clone(),
            emergency_contact: self.emergency_contact.clone(),
            emergency_phone: self.emergency_phone.clone(),
        }
    }

    /// A registration: the person and the consent given first.
    fn registration(&self) -> NewPerson {
        NewPerson {
            person: self.person(),
            purposes: self.purposes.clone(),
            categories: self.consent_categories.clone(),
            valid_to: self.valid_to.clone(),
            evidence: self.evidence.clone(),
            evidence_note: self.evidence_note.clone(),
            confirm_duplicate: self.confirm_duplicate == "yes",
        }
    }
}

/// `POST /persons`
pub async fn create_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Submitted(form): Submitted<PersonForm>,
) -> PageResult {
    let new = form.registration();
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    match state.app.register_person(actor, &new).await {
        Ok(id) => Ok(Redirect::to(&format!("/persons/{}?created=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &person_form(&ctx, &new, &problems, None)))
        }
        Err(AppError::PossibleDuplicates(hints)) => {
            Ok(render(StatusCode::CONFLICT, &person_form(&ctx, &new, &Problems::new(), Some(hints))))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// The record

struct ConsentRow {
    id: Uuid,
    recipient: String,
    purposes: String,
    categories: String,
    period: String,
    evidence: String,
    state: String,
    active: bool,
    /// The document holding its signed form, when one is attached and the viewer may see it.
    scan: Option<Uuid>,
}

struct CaseRow {
    agency: String,
    /// The agency's phone, and its `tel:` address.
    phone: Option<(String, String)>,
    opened_on: String,
    closed_on: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    id: Uuid,
    notice: Option<String>,
    override_notice: Option<String>,
    /// (label, value, link: tel: or mailto:)
    facts: Vec<(String, String, Option<String>)>,
    disability: Vec<(String, String)>,
    health: Option<String>,
    withheld: Vec<String>,
    cases: Vec<CaseRow>,
    consents: Vec<ConsentRow>,
    provisions: Vec<(String, String, String)>,
    links: Vec<(Option<Uuid>, String)>,
    documents: Vec<crate::documents::pages::DocumentRow>,
    writable: bool,
    own: bool,
}

/// Query flags a redirect leaves behind.
#[derive(Debug, serde::Deserialize)]
pub struct PersonFlash {
    created: Option<String>,
    saved: Option<String>,
    consented: Option<String>,
    revoked: Option<String>,
    attached: Option<String>,
    removed: Option<String>,
}

fn join(tr: Tr, prefix: &str, codes: impl Iterator<Item = &'static str>) -> String {
    codes.map(|c| tr.get(&format!("{prefix}-{c}"))).collect::<Vec<_>>().join(tr.separator())
}

async fn consent_rows(state: &AppState, tr: Tr, view: &PersonView) -> Result<Vec<ConsentRow>, AppError> {
    let (now, today) = (state.app.now(), state.app.today());
    let mut rows = Vec::new();
    for record in view.consents.iter().rev() {
        let c = &record.consent;
        let (kind, _) = c.recipient.parts();
        let name = state.app.recipient_name(&c.recipient).await?;
        let active = c.in_force(now, today);
        let state_text = match c.revoked_at {
            Some(at) => tr.with("consent-revoked-at", &[("at", time_text(tr, at).into())]),
            None if active => tr.get("consent-in-force"),
            None => tr.get("consent-not-in-force"),
        };
        rows.push(ConsentRow {
            id: c.id.0,
            recipient: format!("{}（{}）", name, tr.get(&format!("recipient-{kind}"))),
            purposes: join(tr, "purpose", c.purposes.iter().map(|p| p.code())),
            categories: join(tr, "data-category", c.categories.iter().map(|k| k.code())),
            period: format!(
                "{} – {}",
                date_text(tr, c.valid_from),
                c.valid_to.map(|d| date_text(tr, d)).unwrap_or_default()
            ),
            evidence: tr.get(&format!("evidence-{}", record.evidence.code())),
            state: state_text,
            active: active && c.revoked_at.is_none(),
            scan: view.documents.iter().rev().find(|d| d.document.consent == Some(c.id)).map(|d| d.document.id.0),
        });
    }
    Ok(rows)
}

async fn person_page(
    state: &AppState,
    ctx: &Ctx,
    view: PersonView,
    notice: Option<String>,
) -> Result<PersonPage, AppError> {
    let tr = ctx.tr();
    let index = state.app.directory().await?;
    let f = &view.person.fields;
    let mut facts = vec![
        (tr.field("name_kana"), f.name_kana.clone(), None),
        (tr.field("birth_date"), birth_text(tr, f.birth_date, state.app.today()), None),
    ];
    for (key, value) in [
        ("phone", f.phone.clone()),
        ("email", f.email.clone()),
        ("address", f.address.clone()),
        ("preferred_hours", f.preferred_hours.map(|h| tr.with("hours-per-week", &[("hours", h.into())]))),
        ("preferred_area", f.preferred_area.clone()),
        ("emergency_contact", f.emergency_contact.clone()),
        ("emergency_phone", f.emergency_phone.clone()),
    ] {
        if let Some(v) = value {
            let href = match key {
                "phone" | "emergency_phone" => tel_href(&v),
                "email" => Some(format!("mailto:{v}")),
                _ => None,
            };
            facts.push((tr.field(key), v, href));
        }
    }
    let mut disability = Vec::new();
    if view.shows(DataCategory::Disability) {
        disability.push((tr.field("categories"), join(tr, "disability", f.categories.iter().map(|c| c.code()))));
        let certificates = f
            .certificates
            .iter()
            .map(|c| {
                let mut text = tr.get(&format!("certificate-{}", c.code().replace(':', "-")));
                if c.is_severe() {
                    text.push_str(&format!("（{}）", tr.get("severe")));
                }
                text
            })
            .collect::<Vec<_>>()
            .join(tr.separator());
        disability
            .push((tr.field("certificates"), if certificates.is_empty() { tr.get("none") } else { certificates }));
        if let Some(a) = &f.accommodations {
            disability.push((tr.field("accommodations"), a.clone()));
        }
    }
    let health = view.shows(DataCategory::Health).then(|| f.health_notes.clone().unwrap_or_else(|| tr.get("none")));
    let withheld = view
        .withheld
        .iter()
        .map(|(c, d)| {
            format!("{}: {}", tr.get(&format!("data-category-{}", c.code())), tr.get(&format!("denial-{}", d.code())))
        })
        .collect();
    let cases = view
        .cases
        .iter()
        .map(|c| CaseRow {
            agency: index.agency(c.agency).map(|a| a.name.clone()).unwrap_or_default(),
            phone: index
                .agency(c.agency)
                .and_then(|a| a.phone.clone())
                .and_then(|p| tel_href(&p).map(|href| (p, href))),
            opened_on: date_text(tr, c.opened_on),
            closed_on: c.closed_on.map(|d| date_text(tr, d)).unwrap_or_default(),
        })
        .collect();
    let consents = consent_rows(state, tr, &view).await?;
    let mut provisions = Vec::new();
    for p in view.provisions.iter().rev() {
        let name = state.app.recipient_name(&p.recipient).await?;
        provisions.push((
            time_text(tr, p.at),
            name,
            p.items.iter().map(|i| field_label(tr, i)).collect::<Vec<_>>().join(tr.separator()),
        ));
    }
    let links = view
        .links
        .iter()
        .map(|h| match &h.visible {
            Some((id, name)) => (Some(id.0), name.clone()),
            None => (None, tr.get("duplicate-hidden")),
        })
        .collect();
    Ok(PersonPage {
        layout: ctx.layout(f.name.clone()),
        id: view.person.id.0,
        notice,
        override_notice: view
            .override_until
            .map(|until| tr.with("override-in-use", &[("until", time_text(tr, until).into())])),
        facts,
        disability,
        health,
        withheld,
        cases,
        consents,
        provisions,
        links,
        documents: crate::documents::pages::document_rows(tr, &index, &view.documents, view.writable),
        writable: view.writable,
        own: view.own,
    })
}

#[derive(Template)]
#[template(path = "person_denied.html")]
struct DeniedPage {
    layout: Layout,
    id: Uuid,
    reason: String,
    may_override: bool,
    error: Option<String>,
    /// The override reason as typed, kept when it is refused.
    typed: String,
}

/// The page refusing a person's record (with the override form for those who may use it).
pub(crate) fn denied_response(ctx: &Ctx, id: PersonId, denial: Denial) -> PageError {
    denied(ctx, id, denial, None, "")
}

fn may_override(account: &tsunagu_domain::account::Account) -> bool {
    account.has(Role::SystemAdmin) || account.has(Role::BlockCoordinator)
}

fn denied(ctx: &Ctx, id: PersonId, denial: Denial, error: Option<String>, typed: &str) -> PageError {
    let tr = ctx.tr();
    let may_override = ctx.account().is_some_and(may_override);
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::FORBIDDEN };
    PageError::from(render(
        status,
        &DeniedPage {
            layout: ctx.layout(tr.get("person-denied-title")),
            id: id.0,
            reason: tr.get(&format!("denial-{}", denial.code())),
            may_override,
            error,
            typed: typed.to_owned(),
        },
    ))
}

/// `GET /persons/{id}`
pub async fn show_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<PersonFlash>,
) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_person(&ctx, &id)?;
    let audited = match state.app.open_person(actor, id, None).await {
        Ok(audited) => audited,
        Err(AppError::Denied(denial)) => return Err(denied_response(&ctx, id, denial)),
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    let tr = ctx.tr();
    let notice = if flash.created.is_some() {
        Some(tr.get("person-created"))
    } else if flash.saved.is_some() {
        Some(tr.get("person-saved"))
    } else if flash.consented.is_some() {
        Some(tr.get("consent-recorded"))
    } else if flash.revoked.is_some() {
        Some(tr.get("consent-revoked"))
    } else if flash.attached.is_some() {
        Some(tr.get("document-attached"))
    } else if flash.removed.is_some() {
        Some(tr.get("document-removed"))
    } else {
        None
    };
    rendered(&state, &ctx, audited, notice).await
}

/// Renders a person's page while its read is audited; the page goes out once the entry is in.
async fn rendered(
    state: &AppState,
    ctx: &Ctx,
    audited: tsunagu_app::persons::Audited<PersonView>,
    notice: Option<String>,
) -> PageResult {
    let page = audited
        .then(async |view| person_page(state, ctx, view, notice).await.map(|page| render(StatusCode::OK, &page)))
        .await;
    page.and_then(|p| p).map_err(|e| PageError::of(ctx, e))
}

/// The emergency-override form as submitted: the written reason.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OverrideForm {
    csrf: Option<String>,
    reason: String,
}

/// `POST /persons/{id}/override`: reads the record on an emergency override with a written
/// reason. The override stays open for a while (`OVERRIDE_MINUTES`): the record and the journey can be
/// read again in it, never written.
pub async fn override_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<OverrideForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_person(&ctx, &id)?;
    let reason = form.reason.trim();
    match state.app.open_person(actor, id, Some(reason)).await {
        Ok(audited) => rendered(&state, &ctx, audited, None).await,
        // The role may override but the reason does not do: a problem with what was typed, said
        // on the form, beside why the record is closed — not a refusal of the role.
        Err(AppError::Denied(Denial::OverrideNotAllowed)) if may_override(actor) => {
            Err(denied(&ctx, id, Denial::NoBasis, Some(ctx.tr().get("error-override_reason")), reason))
        }
        Err(AppError::Denied(denial)) => Err(denied(&ctx, id, denial, None, reason)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Consents

#[derive(Template)]
#[template(path = "consent_form.html")]
struct ConsentFormPage {
    layout: Layout,
    id: Uuid,
    q: String,
    errors: Vec<(String, String)>,
    recipient: Field,
    recipients: Vec<SelectOption>,
    employer_number: Field,
    consent: ConsentFields,
    valid_from: Field,
}

/// `?q=` of the consent form: agencies to offer as recipients.
#[derive(Debug, serde::Deserialize)]
pub struct RecipientQuery {
    q: Option<String>,
    /// `referral`: opened from a referral form that found no consent to referral.
    purpose: Option<String>,
}

struct ConsentForm {
    recipient: String,
    employer_number: String,
    new: NewPerson,
    valid_from: String,
    csrf: Option<String>,
}

/// The consent form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConsentSubmitted {
    csrf: Option<String>,
    recipient: String,
    employer_number: String,
    purposes: Vec<String>,
    consent_categories: Vec<String>,
    valid_from: String,
    valid_to: String,
    evidence: String,
    evidence_note: String,
}

impl From<ConsentSubmitted> for ConsentForm {
    fn from(f: ConsentSubmitted) -> Self {
        ConsentForm {
            recipient: f.recipient,
            employer_number: f.employer_number,
            new: NewPerson {
                purposes: f.purposes,
                categories: f.consent_categories,
                valid_to: f.valid_to,
                evidence: f.evidence,
                evidence_note: f.evidence_note,
                ..NewPerson::default()
            },
            valid_from: f.valid_from,
            csrf: f.csrf,
        }
    }
}

impl ConsentForm {
    fn to_input(&self) -> ConsentInput {
        let (kind, id) = if self.recipient == "employer" {
            ("employer", self.employer_number.as_str())
        } else {
            self.recipient.split_once(':').unwrap_or(("", ""))
        };
        ConsentInput {
            recipient_kind: kind.to_owned(),
            recipient_id: id.to_owned(),
            purposes: self.new.purposes.clone(),
            categories: self.new.categories.clone(),
            valid_from: self.valid_from.clone(),
            valid_to: self.new.valid_to.clone(),
            evidence: self.new.evidence.clone(),
            evidence_note: self.new.evidence_note.clone(),
        }
    }
}

async fn consent_form(
    state: &AppState,
    ctx: &Ctx,
    id: PersonId,
    q: &str,
    form: &ConsentForm,
    problems: &Problems,
) -> Result<ConsentFormPage, AppError> {
    let tr = ctx.tr();
    let index = state.app.directory().await?;
    let own = ctx.account().is_some_and(|a| a.person == Some(id));
    let mut recipients: Vec<SelectOption> = index
        .references
        .blocks
        .iter()
        .map(|b| SelectOption {
            value: format!("block:{}", b.code.0),
            label: tr.with("recipient-block-named", &[("name", b.name_ja.clone().into())]),
            selected: form.recipient == format!("block:{}", b.code.0),
        })
        .collect();
    if !q.trim().is_empty() {
        let search = tsunagu_app::directory::AgencySearch { text: Some(q.to_owned()), page: 1, ..Default::default() };
        let found = state.app.search_agencies(&search).await?;
        recipients.extend(found.rows.into_iter().take(20).map(|a| SelectOption {
            value: format!("agency:{}", a.id.0),
            label: format!("{}（{}）", a.name, tr.kind(&a.kind)),
            selected: form.recipient == format!("agency:{}", a.id.0),
        }));
    } else if let Some(chosen) = form.recipient.strip_prefix("agency:")
        && let Ok(uuid) = Uuid::parse_str(chosen)
        && let Some(a) = index.agency(tsunagu_domain::directory::AgencyId(uuid))
    {
        recipients.push(SelectOption { value: form.recipient.clone(), label: a.name.clone(), selected: true });
    }
    recipients.push(SelectOption {
        value: "employer".into(),
        label: tr.get("recipient-employer-by-number"),
        selected: form.recipient == "employer",
    });
    let mut recipient = field(tr, problems, "recipient_id", "", "radio", 0, true);
    if recipient.error.is_none() {
        recipient.error =
            problems.for_field("recipient_kind").map(|p| tr.problem("recipient_id", false, p.code, p.limit));
    }
    let fields =
        ["recipient_id", "purposes", "consent_categories", "valid_from", "valid_to", "evidence", "evidence_note"];
    let errors = fields
        .iter()
        .filter_map(|f| {
            let p = problems
                .for_field(f)
                .or_else(|| (*f == "recipient_id").then(|| problems.for_field("recipient_kind")).flatten())?;
            let anchor = if *f == "recipient_id" { "recipient".to_owned() } else { (*f).to_owned() };
            Some((anchor, tr.problem(f, false, p.code, p.limit)))
        })
        .collect();
    let valid_from = if form.valid_from.is_empty() { state.app.today().to_string() } else { form.valid_from.clone() };
    Ok(ConsentFormPage {
        layout: ctx.layout(tr.get("consent-new-title")),
        id: id.0,
        q: q.to_owned(),
        errors,
        recipient,
        recipients,
        employer_number: field(tr, problems, "employer_number", &form.employer_number, "text", 13, false),
        consent: consent_fields(tr, problems, &form.new, own),
        valid_from: field(tr, problems, "valid_from", &valid_from, "date", 10, true),
    })
}

/// `GET /persons/{id}/consents/new`
pub async fn new_consent(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<RecipientQuery>,
) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_person(&ctx, &id)?;
    match state.app.check_person_write(actor, id).await {
        Ok(()) => {}
        Err(AppError::Denied(denial)) => return Err(denied_response(&ctx, id, denial)),
        Err(e) => return Err(PageError::of(&ctx, e)),
    }
    let own = actor.person == Some(id);
    let mut form = ConsentForm::from(ConsentSubmitted::default());
    form.new.purposes = vec![Purpose::Support.code().into()];
    if q.purpose.as_deref() == Some(Purpose::Referral.code()) {
        form.new.purposes.push(Purpose::Referral.code().into());
    }
    form.new.categories = vec![DataCategory::Basic.code().into()];
    if own {
        form.new.evidence = Evidence::OwnAccount.code().into();
    }
    let q = q.q.unwrap_or_default();
    let page = consent_form(&state, &ctx, id, &q, &form, &Problems::new()).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /persons/{id}/consents`
pub async fn create_consent(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(submitted): Submitted<ConsentSubmitted>,
) -> PageResult {
    let form = ConsentForm::from(submitted);
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_person(&ctx, &id)?;
    match state.app.record_consent(actor, id, &form.to_input()).await {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{}?consented=1#consents", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let problems = problems.renamed("categories", "consent_categories");
            let page =
                consent_form(&state, &ctx, id, "", &form, &problems).await.map_err(|e| PageError::of(&ctx, e))?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `POST /persons/{id}/consents/{consent}/revoke`
pub async fn revoke_consent(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, consent)): Path<(String, String)>,
    Submitted(form): Submitted<CsrfOnly>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_person(&ctx, &id)?;
    let consent = Uuid::parse_str(&consent).map(ConsentId).map_err(|_| PageError::not_found(&ctx))?;
    match state.app.revoke_consent(actor, id, consent).await {
        Ok(()) => Ok(Redirect::to(&format!("/persons/{}?revoked=1#consents", id.0)).into_response()),
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Who looked, and disclosure

struct LogRow {
    at: String,
    who: String,
    action: String,
    fields: String,
    basis: String,
}

#[derive(Template)]
#[template(path = "access_log.html")]
struct AccessLogPage {
    layout: Layout,
    id: Uuid,
    rows: Vec<LogRow>,
}

/// How a field named in the audit log or a provision reads: a person's field, or a consent's
/// `purpose:…` / `category:…`.
fn field_label(tr: Tr, field: &str) -> String {
    match field.split_once(':') {
        Some(("purpose", code)) => tr.get(&format!("purpose-{code}")),
        Some(("category", code)) => tr.get(&format!("data-category-{code}")),
        _ if field == "name" => tr.field("person_name"),
        _ => tr.field(field),
    }
}

/// How a basis reads for the person.
fn basis_text(tr: Tr, basis: &str) -> String {
    let kind = basis.split([':', ' ']).next().unwrap_or("");
    match kind {
        "own" | "own_case" | "consent" | "override" | "denied" | "evidence" | "disclosure_request" => {
            let mut text = tr.get(&format!("basis-{kind}"));
            if let Some(reason) = basis.strip_prefix("override:") {
                text.push_str(&format!("「{reason}」"));
            }
            text
        }
        _ => basis.to_owned(),
    }
}

fn log_rows(tr: Tr, entries: &[tsunagu_domain::audit::AuditEntry]) -> Vec<LogRow> {
    entries
        .iter()
        .map(|e| {
            let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(e.event.at_micros) * 1000)
                .map(|t| time_text(tr, t))
                .unwrap_or_default();
            LogRow {
                at,
                who: e.event.actor_label.clone(),
                action: tr.get(&format!("audit-action-{}", e.event.action.code())),
                fields: e
                    .event
                    .fields
                    .iter()
                    .map(|f| tr.field(f.split(':').next_back().unwrap_or(f)))
                    .collect::<Vec<_>>()
                    .join(tr.separator()),
                basis: basis_text(tr, &e.event.basis),
            }
        })
        .collect()
}

/// `GET /persons/{id}/access-log`
pub async fn access_log(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_person(&ctx, &id)?;
    let entries = match state.app.access_log(actor, id, None).await {
        Ok(entries) => entries,
        Err(AppError::Denied(denial)) => return Err(denied_response(&ctx, id, denial)),
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    let tr = ctx.tr();
    Ok(render(
        StatusCode::OK,
        &AccessLogPage { layout: ctx.layout(tr.get("access-log-title")), id: id.0, rows: log_rows(tr, &entries) },
    ))
}

#[derive(Template)]
#[template(path = "disclosure.html")]
struct DisclosurePage {
    layout: Layout,
    id: Uuid,
    compiled_at: String,
    facts: Vec<(String, String)>,
    tables: Vec<DisclosureTable>,
}

/// One part of the disclosure as a person reads it: the same headings and rows on the page and
/// in the ZIP's CSV file of the same name.
struct DisclosureTable {
    /// The CSV file's name, without `.csv`.
    file: &'static str,
    title: String,
    headings: Vec<String>,
    rows: Vec<Vec<String>>,
}

async fn disclosure_of(state: &AppState, ctx: &Ctx, raw: &str) -> Result<(PersonId, Disclosure), PageError> {
    let actor = ctx.require_account()?;
    let id = parse_person(ctx, raw)?;
    match state.app.disclosure(actor, id).await {
        Ok(d) => Ok((id, d)),
        Err(AppError::Denied(denial)) => Err(denied_response(ctx, id, denial)),
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// Every field of the person, labelled, for the disclosure.
fn all_facts(tr: Tr, d: &Disclosure) -> Vec<(String, String)> {
    let f = &d.person.fields;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        (tr.get("disclosure-person-id"), d.person.id.0.to_string()),
        (tr.field("person_name"), f.name.clone()),
        (tr.field("name_kana"), f.name_kana.clone()),
        (tr.field("birth_date"), plain_date(tr.lang(), f.birth_date)),
        (tr.field("phone"), opt(&f.phone)),
        (tr.field("email"), opt(&f.email)),
        (tr.field("address"), opt(&f.address)),
        (tr.field("categories"), join(tr, "disability", f.categories.iter().map(|c| c.code()))),
        (
            tr.field("certificates"),
            f.certificates
                .iter()
                .map(|c| tr.get(&format!("certificate-{}", c.code().replace(':', "-"))))
                .collect::<Vec<_>>()
                .join(tr.separator()),
        ),
        (tr.field("accommodations"), opt(&f.accommodations)),
        (tr.field("health_notes"), opt(&f.health_notes)),
        (tr.field("preferred_hours"), f.preferred_hours.map(|h| h.to_string()).unwrap_or_default()),
        (tr.field("preferred_area"), opt(&f.preferred_area)),
        (tr.field("emergency_contact"), opt(&f.emergency_contact)),
        (tr.field("emergency_phone"), opt(&f.emergency_phone)),
        (tr.get("disclosure-registered-by"), d.agency_name(d.person.registered_by).to_owned()),
        (tr.get("disclosure-registered-at"), time_text(tr, d.person.created_at)),
        (tr.get("disclosure-linked"), d.links.iter().map(|l| l.0.to_string()).collect::<Vec<_>>().join(" ")),
    ]
}

/// The disclosure's parts after the record itself, labelled in the reader's language.
fn disclosure_tables(tr: Tr, d: &Disclosure) -> Vec<DisclosureTable> {
    let headings = |keys: &[&str]| keys.iter().map(|k| tr.get(k)).collect::<Vec<_>>();
    let opt_date = |d: Option<time::Date>| d.map(|d| date_text(tr, d)).unwrap_or_default();
    let table = |file, title: &str, keys: &[&str], rows| DisclosureTable {
        file,
        title: tr.get(title),
        headings: headings(keys),
        rows,
    };
    let journey = &d.journey;
    let mut stages: Vec<_> = journey.stages.iter().collect();
    stages.sort_by_key(|s| (s.on, s.recorded_at));
    let mut records: Vec<_> = journey.records.iter().collect();
    records.sort_by_key(|r| (r.fields.date, r.recorded_at));
    let mut reviews = Vec::new();
    for plan in &journey.plans {
        for r in &plan.reviews {
            reviews.push(vec![
                date_text(tr, r.reviewed_on),
                plan.fields.goal.clone(),
                r.fields.note.clone(),
                tr.get(&format!("outcome-{}", r.fields.outcome.code())),
                opt_date(r.fields.next_review_on),
            ]);
        }
    }
    vec![
        table(
            "cases",
            "person-cases",
            &["col-agency", "col-opened_on", "col-closed_on"],
            d.cases
                .iter()
                .map(|c| vec![d.agency_name(c.agency).to_owned(), date_text(tr, c.opened_on), opt_date(c.closed_on)])
                .collect(),
        ),
        table(
            "consents",
            "person-consents",
            &[
                "col-recipient",
                "field-purposes",
                "field-consent_categories",
                "col-period",
                "disclosure-withdrawn",
                "field-evidence",
                "field-evidence_note",
            ],
            d.consents
                .iter()
                .map(|(r, name)| {
                    vec![
                        name.clone(),
                        join(tr, "purpose", r.consent.purposes.iter().map(|p| p.code())),
                        join(tr, "data-category", r.consent.categories.iter().map(|c| c.code())),
                        format!("{} – {}", r.consent.valid_from, opt_date(r.consent.valid_to)),
                        r.consent.revoked_at.map(|t| time_text(tr, t)).unwrap_or_default(),
                        tr.get(&format!("evidence-{}", r.evidence.code())),
                        r.evidence_note.clone(),
                    ]
                })
                .collect(),
        ),
        table(
            "provisions",
            "disclosure-provisions",
            &["audit-at", "col-recipient", "col-items"],
            d.provisions
                .iter()
                .map(|(p, name)| {
                    vec![
                        time_text(tr, p.at),
                        name.clone(),
                        p.items.iter().map(|i| field_label(tr, i)).collect::<Vec<_>>().join(tr.separator()),
                    ]
                })
                .collect(),
        ),
        table(
            "stages",
            "disclosure-stages",
            &["field-date", "col-stage", "col-agency", "field-reason"],
            stages
                .iter()
                .map(|s| {
                    vec![
                        date_text(tr, s.on),
                        tr.get(&format!("stage-{}", s.stage.code())),
                        d.agency_name(s.agency).to_owned(),
                        s.reason.clone(),
                    ]
                })
                .collect(),
        ),
        table(
            "support_records",
            "disclosure-support-records",
            &["field-date", "col-agency", "col-who", "field-kind", "field-minutes", "field-note", "col-next"],
            records
                .iter()
                .map(|r| {
                    let f = &r.fields;
                    let next = match (&f.next_action, f.next_action_on) {
                        (Some(a), Some(on)) => format!("{a}（{on}）"),
                        (Some(a), None) => a.clone(),
                        _ => String::new(),
                    };
                    vec![
                        date_text(tr, f.date),
                        d.agency_name(r.agency).to_owned(),
                        r.staff_name.clone(),
                        tr.get(&format!("support-kind-{}", f.kind.code())),
                        f.minutes.to_string(),
                        f.note.clone(),
                        next,
                    ]
                })
                .collect(),
        ),
        table(
            "plans",
            "disclosure-plans",
            &[
                "disclosure-made-on",
                "col-agency",
                "field-goal",
                "field-actions",
                "field-owner",
                "disclosure-next-review",
                "col-state",
            ],
            journey
                .plans
                .iter()
                .map(|p| {
                    vec![
                        time_text(tr, p.created_at),
                        d.agency_name(p.agency).to_owned(),
                        p.fields.goal.clone(),
                        p.fields.actions.clone(),
                        p.fields.owner.clone(),
                        opt_date(p.review_on),
                        p.outcome.map(|o| tr.get(&format!("outcome-{}", o.code()))).unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        table(
            "plan_reviews",
            "disclosure-plan-reviews",
            &["field-date", "field-goal", "field-review_note", "field-outcome", "disclosure-next-review"],
            reviews,
        ),
        table(
            "follow_ups",
            "follow-ups-title",
            &[
                "col-agency",
                "disclosure-placed-on",
                "disclosure-due-on",
                "disclosure-done-on",
                "disclosure-follow-up-note",
                "disclosure-closed-on",
            ],
            journey
                .follow_ups
                .iter()
                .map(|f| {
                    vec![
                        d.agency_name(f.agency).to_owned(),
                        date_text(tr, f.placed_on),
                        date_text(tr, f.due_on),
                        f.done.map(|(on, _)| date_text(tr, on)).unwrap_or_default(),
                        f.note.clone().unwrap_or_default(),
                        f.closed_on.map(|on| date_text(tr, on)).unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        table(
            "placements",
            "timeline-placements",
            &[
                "col-agency",
                "col-employer",
                "field-job_title",
                "field-hired_on",
                "field-weekly_hours",
                "field-employment_kind",
                "field-ended_on",
                "field-end_reason",
                "field-end_note",
            ],
            journey
                .placements
                .iter()
                .map(|p| {
                    let f = &p.fields;
                    let end = p.end.as_ref();
                    vec![
                        d.agency_name(p.agency).to_owned(),
                        d.employer_names
                            .iter()
                            .find(|(e, _)| *e == f.employer)
                            .map_or_else(String::new, |(_, n)| n.clone()),
                        f.job_title.clone(),
                        date_text(tr, f.starts_on),
                        f.hours.to_string(),
                        tr.get(&format!("employment-kind-{}", f.kind.code())),
                        end.map(|e| date_text(tr, e.ended_on)).unwrap_or_default(),
                        end.map(|e| tr.get(&format!("end-reason-{}", e.reason.code()))).unwrap_or_default(),
                        end.map(|e| e.note.clone()).unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        table(
            "internships",
            "internships-link",
            &[
                "col-agency",
                "col-employer",
                "field-slot_kind",
                "field-slot_title",
                "field-first_day",
                "field-last_day",
                "field-outcome",
                "field-outcome_note",
                "field-insurance_subsidy",
                "field-employer_grant",
            ],
            d.bookings
                .iter()
                .map(|(b, s, employer)| {
                    let o = b.outcome.as_ref();
                    let yes = |on: bool| if on { tr.get("yes") } else { String::new() };
                    vec![
                        d.agency_name(b.agency).to_owned(),
                        employer.clone(),
                        tr.get(&format!("slot-kind-{}", s.fields.kind.code())),
                        s.fields.title.clone(),
                        date_text(tr, s.fields.starts_on),
                        date_text(tr, s.fields.ends_on),
                        o.map(|o| tr.get(&format!("booking-outcome-{}", o.outcome.code()))).unwrap_or_default(),
                        o.map(|o| o.note.clone()).unwrap_or_default(),
                        yes(o.is_some_and(|o| o.insurance_subsidy)),
                        yes(o.is_some_and(|o| o.employer_grant)),
                    ]
                })
                .collect(),
        ),
        table(
            "school",
            "school-link",
            &["school-school", "field-department", "field-entered_year", "field-graduated_on"],
            d.enrolment
                .iter()
                .map(|(e, school)| {
                    vec![
                        school.clone(),
                        e.fields.department.name().to_owned(),
                        crate::programs::pages::year_text(tr, e.fields.entered),
                        e.fields.graduated_on.map(|day| date_text(tr, day)).unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        table(
            "dispatches",
            "coaching-dispatches-csv",
            &[
                "col-agency",
                "col-employer",
                "field-coaches",
                "field-starts_on",
                "coaching-phases",
                "field-person_agreed_on",
                "field-employer_agreed_on",
                "field-goals",
                "field-support_ended_on",
            ],
            d.coaching
                .iter()
                .map(|(dispatch, employer, _)| {
                    let f = &dispatch.fields;
                    let phases = tsunagu_domain::coaching::Phase::ALL
                        .iter()
                        .zip(f.phases)
                        .map(|(phase, plan)| {
                            tr.with(
                                "coaching-phase-plan",
                                &[
                                    ("phase", tr.get(&format!("coaching-phase-{}", phase.code())).into()),
                                    ("until", date_text(tr, plan.until).into()),
                                    ("visits", plan.visits_a_month.into()),
                                ],
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(tr.separator());
                    vec![
                        d.agency_name(dispatch.agency).to_owned(),
                        employer.clone(),
                        f.coaches.iter().map(|c| d.coach_name(*c)).collect::<Vec<_>>().join(tr.separator()),
                        date_text(tr, f.starts_on),
                        phases,
                        opt_date(f.person_agreed_on),
                        opt_date(f.employer_agreed_on),
                        f.goals.clone(),
                        opt_date(f.ended_on),
                    ]
                })
                .collect(),
        ),
        table(
            "coach_days",
            "coaching-days-csv",
            &["field-worked_on", "col-employer", "field-coach", "field-duration", "field-activities", "field-day_note"],
            d.coaching
                .iter()
                .flat_map(|(_, employer, days)| {
                    days.iter().map(move |day| {
                        vec![
                            date_text(tr, day.on),
                            employer.clone(),
                            d.coach_name(day.coach),
                            crate::coaching::pages::minutes_text(tr, u32::from(day.minutes)),
                            crate::coaching::pages::activities_text(tr, &day.activities),
                            day.note.clone(),
                        ]
                    })
                })
                .collect(),
        ),
        table(
            "trials",
            "trials-csv",
            &[
                "col-agency",
                "col-employer",
                "field-course",
                "field-job",
                "field-starts_on",
                "field-planned_until",
                "trial-steps-col",
                "field-trial_ended_on",
                "field-outcome",
                "field-outcome_note",
                "trial-grants",
            ],
            d.trials
                .iter()
                .map(|(t, employer, _)| {
                    let f = &t.fields;
                    let steps = f
                        .steps
                        .iter()
                        .map(|s| {
                            tr.with(
                                "trial-step",
                                &[
                                    ("from", date_text(tr, s.from).into()),
                                    ("hours", tsunagu_domain::trial::hours_text(s.minutes).into()),
                                ],
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(tr.separator());
                    let grants = f
                        .grants
                        .iter()
                        .map(|g| format!("{} {} {}", date_text(tr, g.decided_on), g.months, g.amount_yen))
                        .collect::<Vec<_>>()
                        .join(tr.separator());
                    vec![
                        d.agency_name(t.agency).to_owned(),
                        employer.clone(),
                        tr.get(&format!("trial-course-{}", f.course.code())),
                        f.job.clone(),
                        date_text(tr, f.starts_on),
                        date_text(tr, f.planned_until),
                        steps,
                        opt_date(f.ended_on),
                        f.outcome.map(|o| tr.get(&format!("trial-outcome-{}", o.code()))).unwrap_or_default(),
                        f.outcome_note.clone(),
                        grants,
                    ]
                })
                .collect(),
        ),
        table(
            "trial_weeks",
            "trial-weeks-csv",
            &["trial-week", "col-employer", "trial-planned", "trial-worked"],
            d.trials
                .iter()
                .flat_map(|(t, employer, weeks)| {
                    weeks.iter().map(move |w| {
                        vec![
                            date_text(tr, w.week_of),
                            employer.clone(),
                            tsunagu_domain::trial::hours_text(t.planned_minutes(w.week_of)),
                            tsunagu_domain::trial::hours_text(w.minutes),
                        ]
                    })
                })
                .collect(),
        ),
        table(
            "trywork_participations",
            "trywork-csv",
            &[
                "col-agency",
                "field-trywork_course",
                "field-track",
                "field-starts_on",
                "field-planned_until",
                "field-trywork_ended_on",
                "field-trywork_outcome",
                "field-trywork_note",
            ],
            d.trywork
                .iter()
                .map(|p| {
                    let f = &p.fields;
                    vec![
                        d.agency_name(p.agency).to_owned(),
                        tr.get(&format!("trywork-course-{}", f.course.code())),
                        tr.get(&format!("trywork-track-{}", f.track.code())),
                        date_text(tr, f.starts_on),
                        date_text(tr, f.planned_until),
                        opt_date(f.ended_on),
                        f.outcome.map(|o| tr.get(&format!("trywork-outcome-{}", o.code()))).unwrap_or_default(),
                        f.note.clone(),
                    ]
                })
                .collect(),
        ),
        table(
            "assessment_sheets",
            "assessment-csv",
            &[
                "col-agency",
                "field-started_on",
                "field-checklist_item",
                "assessment-person-side",
                "assessment-supporter-side",
            ],
            d.assessment_sheets
                .iter()
                .flat_map(|a| {
                    let (agency, on) = (d.agency_name(a.agency).to_owned(), date_text(tr, a.fields.started_on));
                    tsunagu_domain::assessment::items()
                        .iter()
                        .filter(|i| a.fields.person.contains_key(i.code) || a.fields.supporter.contains_key(i.code))
                        .map(|i| {
                            vec![
                                agency.clone(),
                                on.clone(),
                                format!("{} {}", i.code, i.text),
                                a.fields.person.get(i.code).cloned().unwrap_or_default(),
                                a.fields.supporter.get(i.code).cloned().unwrap_or_default(),
                            ]
                        })
                        .collect::<Vec<_>>()
                })
                .collect(),
        ),
        table(
            "passports",
            "passport-csv",
            &["passport-col-section", "passport-col-given", "col-item", "passport-col-answer"],
            d.passport
                .iter()
                .flat_map(|p| {
                    tsunagu_domain::passport::items()
                        .iter()
                        .filter_map(|i| {
                            let answer = p.fields.answers.get(i.code)?;
                            let section = tsunagu_domain::passport::section(i.section)?;
                            let given = if p.fields.shown.contains(i.section) { "yes" } else { "no" };
                            Some(vec![
                                section.title.to_owned(),
                                tr.get(given),
                                format!("{} {}", i.code, i.text),
                                answer.clone(),
                            ])
                        })
                        .collect::<Vec<_>>()
                })
                .collect(),
        ),
        table(
            "mws_results",
            "mws-csv",
            &[
                "col-agency",
                "field-done_on",
                "field-edition",
                "field-task",
                "field-level",
                "field-trials",
                "field-correct",
                "field-minutes",
                "field-mws_notes",
            ],
            d.work_samples
                .iter()
                .map(|r| {
                    let f = &r.fields;
                    vec![
                        d.agency_name(r.agency).to_owned(),
                        date_text(tr, f.done_on),
                        tr.get(&format!("mws-edition-{}", f.edition.code())),
                        f.task.clone(),
                        f.level.to_string(),
                        f.trials.to_string(),
                        f.correct.to_string(),
                        f.minutes.to_string(),
                        f.notes.clone(),
                    ]
                })
                .collect(),
        ),
        table(
            "checklists",
            "checklist-csv",
            &[
                "col-agency",
                "field-assessed_on",
                "field-checklist_item",
                "field-checklist_rating",
                "field-checklist_comment",
            ],
            d.checklists
                .iter()
                .flat_map(|k| {
                    let (agency, on) = (d.agency_name(k.agency).to_owned(), date_text(tr, k.fields.assessed_on));
                    let answers = k.fields.answers.iter().map({
                        let (agency, on) = (agency.clone(), on.clone());
                        move |a| {
                            let (name, level) = match tsunagu_domain::checklist::item(&a.item) {
                                Some(i) => (i.label(), crate::checklists::pages::rating_text(tr, i, Some(a.rating))),
                                None => (a.item.clone(), a.rating.code()),
                            };
                            vec![agency.clone(), on.clone(), name, level, a.comment.clone()]
                        }
                    });
                    let note = (!k.fields.note.is_empty())
                        .then(|| vec![agency, on, tr.field("checklist_note"), String::new(), k.fields.note.clone()]);
                    answers.chain(note).collect::<Vec<_>>()
                })
                .collect(),
        ),
        table(
            "event_signups",
            "event-csv",
            &["event-col-title", "event-col-organiser", "event-col-days", "col-state", "event-col-attended"],
            d.events
                .iter()
                .map(|(signup, event)| {
                    let sessions = event.fields.sessions.len();
                    let held = (0..sessions).filter(|i| signup.attended(*i)).count();
                    vec![
                        event.fields.title.clone(),
                        d.agency_name(event.organiser).to_owned(),
                        date_text(tr, event.fields.starts_on),
                        tr.get(&format!("event-status-{}", signup.status.code())),
                        tr.with(
                            "event-attended-of",
                            &[("held", (held as i64).into()), ("all", (sessions as i64).into())],
                        ),
                    ]
                })
                .collect(),
        ),
        table(
            "return_plans",
            "rework-csv",
            &[
                "col-agency",
                "col-employer",
                "field-employer_contact",
                "field-doctor",
                "field-leave_began_on",
                "field-coordination_began_on",
                "field-person_agreed_on",
                "field-employer_agreed_on",
                "field-doctor_agreed_on",
                "field-agreed_activities",
                "rework-phases-col",
                "field-support_began_on",
                "field-returned_on",
                "field-return_ended_on",
                "field-return_outcome",
                "field-return_note",
            ],
            d.return_plans
                .iter()
                .map(|(r, employer)| {
                    let f = &r.fields;
                    let phases = tsunagu_domain::rework::WarmUp::ALL
                        .iter()
                        .zip(f.phases)
                        .map(|(w, p)| {
                            tr.with(
                                "rework-phase-plan",
                                &[
                                    ("phase", tr.get(&format!("rework-phase-{}", w.code())).into()),
                                    ("from", date_text(tr, p.from).into()),
                                    ("until", date_text(tr, p.until).into()),
                                ],
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(tr.separator());
                    vec![
                        d.agency_name(r.agency).to_owned(),
                        employer.clone(),
                        f.employer_contact.clone(),
                        f.doctor.clone(),
                        date_text(tr, f.leave_began_on),
                        date_text(tr, f.coordination_began_on),
                        opt_date(f.person_agreed_on),
                        opt_date(f.employer_agreed_on),
                        opt_date(f.doctor_agreed_on),
                        f.activities.clone(),
                        phases,
                        opt_date(f.support_began_on),
                        opt_date(f.returned_on),
                        opt_date(f.ended_on),
                        f.outcome.map(|o| tr.get(&format!("rework-outcome-{}", o.code()))).unwrap_or_default(),
                        f.outcome_note.clone(),
                    ]
                })
                .collect(),
        ),
        table(
            "job_preferences",
            "preferences-title",
            &["field-areas", "field-needs", "field-preference_note", "col-updated"],
            d.preferences
                .iter()
                .map(|(p, names)| {
                    vec![
                        names.join(tr.separator()),
                        p.fields
                            .needs
                            .iter()
                            .map(|n| tr.get(&format!("accommodation-{}", n.code())))
                            .collect::<Vec<_>>()
                            .join(tr.separator()),
                        p.fields.note.clone().unwrap_or_default(),
                        time_text(tr, p.updated_at),
                    ]
                })
                .collect(),
        ),
        table(
            "referrals",
            "referrals-title",
            &["audit-at", "referral-from", "referral-to", "field-note", "col-state", "disclosure-decline-reason"],
            d.referrals
                .iter()
                .map(|r| {
                    vec![
                        time_text(tr, r.sent_at),
                        d.agency_name(r.from).to_owned(),
                        d.agency_name(r.to).to_owned(),
                        r.note.clone(),
                        tr.get(&format!("referral-state-{}", r.state.code())),
                        r.reason.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        table(
            "documents",
            "person-documents",
            &[
                "col-title",
                "col-kind",
                "col-file",
                "col-agency",
                "col-uploaded",
                "disclosure-removed-at",
                "disclosure-sha256",
            ],
            d.documents
                .iter()
                .map(|doc| {
                    vec![
                        doc.title.clone(),
                        tr.get(&format!("document-kind-{}", doc.kind.code())),
                        format!("{}（{}）", doc.file_name, crate::documents::pages::size_text(doc.size)),
                        d.agency_name(doc.agency).to_owned(),
                        time_text(tr, doc.uploaded_at),
                        doc.removed_at.map(|t| time_text(tr, t)).unwrap_or_default(),
                        doc.sha256.clone(),
                    ]
                })
                .collect(),
        ),
        table(
            "access_log",
            "access-log-title",
            &["audit-at", "audit-actor", "audit-action", "audit-fields", "audit-basis"],
            log_rows(tr, &d.access_log).into_iter().map(|r| vec![r.at, r.who, r.action, r.fields, r.basis]).collect(),
        ),
    ]
}

/// `GET /persons/{id}/disclosure`
pub async fn disclosure(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let (id, d) = disclosure_of(&state, &ctx, &id).await?;
    let tr = ctx.tr();
    let page = DisclosurePage {
        layout: ctx.layout(tr.get("disclosure-title")),
        id: id.0,
        compiled_at: time_text(tr, d.compiled_at),
        facts: all_facts(tr, &d),
        tables: disclosure_tables(tr, &d),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /persons/{id}/disclosure.json`: the disclosure document.
pub async fn disclosure_json(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let (id, d) = disclosure_of(&state, &ctx, &id).await?;
    let body = serde_json::to_vec_pretty(&d.document()).map_err(|_| PageError::server_error(&ctx))?;
    Ok(download(body, "application/json", &format!("disclosure-{}.json", id.0)))
}

/// `GET /persons/{id}/disclosure.zip`: the disclosure document as JSON, and each part as a CSV
/// file with the page's headings and wording (UTF-8 with BOM, for Excel).
pub async fn disclosure_zip(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let (id, d) = disclosure_of(&state, &ctx, &id).await?;
    let actor = ctx.require_account()?;
    let files = state.app.disclosure_files(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let tr = ctx.tr();
    let build = || -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("disclosure.json", options)?;
        zip.write_all(&serde_json::to_vec_pretty(&d.document())?)?;
        let csv = |headings: Vec<String>, rows: Vec<Vec<String>>| tsunagu_app::export::table_csv(&headings, &rows);
        let facts = all_facts(tr, &d).into_iter().map(|(k, v)| vec![k, v]).collect();
        zip.start_file("person.csv", options)?;
        zip.write_all(&csv(vec![tr.get("col-item"), tr.get("col-value")], facts)?)?;
        for table in disclosure_tables(tr, &d) {
            zip.start_file(format!("{}.csv", table.file), options)?;
            zip.write_all(&csv(table.headings, table.rows)?)?;
        }
        for (document, content) in &files {
            zip.start_file(tsunagu_app::disclosure::DocumentSection::zip_path(document), options)?;
            zip.write_all(content)?;
        }
        Ok(zip.finish()?.into_inner())
    };
    let body = build().map_err(|e| {
        tracing::error!(error = %e, "disclosure archive failed");
        PageError::server_error(&ctx)
    })?;
    Ok(download(body, "application/zip", &format!("disclosure-{}.zip", id.0)))
}

// ---------------------------------------------------------------------------------------------
// Editing

#[derive(Template)]
#[template(path = "person_edit.html")]
struct PersonEditPage {
    layout: Layout,
    id: Uuid,
    version: i64,
    errors: Vec<(String, String)>,
    conflict: Option<Vec<(String, String, String)>>,
    p: PersonFieldset,
}

/// `GET /persons/{id}/edit`: the form, for those who may change the record (the read is audited).
pub async fn edit_person(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_person(&ctx, &id)?;
    let audited = match state.app.open_person(actor, id, None).await {
        Ok(audited) => audited,
        Err(AppError::Denied(denial)) => return Err(denied_response(&ctx, id, denial)),
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    let view = audited.confirmed().await.map_err(|e| PageError::of(&ctx, e))?;
    if !view.writable {
        return Err(PageError::forbidden(&ctx));
    }
    let tr = ctx.tr();
    let input = PersonInput::from_fields(&view.person.fields);
    let page = PersonEditPage {
        layout: ctx.layout(tr.get("person-edit-title")),
        id: id.0,
        version: view.person.version,
        errors: Vec::new(),
        conflict: None,
        p: person_fieldset(
            tr,
            &input,
            &Problems::new(),
            view.writes.contains(&DataCategory::Disability),
            view.writes.contains(&DataCategory::Health),
        ),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /persons/{id}/edit`
pub async fn update_person(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<PersonForm>,
) -> PageResult {
    let input = form.person();
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_person(&ctx, &id)?;
    let version = form.version.as_deref().and_then(|v| v.parse::<i64>().ok());
    let version = version.ok_or_else(|| PageError::bad_request(&ctx))?;
    let health = form.health_notes.is_some();
    let disability = !form.categories.is_empty();
    let tr = ctx.tr();
    let page = |version: i64, problems: &Problems, conflict: Option<Vec<(String, String, String)>>| PersonEditPage {
        layout: ctx.layout(tr.get("person-edit-title")),
        id: id.0,
        version,
        errors: person_errors(tr, problems),
        conflict,
        p: person_fieldset(tr, &input, problems, disability, health),
    };
    match state.app.edit_person(actor, id, version, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page(version, &problems, None)))
        }
        Err(AppError::PersonConflict(current)) => {
            // The form was valid (the conflict is found after validation).
            let today = state.app.today();
            let submitted = input.validate(today).unwrap_or_else(|_| current.fields.clone());
            let (theirs, mine) = (PersonInput::from_fields(&current.fields), PersonInput::from_fields(&submitted));
            let rows = tsunagu_app::persons::person_changes(&current.fields, &submitted)
                .into_iter()
                .filter(|f| health || f != "health_notes")
                .map(|f| (field_label(tr, &f), conflict_value(&theirs, &f), conflict_value(&mine, &f)))
                .collect();
            Ok(render(StatusCode::CONFLICT, &page(current.version, &Problems::new(), Some(rows))))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// A field's value in a form, as the conflict table shows it.
fn conflict_value(i: &PersonInput, field: &str) -> String {
    match field {
        "name" => i.name.clone(),
        "name_kana" => i.name_kana.clone(),
        "birth_date" => i.birth_date.clone(),
        "phone" => i.phone.clone(),
        "email" => i.email.clone(),
        "address" => i.address.clone(),
        "categories" => i.categories.join(", "),
        "certificates" => i.certificates.join(", "),
        "accommodations" => i.accommodations.clone(),
        "health_notes" => i.health_notes.clone(),
        "preferred_hours" => i.preferred_hours.clone(),
        "preferred_area" => i.preferred_area.clone(),
        "emergency_contact" => i.emergency_contact.clone(),
        "emergency_phone" => i.emergency_phone.clone(),
        _ => String::new(),
    }
}

/// 担当ケース_<agency>_<date>.<extension>.
async fn caseload_file_name(state: &AppState, actor: &tsunagu_domain::account::Account, extension: &str) -> String {
    let index = state.app.directory().await.ok();
    let agency = actor.agency.and_then(|a| index.as_ref()?.agency(a).map(|l| l.name.clone())).unwrap_or_default();
    file_name(&["担当ケース", &agency], state.app.today(), extension)
}

/// `GET /persons/export.csv`: the whole caseload as CSV (UTF-8 with BOM).
pub async fn export_caseload_csv(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let actor = ctx.require_account()?;
    let bytes = state.app.export_caseload(actor, false).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(download(bytes, "text/csv; charset=utf-8", &caseload_file_name(&state, actor, "csv").await))
}

/// `GET /persons/export.xlsx`: the whole caseload as an Excel workbook.
pub async fn export_caseload_xlsx(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let actor = ctx.require_account()?;
    let bytes = state.app.export_caseload(actor, true).await.map_err(|e| PageError::of(&ctx, e))?;
    let name = caseload_file_name(&state, actor, "xlsx").await;
    Ok(download(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &name))
}
