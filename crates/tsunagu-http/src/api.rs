//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document at `/api/v1/openapi.json`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tsunagu_app::directory::{MunicipalityChange, PAGE_SIZE};
use tsunagu_app::import::ImportOutcome;
use tsunagu_app::reference::References;
use tsunagu_domain::LocalGovCode;
use tsunagu_domain::directory::{Agency, AgencyId, AgencyInput, BlockCode, DirectoryReferences, Municipality};
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::auth::{ApiActor, AuditReader};
use crate::error::{ApiError, ErrorBody};
use crate::i18n::Lang;
use crate::params::AgencyFilter;

/// The API's description. Reads are open; writes need a signed-in session (the
/// `tsunagu_session` cookie set by `POST /login`) and its CSRF token in `X-CSRF-Token`.
#[derive(OpenApi)]
#[openapi(
    info(title = "Tsunagu API", version = "1", description = "The network directory and persons' records of Tsunagu (つなぐ). Messages follow Accept-Language (ja default, en). Writes need an API token (Authorization: Bearer tsu_…, scope directory_write or persons_write) or a signed-in session cookie with its CSRF token in the X-CSRF-Token header; persons' records are read with a token of scope persons_read or a session."),
    tags((name = "directory", description = "Blocks, municipalities and agencies (行動1)"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "persons", description = "Persons' records, reached only through the access policy; every read and write is audited"),
        (name = "referrals", description = "Referrals between agencies, on the person's consent to referral"))
)]
pub struct ApiDoc;

/// The API's routes together with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_agencies, create_agency))
        .routes(routes!(get_agency, update_agency))
        .routes(routes!(import_agencies))
        .routes(routes!(list_blocks))
        .routes(routes!(update_block))
        .routes(routes!(list_municipalities))
        .routes(routes!(update_municipality))
        .routes(routes!(search_audit))
        .merge(crate::api_persons::router())
}

type ApiResult<T> = Result<T, ApiError>;

/// An agency.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyDto {
    id: Uuid,
    /// Kind code, e.g. `hello_work`.
    kind: String,
    name: String,
    name_kana: String,
    /// 全国地方公共団体コード.
    municipality_code: Option<String>,
    /// The block the agency belongs to (its municipality's, or its own).
    block_code: Option<String>,
    postal_code: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    /// Service codes (welfare facilities).
    services: Vec<String>,
    /// Departments (special-needs schools).
    departments: Vec<String>,
    notes: Option<String>,
    /// Send this back when updating.
    version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    updated_at: OffsetDateTime,
}

impl AgencyDto {
    fn new(a: Agency, refs: &References) -> Self {
        let f = a.fields;
        let block = f
            .block
            .clone()
            .or_else(|| f.municipality.as_ref().and_then(|c| refs.municipality(c)).map(|m| m.block.clone()));
        Self {
            id: a.id.0,
            kind: f.kind.code().to_owned(),
            name: f.name,
            name_kana: f.name_kana,
            municipality_code: f.municipality.map(|m| m.to_string()),
            block_code: block.map(|b| b.0),
            postal_code: f.postal_code,
            address: f.address,
            phone: f.phone,
            email: f.email,
            website: f.website,
            services: f.services.iter().map(|s| s.code().to_owned()).collect(),
            departments: f.departments,
            notes: f.notes,
            version: a.version,
            updated_at: a.updated_at,
        }
    }
}

/// An agency's fields as sent by a client; validation reports every problem at once.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AgencyInputDto {
    /// Kind code (`hello_work`) or Japanese name (ハローワーク).
    kind: String,
    name: String,
    /// Reading in hiragana or katakana.
    name_kana: String,
    municipality_code: String,
    /// Only for agencies without a municipality.
    block_code: String,
    postal_code: String,
    address: String,
    phone: String,
    email: String,
    website: String,
    services: Vec<String>,
    departments: Vec<String>,
    notes: String,
}

