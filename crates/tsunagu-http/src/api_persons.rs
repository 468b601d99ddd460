//! The persons part of the JSON API: the caseload, registration with consent, a person's record
//! as the access policy lets the caller see it, consents, and the disclosure.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_app::persons::{CASELOAD_PAGE, NewPerson, PersonView};
use tsunagu_domain::consent::ConsentId;
use tsunagu_domain::consent::ConsentInput;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::person::PersonInput;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::auth::{PersonsReader, PersonsWriter};
use crate::error::{ApiError, ErrorBody};
use crate::i18n::Lang;

type ApiResult<T> = Result<T, ApiError>;

/// The persons routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_persons, create_person))
        .routes(routes!(get_person))
        .routes(routes!(create_consent))
        .routes(routes!(revoke_consent))
        .routes(routes!(get_disclosure))
        .routes(routes!(get_timeline))
        .routes(routes!(create_support_record))
        .routes(routes!(change_stage))
        .routes(routes!(create_plan))
        .routes(routes!(review_plan))
        .routes(routes!(complete_follow_up))
        .routes(routes!(send_referral))
        .routes(routes!(list_referrals))
        .routes(routes!(move_referral))
        .routes(routes!(import_persons))
        .routes(routes!(import_support_records))
}

fn app_err(lang: Lang) -> impl Fn(tsunagu_app::AppError) -> ApiError {
    move |e| ApiError::from_app(lang, e)
}

fn parse_id(lang: Lang, raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| ApiError::simple(lang, StatusCode::NOT_FOUND, "not_found"))
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

/// Caseload paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseloadParams {
    /// 1-based page.
    page: Option<u32>,
}

/// The persons with an open case at the caller's agency (casework staff).
#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", operation_id = "list_persons",
    params(CaseloadParams),
    responses((status = 200, body = CaseloadDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_persons(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Query(p): Query<CaseloadParams>,
) -> ApiResult<Json<CaseloadDto>> {
    let page = p.page.unwrap_or(1).max(1);
    let caseload = state.app.caseload(&actor, page).await.map_err(app_err(lang))?;
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

/// The consent given at registration, to the registering agency.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct RegistrationConsentDto {
    /// Purpose codes: `support` (required), `referral`, `placement`, `retention`.
    purposes: Vec<String>,
    /// Data category codes: `basic` and `disability` (required), `support`, `health`, `assessment`.
    categories: Vec<String>,
    /// Last day (YYYY-MM-DD); empty for "until withdrawn".
    valid_to: String,
    /// `paper_form` or `verbal`.
    evidence: String,
    /// Where the form is kept, or who witnessed.
    evidence_note: String,
}

/// A person to register: their data and the consent they gave first.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PersonInputDto {
    name: String,
    /// Reading in hiragana or katakana.
    name_kana: String,
    /// YYYY-MM-DD.
    birth_date: String,
    phone: String,
    email: String,
    address: String,
    /// Disability category codes (`physical`, `intellectual`, `mental`, `developmental`,
    /// `higher_brain_dysfunction`, `intractable_disease`).
    categories: Vec<String>,
    /// Certificates as `physical:2`, `ai_no_techo:3`, `ryoiku:A`, `mental:1`.
    certificates: Vec<String>,
    /// 合理的配慮.
    accommodations: String,
    /// Needs `health` among the consent's categories.
    health_notes: String,
    /// Weekly hours, 1–60.
    preferred_hours: String,
    preferred_area: String,
    consent: RegistrationConsentDto,
    /// Register even though a person with the same reading and birth date exists (the records
    /// are linked).
    confirm_duplicate: bool,
}

/// A created record's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedDto {
    id: Uuid,
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

fn rfc3339(t: time::OffsetDateTime) -> String {
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

/// A consent to record.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ConsentInputDto {
    /// `agency`, `block` or `employer`.
    recipient_kind: String,
    /// Agency or employer id (an employer may also be named by 法人番号), or block code.
    recipient_id: String,
    purposes: Vec<String>,
    categories: Vec<String>,
    /// YYYY-MM-DD.
    valid_from: String,
    valid_to: String,
    /// `paper_form`, `verbal`, or (from the person's own account) `own_account`.
    evidence: String,
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

/// One event of a timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEventDto {
    /// `stage` or `support`.
    event: String,
    /// The day it happened.
    date: String,
    agency_id: Uuid,
    /// For `stage`: the stage code.
    stage: Option<String>,
    /// For `stage`: why.
    reason: Option<String>,
    /// For `support`: the kind code.
    kind: Option<String>,
    minutes: Option<u32>,
    staff_name: Option<String>,
    note: Option<String>,
    next_action: Option<String>,
    next_action_on: Option<String>,
}

/// A person's journey as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineDto {
    /// The current stage code, if any.
    stage: Option<String>,
    /// Newest first.
    events: Vec<TimelineEventDto>,
    /// Support records of other agencies not shown (no consent covers them).
    hidden: usize,
    /// Retention follow-ups, by due date.
    follow_ups: Vec<FollowUpDto>,
    /// Support plans with their reviews, newest first.
    plans: Vec<PlanDto>,
}

