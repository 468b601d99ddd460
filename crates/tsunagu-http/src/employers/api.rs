//! Employers in the JSON API: the search, one employer, adding and editing one, an agency's
//! link to it, and (for an employer's own account) the persons whose consent names it.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_app::employers::EMPLOYER_PAGE;
use tsunagu_domain::Problems;
use tsunagu_domain::employer::{Contact, Employer, EmployerId, EmployerInput};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id, schema};
use crate::employers::pages::ListQuery;
use crate::persons::api::rfc3339;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::i18n::Lang;
use crate::web::session::{EmployersReader, EmployersWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_employers, create_employer))
        .routes(routes!(get_employer, update_employer))
        .routes(routes!(link_employer))
        .routes(routes!(shared_persons))
}

/// An employer as the search lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerSummaryDto {
    id: Uuid,
    corporate_number: String,
    name: String,
    name_kana: String,
    /// 日本標準産業分類 major division letter.
    industry: String,
    regular_workers: u32,
    special_subsidiary: bool,
    accepts_interns: bool,
    municipality_code: Option<String>,
}

/// One page of employers.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerListDto {
    items: Vec<EmployerSummaryDto>,
    total: u64,
    page: u32,
    page_size: u32,
}

/// A person to call at an employer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactDto {
    name: String,
    phone: Option<String>,
    email: Option<String>,
}

/// An agency that developed or supports the employer.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerLinkDto {
    agency: Uuid,
    agency_name: String,
    /// `YYYY-MM-DD`.
    since: String,
}

/// An employer.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerDto {
    #[serde(flatten)]
    summary: EmployerSummaryDto,
    address: Option<String>,
    /// 採用担当.
    hiring_contact: Option<ContactDto>,
    /// 現場担当.
    workplace_contact: Option<ContactDto>,
    links: Vec<EmployerLinkDto>,
    /// Send it back to edit; an employer changed since answers 409.
    version: i64,
    /// RFC 3339.
    updated_at: String,
}

fn contact(c: &Option<Contact>) -> Option<ContactDto> {
    c.as_ref().map(|c| ContactDto { name: c.name.clone(), phone: c.phone.clone(), email: c.email.clone() })
}

fn dto(e: &Employer, links: Vec<EmployerLinkDto>) -> EmployerDto {
    let f = &e.fields;
    EmployerDto {
        summary: EmployerSummaryDto {
            id: e.id.0,
            corporate_number: f.corporate_number.to_string(),
            name: f.name.clone(),
            name_kana: f.name_kana.clone(),
            industry: f.industry.to_string(),
            regular_workers: f.regular_workers,
            special_subsidiary: f.special_subsidiary,
            accepts_interns: f.accepts_interns,
            municipality_code: f.municipality.as_ref().map(ToString::to_string),
        },
        address: f.address.clone(),
        hiring_contact: contact(&f.hiring_contact),
        workplace_contact: contact(&f.workplace_contact),
        links,
        version: e.version,
        updated_at: rfc3339(e.updated_at),
    }
}

/// An employer as sent to add or edit it: every field as typed, validated as the form's are
/// (every problem at once). Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EmployerInputDto {
    #[serde(default)]
    #[schema(required, schema_with = schema::corporate_number)]
    corporate_number: String,
    #[serde(default)]
    #[schema(required, max_length = 100)]
    name: String,
    /// Reading in hiragana or katakana.
    #[serde(default)]
    #[schema(required, schema_with = schema::person_kana)]
    name_kana: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::industry)]
    industry: String,
    /// 常用労働者数, as digits.
    #[serde(default)]
    #[schema(required, pattern = r"^[0-9,]{1,9}$")]
    regular_workers: String,
    #[serde(default)]
    special_subsidiary: bool,
    #[serde(default)]
    accepts_interns: bool,
    #[serde(default)]
    #[schema(schema_with = schema::municipality_code)]
    municipality_code: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    address: String,
    /// 採用担当: name and department.
    #[serde(default)]
    #[schema(max_length = 100)]
    hiring_name: String,
    #[serde(default)]
    #[schema(schema_with = schema::phone)]
    hiring_phone: String,
    #[serde(default)]
    #[schema(schema_with = schema::email)]
    hiring_email: String,
    /// 現場担当: name and department.
    #[serde(default)]
    #[schema(max_length = 100)]
    workplace_name: String,
    #[serde(default)]
    #[schema(schema_with = schema::phone)]
    workplace_phone: String,
    #[serde(default)]
    #[schema(schema_with = schema::email)]
    workplace_email: String,
    /// When editing: the `version` read; left out when adding.
    #[serde(default)]
    version: Option<i64>,
}