impl From<AgencyInputDto> for AgencyInput {
    fn from(d: AgencyInputDto) -> Self {
        Self {
            kind: d.kind,
            name: d.name,
            name_kana: d.name_kana,
            municipality_code: d.municipality_code,
            block_code: d.block_code,
            postal_code: d.postal_code,
            address: d.address,
            phone: d.phone,
            email: d.email,
            website: d.website,
            services: d.services,
            departments: d.departments,
            notes: d.notes,
        }
    }
}

/// An edit: the fields and the version they were based on.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AgencyUpdateDto {
    /// The `version` the client last read; a stale version gets 409.
    version: i64,
    #[serde(flatten)]
    fields: AgencyInputDto,
}

/// One directory row.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgencySummaryDto {
    id: Uuid,
    kind: String,
    name: String,
    name_kana: String,
    municipality_name: Option<String>,
    block_code: Option<String>,
    phone: Option<String>,
}

/// A page of the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyListDto {
    items: Vec<AgencySummaryDto>,
    /// Matches in all.
    total: u64,
    page: u32,
    page_size: u32,
}

/// A block.
#[derive(Debug, Serialize, ToSchema)]
pub struct BlockDto {
    code: String,
    name_ja: String,
    name_en: String,
    position: i32,
}

impl From<tsunagu_domain::directory::Block> for BlockDto {
    fn from(b: tsunagu_domain::directory::Block) -> Self {
        Self { code: b.code.0, name_ja: b.name_ja, name_en: b.name_en, position: b.position }
    }
}

/// New names for a block.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BlockUpdateDto {
    name_ja: String,
    name_en: String,
}

/// A municipality.
#[derive(Debug, Serialize, ToSchema)]
pub struct MunicipalityDto {
    /// 全国地方公共団体コード.
    code: String,
    name: String,
    name_kana: String,
    /// `special_ward`, `city`, `town` or `village`.
    kind: String,
    block_code: String,
    /// True while the block assignment is the provisional default.
    block_provisional: bool,
    runs_support_centre: bool,
    has_development_coordinator: bool,
}

impl From<Municipality> for MunicipalityDto {
    fn from(m: Municipality) -> Self {
        Self {
            code: m.code.to_string(),
            name: m.name,
            name_kana: m.name_kana,
            kind: m.kind.code().to_owned(),
            block_code: m.block.0,
            block_provisional: m.block_provisional,
            runs_support_centre: m.runs_support_centre,
            has_development_coordinator: m.has_development_coordinator,
        }
    }
}

/// A change to a municipality.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MunicipalityUpdateDto {
    block_code: String,
    /// The block assignment was checked against an official list.
    #[serde(default)]
    block_confirmed: bool,
    runs_support_centre: bool,
    has_development_coordinator: bool,
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportOutcomeDto {
    created: usize,
    updated: usize,
}

impl From<ImportOutcome> for ImportOutcomeDto {
    fn from(o: ImportOutcome) -> Self {
        Self { created: o.created, updated: o.updated }
    }
}

fn app_err(lang: Lang) -> impl Fn(tsunagu_app::AppError) -> ApiError {
    move |e| ApiError::from_app(lang, e)
}

fn parse_agency_id(lang: Lang, raw: &str) -> ApiResult<AgencyId> {
    Uuid::parse_str(raw).map(AgencyId).map_err(|_| ApiError::simple(lang, StatusCode::NOT_FOUND, "not_found"))
}

/// Search the directory.
#[utoipa::path(get, path = "/api/v1/agencies", tag = "directory", operation_id = "list_agencies",
    params(AgencyFilter),
    responses((status = 200, body = AgencyListDto), (status = 422, body = ErrorBody)))]
async fn list_agencies(
    State(state): State<AppState>,
    lang: Lang,
    Query(filter): Query<AgencyFilter>,
) -> ApiResult<Json<AgencyListDto>> {
    let refs = state.app.references().await.map_err(app_err(lang))?;
    let search = filter.parse(&refs).map_err(|p| ApiError::invalid(lang, &p))?;
    let page = state.app.search_agencies(&search).await.map_err(app_err(lang))?;
    Ok(Json(AgencyListDto {
        items: page
            .rows
            .into_iter()
            .map(|r| AgencySummaryDto {
                id: r.id.0,
                kind: r.kind.code().to_owned(),
                name: r.name,
                name_kana: r.name_kana,
                municipality_name: r.municipality_name,
                block_code: r.block.map(|b| b.0),
                phone: r.phone,
            })
            .collect(),
        total: page.total,
        page: search.page,
        page_size: PAGE_SIZE,
    }))
}