/// A retention follow-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpDto {
    id: Uuid,
    agency_id: Uuid,
    placed_on: String,
    due_on: String,
    done_on: Option<String>,
}

/// A support plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDto {
    id: Uuid,
    agency_id: Uuid,
    goal: String,
    actions: String,
    owner: String,
    /// The next review, while the plan is open.
    review_on: Option<String>,
    /// `achieved` or `ended` once the plan ended.
    outcome: Option<String>,
    reviews: Vec<PlanReviewDto>,
}

/// A review of a support plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanReviewDto {
    reviewed_on: String,
    note: String,
    /// `continue`, `revise`, `achieved` or `ended`.
    outcome: String,
    next_review_on: Option<String>,
}

/// The person's journey: stage changes and the support records the caller may see.
#[utoipa::path(get, path = "/api/v1/persons/{id}/timeline", tag = "persons", operation_id = "get_timeline",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = TimelineDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_timeline(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<TimelineDto>> {
    use tsunagu_app::journey::TimelineEvent;
    let id = PersonId(parse_id(lang, &id)?);
    let t = state.app.timeline(&actor, id).await.map_err(app_err(lang))?;
    let events = t
        .events
        .into_iter()
        .map(|e| match e {
            TimelineEvent::Stage(s) => TimelineEventDto {
                event: "stage".into(),
                date: s.on.to_string(),
                agency_id: s.agency.0,
                stage: Some(s.stage.code().to_owned()),
                reason: Some(s.reason),
                kind: None,
                minutes: None,
                staff_name: None,
                note: None,
                next_action: None,
                next_action_on: None,
            },
            TimelineEvent::Support(r) => TimelineEventDto {
                event: "support".into(),
                date: r.fields.date.to_string(),
                agency_id: r.agency.0,
                stage: None,
                reason: None,
                kind: Some(r.fields.kind.code().to_owned()),
                minutes: Some(r.fields.minutes),
                staff_name: Some(r.staff_name),
                note: Some(r.fields.note),
                next_action: r.fields.next_action,
                next_action_on: r.fields.next_action_on.map(|d| d.to_string()),
            },
        })
        .collect();
    let follow_ups = t
        .follow_ups
        .iter()
        .map(|f| FollowUpDto {
            id: f.id,
            agency_id: f.agency.0,
            placed_on: f.placed_on.to_string(),
            due_on: f.due_on.to_string(),
            done_on: f.done.map(|(on, _)| on.to_string()),
        })
        .collect();
    let plans = t
        .plans
        .iter()
        .map(|p| PlanDto {
            id: p.id,
            agency_id: p.agency.0,
            goal: p.fields.goal.clone(),
            actions: p.fields.actions.clone(),
            owner: p.fields.owner.clone(),
            review_on: p.review_on.map(|d| d.to_string()),
            outcome: p.outcome.map(|o| o.code().to_owned()),
            reviews: p
                .reviews
                .iter()
                .map(|r| PlanReviewDto {
                    reviewed_on: r.reviewed_on.to_string(),
                    note: r.fields.note.clone(),
                    outcome: r.fields.outcome.code().to_owned(),
                    next_review_on: r.fields.next_review_on.map(|d| d.to_string()),
                })
                .collect(),
        })
        .collect();
    Ok(Json(TimelineDto { stage: t.stage.map(|s| s.code().to_owned()), events, hidden: t.hidden, follow_ups, plans }))
}

/// A support record to write.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SupportInputDto {
    /// `consultation`, `workplace_visit`, `accompaniment`, `phone`, `online`, `case_conference`,
    /// `assessment`, `written`, `home_visit` (or the Japanese name).
    kind: String,
    /// YYYY-MM-DD, not in the future.
    date: String,
    /// 1–720.
    minutes: String,
    note: String,
    next_action: String,
    /// YYYY-MM-DD, on or after `date`.
    next_action_on: String,
}

/// Write a support record as the caller's agency.
#[utoipa::path(post, path = "/api/v1/persons/{id}/support-records", tag = "persons",
    operation_id = "create_support_record",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = SupportInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn create_support_record(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<SupportInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let input = tsunagu_domain::journey::SupportInput {
        kind: d.kind,
        date: d.date,
        minutes: d.minutes,
        note: d.note,
        next_action: d.next_action,
        next_action_on: d.next_action_on,
    };
    let record = state.app.add_support_record(&actor, id, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: record })))
}

