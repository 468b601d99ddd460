//! The persons part of the JSON API: the caseload, registration with consent, a person's record
//! as the access policy lets the caller see it, consents, and the disclosure.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_app::persons::{CASELOAD_PAGE, CaseloadFilter, DueFilter, NewPerson, PersonView};
use tsunagu_domain::consent::ConsentId;
use tsunagu_domain::consent::ConsentInput;
use tsunagu_domain::journey::Stage;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::person::PersonInput;
use tsunagu_store::CaseloadSort;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::i18n::Lang;
use crate::web::session::{PersonsReader, PersonsWriter};

use crate::api::{ApiResult, app_err, parse_id, schema};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_persons, create_person))
        .routes(routes!(get_person))
        .routes(routes!(create_consent))
        .routes(routes!(revoke_consent))
        .routes(routes!(get_disclosure))
}

/// A line of the caseload.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseloadEntryDto {
    id: Uuid,
    name: String,
    name_kana: String,
    birth_date: String,
    opened_on: String,
    /// The journey's current stage code.
    stage: Option<String>,
    /// The date of the agency's latest support record.
    last_contact_on: Option<String>,
    next_action: Option<String>,
    next_action_on: Option<String>,
}

/// A next action due within a week, or overdue.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueActionDto {
    person_id: Uuid,
    name: String,
    action: String,
    due_on: String,
}

/// A page of the caller's caseload.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseloadDto {
    items: Vec<CaseloadEntryDto>,
    total: u64,
    /// Next actions due within a week or overdue, earliest first.
    due: Vec<DueActionDto>,
    page: u32,
    page_size: u32,
}

/// Caseload paging, search, filters and order (the page's form sends the same).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseloadParams {
    /// 1-based page (0 reads as 1).
    #[param(minimum = 0, maximum = 4294967295_u64)]
    pub page: Option<u32>,
    /// Part of a name or reading (hiragana or katakana, either width).
    pub q: Option<String>,
    /// A stage code (`job_search` …), or `none` for persons with no stage yet; empty for all.
    #[param(
        pattern = "^(|intake|assessment|preparation|job_search|trial_employment|employed|retention|on_leave|return_to_work|separated|welfare_transition|closed|none)$"
    )]
    pub stage: Option<String>,
    /// `overdue`, or `week`: overdue or due within 7 days (next actions, follow-ups, plan reviews).
    #[param(pattern = "^(|overdue|week)$")]
    pub due: Option<String>,
    /// `reading` (the default), `birth_date`, `stage`, `last_contact` (most recent first) or
    /// `next_action` (soonest first).
    #[param(pattern = "^(|reading|birth_date|stage|last_contact|next_action)$")]
    pub sort: Option<String>,
}

/// The sort codes, in the order the page offers them.
pub const CASELOAD_SORTS: [(&str, CaseloadSort); 5] = [
    ("reading", CaseloadSort::Reading),
    ("birth_date", CaseloadSort::BirthDate),
    ("stage", CaseloadSort::Stage),
    ("last_contact", CaseloadSort::LastContact),
    ("next_action", CaseloadSort::NextAction),
];

impl CaseloadParams {
    /// The filter these ask for, or the name of the parameter that holds an unknown value.
    pub fn filter(&self) -> Result<CaseloadFilter, &'static str> {
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let stage = match given(&self.stage).as_deref() {
            None => None,
            Some("none") => Some(None),
            Some(code) => Some(Some(Stage::parse(code).ok_or("stage")?)),
        };
        let due = match given(&self.due).as_deref() {
            None => None,
            Some("overdue") => Some(DueFilter::Overdue),
            Some("week") => Some(DueFilter::ThisWeek),
            Some(_) => return Err("due"),
        };
        let sort = match given(&self.sort).as_deref() {
            None => CaseloadSort::Reading,
            Some(code) => CASELOAD_SORTS.iter().find(|(c, _)| *c == code).map(|(_, s)| *s).ok_or("sort")?,
        };
        Ok(CaseloadFilter { text: self.q.clone().unwrap_or_default(), stage, due, sort })
    }
}

/// The persons with an open case at the caller's agency (casework staff).
#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", operation_id = "list_persons",
    params(CaseloadParams),
    responses((status = 200, body = CaseloadDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "A stage, due or sort code the list does not know.")))]