/// Read one agency.
#[utoipa::path(get, path = "/api/v1/agencies/{id}", tag = "directory", operation_id = "get_agency",
    params(("id" = Uuid, Path, description = "Agency id")),
    responses((status = 200, body = AgencyDto), (status = 404, body = ErrorBody)))]
async fn get_agency(State(state): State<AppState>, lang: Lang, Path(id): Path<String>) -> ApiResult<Json<AgencyDto>> {
    let id = parse_agency_id(lang, &id)?;
    let agency = state.app.agency(id).await.map_err(app_err(lang))?;
    let refs = state.app.references().await.map_err(app_err(lang))?;
    Ok(Json(AgencyDto::new(agency, &refs)))
}

/// Register an agency.
#[utoipa::path(post, path = "/api/v1/agencies", tag = "directory", operation_id = "create_agency",
    request_body = AgencyInputDto,
    responses((status = 201, body = AgencyDto), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_agency(
    State(state): State<AppState>,
    lang: Lang,
    ApiActor(actor): ApiActor,
    Json(input): Json<AgencyInputDto>,
) -> ApiResult<(StatusCode, Json<AgencyDto>)> {
    let agency = state.app.create_agency(&actor, &input.into()).await.map_err(app_err(lang))?;
    let refs = state.app.references().await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(AgencyDto::new(agency, &refs))))
}

/// Edit an agency.
#[utoipa::path(put, path = "/api/v1/agencies/{id}", tag = "directory", operation_id = "update_agency",
    params(("id" = Uuid, Path, description = "Agency id")),
    request_body = AgencyUpdateDto,
    responses((status = 200, body = AgencyDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn update_agency(
    State(state): State<AppState>,
    lang: Lang,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    Json(update): Json<AgencyUpdateDto>,
) -> ApiResult<Json<AgencyDto>> {
    let id = parse_agency_id(lang, &id)?;
    let agency =
        state.app.update_agency(&actor, id, update.version, &update.fields.into()).await.map_err(app_err(lang))?;
    let refs = state.app.references().await.map_err(app_err(lang))?;
    Ok(Json(AgencyDto::new(agency, &refs)))
}

/// Import agencies from a CSV (UTF-8 or Shift_JIS) or XLSX file sent as the request body; all
/// rows are applied or none.
#[utoipa::path(post, path = "/api/v1/agencies/import", tag = "directory", operation_id = "import_agencies",
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, body = ImportOutcomeDto), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn import_agencies(
    State(state): State<AppState>,
    lang: Lang,
    ApiActor(actor): ApiActor,
    body: Bytes,
) -> ApiResult<Json<ImportOutcomeDto>> {
    let outcome = state.app.import_agencies(&actor, &body).await.map_err(app_err(lang))?;
    Ok(Json(outcome.into()))
}

/// The blocks.
#[utoipa::path(get, path = "/api/v1/blocks", tag = "directory", operation_id = "list_blocks",
    responses((status = 200, body = Vec<BlockDto>)))]
async fn list_blocks(State(state): State<AppState>, lang: Lang) -> ApiResult<Json<Vec<BlockDto>>> {
    let refs = state.app.references().await.map_err(app_err(lang))?;
    Ok(Json(refs.blocks.iter().cloned().map(BlockDto::from).collect()))
}