/// A stage change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct StageChangeDto {
    /// The new stage code.
    stage: String,
    /// Since (YYYY-MM-DD).
    on: String,
    reason: String,
    /// The stage the client last read (omit or null before the first): a change made meanwhile
    /// answers 409 `stage_moved`.
    current: Option<String>,
}

/// Move the journey to a stage; a move the rules forbid answers 422 `transition_refused`, naming
/// the stages allowed next.
#[utoipa::path(post, path = "/api/v1/persons/{id}/stage", tag = "persons", operation_id = "change_stage",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = StageChangeDto,
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn change_stage(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<StageChangeDto>,
) -> ApiResult<StatusCode> {
    let id = PersonId(parse_id(lang, &id)?);
    let current = d.current.as_deref().and_then(tsunagu_domain::journey::Stage::parse);
    state.app.change_stage(&actor, id, &d.stage, &d.on, &d.reason, current).await.map_err(app_err(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A support plan to make.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PlanInputDto {
    goal: String,
    /// One per line.
    actions: String,
    owner: String,
    /// YYYY-MM-DD, not in the past.
    review_on: String,
}

/// Make a support plan as the caller's agency.
#[utoipa::path(post, path = "/api/v1/persons/{id}/plans", tag = "persons", operation_id = "create_plan",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = PlanInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn create_plan(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<PlanInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let input =
        tsunagu_domain::plan::PlanInput { goal: d.goal, actions: d.actions, owner: d.owner, review_on: d.review_on };
    let plan = state.app.create_plan(&actor, id, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: plan })))
}

/// A review of a support plan.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReviewInputDto {
    note: String,
    /// `continue`, `revise`, `achieved` or `ended`.
    outcome: String,
    /// YYYY-MM-DD; required when the plan continues or is revised, empty when it ends.
    next_review_on: String,
}