async fn list_persons(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Query(p): Query<CaseloadParams>,
) -> ApiResult<Json<CaseloadDto>> {
    let page = p.page.unwrap_or(1).max(1);
    let filter = p.filter().map_err(|field| {
        let mut problems = tsunagu_domain::Problems::new();
        problems.add(field, "unknown_value");
        ApiError::invalid(lang, &problems)
    })?;
    let caseload = state.app.caseload(&actor, &filter, page).await.map_err(app_err(lang))?;
    Ok(Json(CaseloadDto {
        items: caseload
            .entries
            .into_iter()
            .map(|e| {
                let (next_action, next_action_on) = match e.next_action {
                    Some((action, on)) => (Some(action), on.map(|d| d.to_string())),
                    None => (None, None),
                };
                CaseloadEntryDto {
                    id: e.person.0,
                    name: e.name,
                    name_kana: e.name_kana,
                    birth_date: e.birth_date.to_string(),
                    opened_on: e.opened_on.to_string(),
                    stage: e.stage.map(|s| s.code().to_owned()),
                    last_contact_on: e.last_contact_on.map(|d| d.to_string()),
                    next_action,
                    next_action_on,
                }
            })
            .collect(),
        total: caseload.total,
        due: caseload
            .due
            .into_iter()
            .map(|d| DueActionDto {
                person_id: d.person.0,
                name: d.name,
                action: d.action,
                due_on: d.due_on.to_string(),
            })
            .collect(),
        page,
        page_size: CASELOAD_PAGE,
    }))
}

/// The consent given at registration, to the registering agency. Fields left out read as empty,
/// and the answer names each one that is required.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct RegistrationConsentDto {
    /// `support` is always among them.
    #[serde(default)]
    #[schema(required, schema_with = schema::purposes)]
    purposes: Vec<String>,
    /// `basic` and `disability` are always among them.
    #[serde(default)]
    #[schema(required, schema_with = schema::data_categories)]
    categories: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = schema::valid_to)]
    valid_to: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::registration_evidence)]
    evidence: String,
    /// Where the form is kept, or who witnessed.
    #[serde(default)]
    #[schema(required, max_length = 500)]
    evidence_note: String,
}

/// A person to register: their data and the consent they gave first. Fields left out read as
/// empty, and the answer names each one that is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PersonInputDto {
    #[serde(default)]
    #[schema(required, max_length = 100)]
    name: String,
    /// Reading in hiragana or katakana.
    #[serde(default)]
    #[schema(required, schema_with = schema::person_kana)]
    name_kana: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::birth_date)]
    birth_date: String,
    #[serde(default)]
    #[schema(schema_with = schema::phone)]
    phone: String,
    #[serde(default)]
    #[schema(schema_with = schema::email)]
    email: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    address: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::disability_categories)]
    categories: Vec<String>,
    #[serde(default)]
    #[schema(schema_with = schema::certificates)]
    certificates: Vec<String>,
    /// 合理的配慮.
    #[serde(default)]
    #[schema(max_length = 4000)]
    accommodations: String,
    /// Needs `health` among the consent's categories.
    #[serde(default)]
    #[schema(max_length = 4000)]
    health_notes: String,
    /// Weekly hours, 1–60; empty when not known.
    #[serde(default)]
    #[schema(pattern = "^([1-9]|[1-5][0-9]|60)?$")]
    preferred_hours: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    preferred_area: String,
    /// Whom to call in an emergency, and who they are to the person (母 山田花子).
    #[serde(default)]
    #[schema(max_length = 100)]
    emergency_contact: String,
    /// Needs `emergency_contact`.
    #[serde(default)]
    #[schema(schema_with = schema::phone)]
    emergency_phone: String,
    #[serde(default)]
    #[schema(required)]
    consent: RegistrationConsentDto,
    /// Register even though a person with the same reading and birth date exists (the records
    /// are linked).
    #[serde(default)]
    confirm_duplicate: bool,
}

/// A created record's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedDto {
    pub(crate) id: Uuid,
}