impl EmployerInputDto {
    fn input(self) -> EmployerInput {
        EmployerInput {
            corporate_number: self.corporate_number,
            name: self.name,
            name_kana: self.name_kana,
            industry: self.industry,
            regular_workers: self.regular_workers,
            special_subsidiary: self.special_subsidiary,
            accepts_interns: self.accepts_interns,
            municipality_code: self.municipality_code,
            address: self.address,
            hiring_name: self.hiring_name,
            hiring_phone: self.hiring_phone,
            hiring_email: self.hiring_email,
            workplace_name: self.workplace_name,
            workplace_phone: self.workplace_phone,
            workplace_email: self.workplace_email,
        }
    }
}

/// Search the employers (staff of an agency and program managers).
#[utoipa::path(get, path = "/api/v1/employers", tag = "employers", operation_id = "list_employers",
    params(ListQuery),
    responses((status = 200, body = EmployerListDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_employers(
    State(state): State<AppState>,
    lang: Lang,
    EmployersReader(actor): EmployersReader,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<EmployerListDto>> {
    let Some(page) = query.page() else {
        let mut p = Problems::new();
        p.add("page", "page_number");
        return Err(ApiError::invalid(lang, &p));
    };
    let found = state.app.employers(&actor, &query.filter(), page).await.map_err(app_err(lang))?;
    let items = found
        .rows
        .into_iter()
        .map(|r| EmployerSummaryDto {
            id: r.id.0,
            corporate_number: r.corporate_number,
            name: r.name,
            name_kana: r.name_kana,
            industry: r.industry.to_string(),
            regular_workers: r.regular_workers,
            special_subsidiary: r.special_subsidiary,
            accepts_interns: r.accepts_interns,
            municipality_code: r.municipality.map(|m| m.to_string()),
        })
        .collect();
    Ok(Json(EmployerListDto { items, total: found.total, page, page_size: EMPLOYER_PAGE }))
}

async fn employer_dto(
    state: &AppState,
    lang: Lang,
    actor: &tsunagu_domain::account::Account,
    id: EmployerId,
) -> ApiResult<EmployerDto> {
    let view = state.app.employer(actor, id).await.map_err(app_err(lang))?;
    let links = view
        .links
        .into_iter()
        .map(|(l, agency_name)| EmployerLinkDto { agency: l.agency.0, agency_name, since: l.since.to_string() })
        .collect();
    Ok(dto(&view.employer, links))
}

/// One employer, with its contacts and the agencies that developed it (staff, program managers,
/// and the employer's own account).
#[utoipa::path(get, path = "/api/v1/employers/{id}", tag = "employers", operation_id = "get_employer",
    params(("id" = Uuid, Path, description = "Employer id")),
    responses((status = 200, body = EmployerDto), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_employer(
    State(state): State<AppState>,
    lang: Lang,
    EmployersReader(actor): EmployersReader,
    Path(id): Path<String>,
) -> ApiResult<Json<EmployerDto>> {
    let id = EmployerId(parse_id(lang, &id)?);
    Ok(Json(employer_dto(&state, lang, &actor, id).await?))
}

/// Add an employer (staff of an agency). A 法人番号 already registered answers 422.
#[utoipa::path(post, path = "/api/v1/employers", tag = "employers", operation_id = "create_employer",
    request_body = EmployerInputDto,
    responses((status = 201, body = EmployerDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn create_employer(
    State(state): State<AppState>,
    lang: Lang,
    EmployersWriter(actor): EmployersWriter,
    Json(d): Json<EmployerInputDto>,
) -> ApiResult<(StatusCode, Json<EmployerDto>)> {
    let employer = state.app.create_employer(&actor, &d.input()).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(dto(&employer, Vec::new()))))
}

/// Edit an employer read at `version` (staff of an agency, or the employer's own account, which
/// cannot change the 法人番号).
#[utoipa::path(put, path = "/api/v1/employers/{id}", tag = "employers", operation_id = "update_employer",
    params(("id" = Uuid, Path, description = "Employer id")),
    request_body = EmployerInputDto,
    responses((status = 200, body = EmployerDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_employer(
    State(state): State<AppState>,
    lang: Lang,
    EmployersWriter(actor): EmployersWriter,
    Path(id): Path<String>,
    Json(d): Json<EmployerInputDto>,
) -> ApiResult<Json<EmployerDto>> {
    let id = EmployerId(parse_id(lang, &id)?);
    if !tsunagu_app::App::may_edit_employer(&actor, id) {
        return Err(ApiError::from_app(lang, tsunagu_app::AppError::Forbidden));
    }
    let Some(version) = d.version else {
        let mut p = Problems::new();
        p.add("version", "required");
        return Err(ApiError::invalid(lang, &p));
    };
    state.app.update_employer(&actor, id, version, &d.input()).await.map_err(app_err(lang))?;
    Ok(Json(employer_dto(&state, lang, &actor, id).await?))
}

/// Whether the caller's agency developed or supports the employer.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EmployerLinkInputDto {
    #[serde(default)]
    #[schema(required)]
    linked: Option<bool>,
}

/// Record the caller's agency as developing or supporting the employer (開拓), from today, or no
/// longer (staff of an agency).
#[utoipa::path(put, path = "/api/v1/employers/{id}/link", tag = "employers", operation_id = "link_employer",
    params(("id" = Uuid, Path, description = "Employer id")),
    request_body = EmployerLinkInputDto,
    responses((status = 200, body = EmployerDto), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn link_employer(
    State(state): State<AppState>,
    lang: Lang,
    EmployersWriter(actor): EmployersWriter,
    Path(id): Path<String>,
    Json(d): Json<EmployerLinkInputDto>,
) -> ApiResult<Json<EmployerDto>> {
    let id = EmployerId(parse_id(lang, &id)?);
    if actor.agency.is_none() || !tsunagu_app::App::may_add_employers(&actor) {
        return Err(ApiError::from_app(lang, tsunagu_app::AppError::Forbidden));
    }
    let Some(linked) = d.linked else {
        let mut p = Problems::new();
        p.add("linked", "required");
        return Err(ApiError::invalid(lang, &p));
    };
    state.app.link_employer(&actor, id, linked).await.map_err(app_err(lang))?;
    Ok(Json(employer_dto(&state, lang, &actor, id).await?))
}

/// A person whose consent lets the employer see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharedPersonDto {
    person: Uuid,
    name: String,
    name_kana: String,
    consent: Uuid,
    /// `placement`, `retention`, …
    purposes: Vec<&'static str>,
    /// `YYYY-MM-DD`.
    valid_from: String,
    valid_to: Option<String>,
}

/// The persons whose consent in force lets the caller's employer see them (an employer's own
/// account); each listing is audited on the person and recorded as a provision.
#[utoipa::path(get, path = "/api/v1/employers/{id}/persons", tag = "employers", operation_id = "shared_persons",
    params(("id" = Uuid, Path, description = "The caller's employer's id")),
    responses((status = 200, body = [SharedPersonDto]), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn shared_persons(
    State(state): State<AppState>,
    lang: Lang,
    EmployersReader(actor): EmployersReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<SharedPersonDto>>> {
    let id = EmployerId(parse_id(lang, &id)?);
    if tsunagu_app::App::own_employer(&actor) != Some(id) {
        return Err(ApiError::from_app(lang, tsunagu_app::AppError::Forbidden));
    }
    let persons = state.app.shared_persons(&actor).await.map_err(app_err(lang))?;
    Ok(Json(
        persons
            .into_iter()
            .map(|p| {
                let c = &p.consent.consent;
                SharedPersonDto {
                    person: p.person.0,
                    name: p.name,
                    name_kana: p.name_kana,
                    consent: c.id.0,
                    purposes: c.purposes.iter().map(|pu| pu.code()).collect(),
                    valid_from: c.valid_from.to_string(),
                    valid_to: c.valid_to.map(|d| d.to_string()),
                }
            })
            .collect(),
    ))
}