/// Record a review of an open support plan.
#[utoipa::path(post, path = "/api/v1/persons/{id}/plans/{plan}/review", tag = "persons", operation_id = "review_plan",
    params(("id" = Uuid, Path, description = "Person id"), ("plan" = Uuid, Path, description = "Plan id")),
    request_body = ReviewInputDto,
    responses((status = 204), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn review_plan(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path((id, plan)): Path<(String, String)>,
    Json(d): Json<ReviewInputDto>,
) -> ApiResult<StatusCode> {
    let id = PersonId(parse_id(lang, &id)?);
    let plan = parse_id(lang, &plan)?;
    let input =
        tsunagu_domain::plan::ReviewInput { note: d.note, outcome: d.outcome, next_review_on: d.next_review_on };
    state.app.review_plan(&actor, id, plan, &input).await.map_err(|e| match e {
        tsunagu_app::AppError::Invalid(p) => ApiError::invalid(lang, &p.renamed("review_note", "note")),
        other => ApiError::from_app(lang, other),
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark a retention follow-up done today.
#[utoipa::path(post, path = "/api/v1/persons/{id}/follow-ups/{follow_up}/done", tag = "persons",
    operation_id = "complete_follow_up",
    params(("id" = Uuid, Path, description = "Person id"), ("follow_up" = Uuid, Path, description = "Follow-up id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn complete_follow_up(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path((id, follow_up)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let id = PersonId(parse_id(lang, &id)?);
    let follow_up = parse_id(lang, &follow_up)?;
    state.app.complete_follow_up(&actor, id, follow_up).await.map_err(app_err(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A referral to send.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReferralInputDto {
    /// The receiving agency's id; the person must have consented to referral to it (or its block).
    to_agency: String,
    /// What is asked of the receiver, and why.
    note: String,
}

/// Refer the person to another agency (on the person's consent to referral to it).
#[utoipa::path(post, path = "/api/v1/persons/{id}/referrals", tag = "referrals", operation_id = "send_referral",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = ReferralInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn send_referral(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<ReferralInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let referral = state.app.send_referral(&actor, id, &d.to_agency, &d.note).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: referral })))
}

/// A referral as the lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralDto {
    id: Uuid,
    person_id: Uuid,
    person_name: String,
    from_agency: Uuid,
    to_agency: Uuid,
    note: String,
    /// `sent`, `accepted`, `declined`, `done` or `revoked`.
    state: String,
    /// The receiver's reason for declining.
    reason: Option<String>,
    /// RFC 3339.
    updated_at: String,
}

/// A notice that a referral reached or changed state.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeDto {
    referral_id: Uuid,
    state: String,
    /// RFC 3339.
    created_at: String,
    /// False for notices not seen before this call.
    read: bool,
}

/// The caller's agency's referrals and notices.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralsDto {
    received: Vec<ReferralDto>,
    sent: Vec<ReferralDto>,
    notices: Vec<NoticeDto>,
}

/// The referrals the caller's agency received and sent, newest change first, with its notices
/// (marked read by this call).
#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals", operation_id = "list_referrals",
    responses((status = 200, body = ReferralsDto), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_referrals(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
) -> ApiResult<Json<ReferralsDto>> {
    let list = state.app.referrals(&actor).await.map_err(app_err(lang))?;
    let dto = |l: &tsunagu_store::ReferralListing| {
        let r = &l.referral;
        ReferralDto {
            id: r.id,
            person_id: r.person.0,
            person_name: l.person_name.clone(),
            from_agency: r.from.0,
            to_agency: r.to.0,
            note: r.note.clone(),
            state: r.state.code().to_owned(),
            reason: r.reason.clone(),
            updated_at: rfc3339(r.updated_at),
        }
    };
    Ok(Json(ReferralsDto {
        received: list.received.iter().map(dto).collect(),
        sent: list.sent.iter().map(dto).collect(),
        notices: list
            .notices
            .iter()
            .map(|n| NoticeDto {
                referral_id: n.referral,
                state: n.state.code().to_owned(),
                created_at: rfc3339(n.created_at),
                read: n.read_at.is_some(),
            })
            .collect(),
    }))
}

/// A move of a referral.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReferralMoveDto {
    /// Required when declining.
    reason: String,
}

/// Move a referral: `accept`, `decline` (with a reason) or `complete` as the receiver; `revoke` as
/// the sender while open. A move the rules forbid answers 409 `referral_move`.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/{move}", tag = "referrals", operation_id = "move_referral",
    params(("id" = Uuid, Path, description = "Referral id"),
        ("move" = String, Path, description = "accept, decline, complete or revoke")),
    request_body = ReferralMoveDto,
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn move_referral(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path((id, mv)): Path<(String, String)>,
    body: Option<Json<ReferralMoveDto>>,
) -> ApiResult<StatusCode> {
    let id = parse_id(lang, &id)?;
    let mv = tsunagu_domain::referral::ReferralMove::parse(&mv)
        .ok_or_else(|| ApiError::simple(lang, StatusCode::NOT_FOUND, "not_found"))?;
    let reason = body.map(|Json(b)| b.reason).unwrap_or_default();
    state.app.move_referral(&actor, id, mv, &reason).await.map_err(app_err(lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Options of a persons import.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PersonImportParams {
    /// Register rows whose reading and birth date match a person elsewhere in the network as
    /// other persons, linked to those records (never merged). Without it such rows are refused.
    #[serde(default)]
    link_duplicates: bool,
}

/// What a persons import wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonImportDto {
    /// Persons registered, each with their consent and a case at the caller's agency.
    registered: usize,
    /// Of those, persons linked to a record with the same reading and birth date elsewhere.
    linked: usize,
    /// Retention follow-ups scheduled for persons imported as employed.
    follow_ups: usize,
}

/// Register the persons of a CSV (UTF-8 or Shift_JIS) or XLSX file sent as the request body,
/// each with the consent the row records, at the caller's agency; all rows or none. The columns
/// are those of `/persons/import/persons.csv`.
#[utoipa::path(post, path = "/api/v1/persons/import", tag = "persons", operation_id = "import_persons",
    params(PersonImportParams),
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, body = PersonImportDto), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn import_persons(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Query(params): Query<PersonImportParams>,
    body: Bytes,
) -> ApiResult<Json<PersonImportDto>> {
    let o = state.app.import_persons(&actor, &body, params.link_duplicates).await.map_err(app_err(lang))?;
    Ok(Json(PersonImportDto { registered: o.registered, linked: o.linked, follow_ups: o.follow_ups }))
}

/// What a support-records import wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupportImportDto {
    /// Support records added.
    records: usize,
    /// Persons they belong to.
    persons: usize,
}

/// Add the support records of a CSV or XLSX file sent as the request body, as written by the
/// caller's agency, for persons on its caseload; all rows or none. The columns are those of
/// `/persons/import/support-records.csv`.
#[utoipa::path(post, path = "/api/v1/support-records/import", tag = "persons",
    operation_id = "import_support_records",
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, body = SupportImportDto), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn import_support_records(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    body: Bytes,
) -> ApiResult<Json<SupportImportDto>> {
    let o = state.app.import_support_records(&actor, &body).await.map_err(app_err(lang))?;
    Ok(Json(SupportImportDto { records: o.records, persons: o.persons }))
}