/// Register a person with the consent they gave (casework staff; tokens need `persons_write`).
/// A possible duplicate answers 409 with `possible_duplicate` until `confirm_duplicate` is true.
#[utoipa::path(post, path = "/api/v1/persons", tag = "persons", operation_id = "create_person",
    request_body = PersonInputDto,
    responses((status = 201, body = CreatedDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_person(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Json(d): Json<PersonInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let new = NewPerson {
        person: PersonInput {
            name: d.name,
            name_kana: d.name_kana,
            birth_date: d.birth_date,
            phone: d.phone,
            email: d.email,
            address: d.address,
            categories: d.categories,
            certificates: d.certificates,
            accommodations: d.accommodations,
            health_notes: d.health_notes,
            preferred_hours: d.preferred_hours,
            preferred_area: d.preferred_area,
            emergency_contact: d.emergency_contact,
            emergency_phone: d.emergency_phone,
        },
        purposes: d.consent.purposes,
        categories: d.consent.categories,
        valid_to: d.consent.valid_to,
        evidence: d.consent.evidence,
        evidence_note: d.consent.evidence_note,
        confirm_duplicate: d.confirm_duplicate,
    };
    let id = state.app.register_person(&actor, &new).await.map_err(|e| match e {
        tsunagu_app::AppError::Invalid(p) => {
            ApiError::invalid(lang, &p.renamed("consent_categories", "consent.categories"))
        }
        other => ApiError::from_app(lang, other),
    })?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: id.0 })))
}

/// A case at an agency.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDto {
    agency_id: Uuid,
    opened_on: String,
    closed_on: Option<String>,
}

/// A consent in the ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentDto {
    id: Uuid,
    /// `agency`, `block` or `employer`.
    recipient_kind: String,
    recipient_id: String,
    purposes: Vec<String>,
    categories: Vec<String>,
    valid_from: String,
    valid_to: Option<String>,
    /// RFC 3339, when withdrawn.
    revoked_at: Option<String>,
    evidence: String,
}

/// A person as the caller may see them. Categories the caller may not read are absent and
/// listed in `withheld` with the reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDto {
    id: Uuid,
    version: i64,
    name: String,
    name_kana: String,
    birth_date: String,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
    preferred_hours: Option<u8>,
    preferred_area: Option<String>,
    emergency_contact: Option<String>,
    emergency_phone: Option<String>,
    /// Present when the caller may read disability data.
    categories: Option<Vec<String>>,
    certificates: Option<Vec<String>>,
    /// 重度 derived from the certificates.
    severe: Option<bool>,
    accommodations: Option<String>,
    /// Present when the caller holds a consent covering health data (or is the person).
    health_notes: Option<String>,
    /// `category: reason` for each category not shown.
    withheld: Vec<WithheldDto>,
    cases: Vec<CaseDto>,
    consents: Vec<ConsentDto>,
}

/// A category not shown, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct WithheldDto {
    category: String,
    reason: String,
}

pub(crate) fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

impl From<PersonView> for PersonDto {
    fn from(v: PersonView) -> Self {
        use tsunagu_domain::consent::DataCategory;
        let disability = v.shows(DataCategory::Disability);
        let health = v.shows(DataCategory::Health);
        let f = v.person.fields;
        Self {
            id: v.person.id.0,
            version: v.person.version,
            name: f.name,
            name_kana: f.name_kana,
            birth_date: f.birth_date.to_string(),
            phone: f.phone,
            email: f.email,
            address: f.address,
            preferred_hours: f.preferred_hours,
            preferred_area: f.preferred_area,
            emergency_contact: f.emergency_contact,
            emergency_phone: f.emergency_phone,
            categories: disability.then(|| f.categories.iter().map(|c| c.code().to_owned()).collect()),
            certificates: disability.then(|| f.certificates.iter().map(|c| c.code()).collect()),
            severe: disability.then(|| f.certificates.iter().any(|c| c.is_severe())),
            accommodations: if disability { f.accommodations } else { None },
            health_notes: if health { f.health_notes } else { None },
            withheld: v
                .withheld
                .iter()
                .map(|(c, d)| WithheldDto { category: c.code().to_owned(), reason: d.code().to_owned() })
                .collect(),
            cases: v
                .cases
                .iter()
                .map(|c| CaseDto {
                    agency_id: c.agency.0,
                    opened_on: c.opened_on.to_string(),
                    closed_on: c.closed_on.map(|d| d.to_string()),
                })
                .collect(),
            consents: v
                .consents
                .iter()
                .map(|r| {
                    let (kind, id) = r.consent.recipient.parts();
                    ConsentDto {
                        id: r.consent.id.0,
                        recipient_kind: kind.to_owned(),
                        recipient_id: id,
                        purposes: r.consent.purposes.iter().map(|p| p.code().to_owned()).collect(),
                        categories: r.consent.categories.iter().map(|c| c.code().to_owned()).collect(),
                        valid_from: r.consent.valid_from.to_string(),
                        valid_to: r.consent.valid_to.map(|d| d.to_string()),
                        revoked_at: r.consent.revoked_at.map(rfc3339),
                        evidence: r.evidence.code().to_owned(),
                    }
                })
                .collect(),
        }
    }
}