/// Rename a block.
#[utoipa::path(put, path = "/api/v1/blocks/{code}", tag = "directory", operation_id = "update_block",
    params(("code" = String, Path, description = "Block code")),
    request_body = BlockUpdateDto,
    responses((status = 200, body = BlockDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn update_block(
    State(state): State<AppState>,
    lang: Lang,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
    Json(update): Json<BlockUpdateDto>,
) -> ApiResult<Json<BlockDto>> {
    let b = state
        .app
        .rename_block(&actor, &BlockCode(code), &update.name_ja, &update.name_en)
        .await
        .map_err(app_err(lang))?;
    Ok(Json(b.into()))
}

/// The municipalities.
#[utoipa::path(get, path = "/api/v1/municipalities", tag = "directory", operation_id = "list_municipalities",
    responses((status = 200, body = Vec<MunicipalityDto>)))]
async fn list_municipalities(State(state): State<AppState>, lang: Lang) -> ApiResult<Json<Vec<MunicipalityDto>>> {
    let refs = state.app.references().await.map_err(app_err(lang))?;
    Ok(Json(refs.municipalities.iter().cloned().map(Into::into).collect()))
}

/// Change a municipality's block and flags.
#[utoipa::path(put, path = "/api/v1/municipalities/{code}", tag = "directory", operation_id = "update_municipality",
    params(("code" = String, Path, description = "全国地方公共団体コード")),
    request_body = MunicipalityUpdateDto,
    responses((status = 200, body = MunicipalityDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn update_municipality(
    State(state): State<AppState>,
    lang: Lang,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
    Json(update): Json<MunicipalityUpdateDto>,
) -> ApiResult<Json<MunicipalityDto>> {
    let code = LocalGovCode::parse(&code).map_err(|_| ApiError::simple(lang, StatusCode::NOT_FOUND, "not_found"))?;
    let change = MunicipalityChange {
        block: BlockCode(update.block_code),
        block_confirmed: update.block_confirmed,
        runs_support_centre: update.runs_support_centre,
        has_development_coordinator: update.has_development_coordinator,
    };
    let m = state.app.update_municipality(&actor, &code, &change).await.map_err(app_err(lang))?;
    Ok(Json(m.into()))
}

/// One audit log entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryDto {
    seq: i64,
    /// When, RFC 3339.
    at: String,
    /// Account id of the actor (empty for the command line or an anonymous caller).
    actor: String,
    actor_label: String,
    action: String,
    record: String,
    person: String,
    fields: Vec<String>,
    basis: String,
    prev_hash: String,
    hash: String,
}

/// Audit search filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Exactly this actor label.
    actor: Option<String>,
    /// Records starting with this.
    record: Option<String>,
    /// Action code.
    action: Option<String>,
    /// Entries older than this `seq`.
    before: Option<i64>,
}

/// Search the audit log, newest first, 100 at a time (administrators; tokens need `audit_read`).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", operation_id = "search_audit",
    params(AuditParams),
    responses((status = 200, body = Vec<AuditEntryDto>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn search_audit(
    State(state): State<AppState>,
    lang: Lang,
    AuditReader(actor): AuditReader,
    Query(p): Query<AuditParams>,
) -> ApiResult<Json<Vec<AuditEntryDto>>> {
    let action = match p.action.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => Some(
            tsunagu_domain::audit::AuditAction::parse(raw)
                .ok_or_else(|| ApiError::simple(lang, StatusCode::UNPROCESSABLE_ENTITY, "bad_query"))?,
        ),
    };
    let query = tsunagu_store::AuditQuery {
        actor_label: p.actor.filter(|s| !s.is_empty()),
        record_prefix: p.record.filter(|s| !s.is_empty()),
        action,
        person: None,
        before: p.before,
        limit: 100,
    };
    let entries = state.app.search_audit(&actor, &query).await.map_err(app_err(lang))?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditEntryDto {
                seq: e.seq,
                at: OffsetDateTime::from_unix_timestamp_nanos(i128::from(e.event.at_micros) * 1000)
                    .ok()
                    .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
                    .unwrap_or_default(),
                actor: e.event.actor,
                actor_label: e.event.actor_label,
                action: e.event.action.code().to_owned(),
                record: e.event.record,
                person: e.event.person,
                fields: e.event.fields,
                basis: e.event.basis,
                prev_hash: e.prev_hash,
                hash: e.hash,
            })
            .collect(),
    ))
}