/// Read a person, as far as the access policy allows the caller; the read is audited. A refusal
/// answers 403 with `denial_<reason>` and is audited too.
#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons", operation_id = "get_person",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = PersonDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_person(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonDto>> {
    let id = PersonId(parse_id(lang, &id)?);
    let audited = state.app.open_person(&actor, id, None).await.map_err(app_err(lang))?;
    audited.then(async |view| Json(PersonDto::from(view))).await.map_err(app_err(lang))
}

/// A consent to record. Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ConsentInputDto {
    #[serde(default)]
    #[schema(required, schema_with = schema::recipient_kind)]
    recipient_kind: String,
    /// Agency or employer id (an employer may also be named by 法人番号), or block code.
    #[serde(default)]
    #[schema(required)]
    recipient_id: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::purposes)]
    purposes: Vec<String>,
    #[serde(default)]
    #[schema(required, schema_with = schema::data_categories)]
    categories: Vec<String>,
    #[serde(default)]
    #[schema(required, schema_with = schema::valid_from)]
    valid_from: String,
    #[serde(default)]
    #[schema(schema_with = schema::valid_to)]
    valid_to: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::evidence)]
    evidence: String,
    /// Where the paper form is kept, or who witnessed verbal consent (required for those two).
    #[serde(default)]
    #[schema(max_length = 500)]
    evidence_note: String,
}

/// Record a consent the person gave (their supporters, or the person in their own account).
#[utoipa::path(post, path = "/api/v1/persons/{id}/consents", tag = "persons", operation_id = "create_consent",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = ConsentInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn create_consent(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<ConsentInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let input = ConsentInput {
        recipient_kind: d.recipient_kind,
        recipient_id: d.recipient_id,
        purposes: d.purposes,
        categories: d.categories,
        valid_from: d.valid_from,
        valid_to: d.valid_to,
        evidence: d.evidence,
        evidence_note: d.evidence_note,
    };
    let consent = state.app.record_consent(&actor, id, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: consent.0 })))
}

/// Record the withdrawal of a consent: from the next request on nothing relies on it.
#[utoipa::path(post, path = "/api/v1/persons/{id}/consents/{consent}/revoke", tag = "persons",
    operation_id = "revoke_consent",
    params(("id" = Uuid, Path, description = "Person id"), ("consent" = Uuid, Path, description = "Consent id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn revoke_consent(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path((id, consent)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let id = PersonId(parse_id(lang, &id)?);
    let consent = ConsentId(parse_id(lang, &consent)?);
    state.app.revoke_consent(&actor, id, consent).await.map_err(app_err(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everything held about the person (開示): for the person, or an administrator answering a
/// request. The same document as `/persons/{id}/disclosure.json`.
#[utoipa::path(get, path = "/api/v1/persons/{id}/disclosure", tag = "persons", operation_id = "get_disclosure",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, description = "The person, cases, consents, provisions and audit entries"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn get_disclosure(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let id = PersonId(parse_id(lang, &id)?);
    let d = state.app.disclosure(&actor, id).await.map_err(app_err(lang))?;
    let value = serde_json::to_value(d.document())
        .map_err(|_| ApiError::simple(lang, StatusCode::INTERNAL_SERVER_ERROR, "server"))?;
    Ok(Json(value))
}
