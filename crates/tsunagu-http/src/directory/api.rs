//! The directory in the JSON API: agencies (search, read, create, edit, import), blocks and
//! municipalities.

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
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::directory::params::AgencyFilter;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::i18n::Lang;
use crate::web::session::ApiActor;

use crate::api::{ApiResult, app_err, schema};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agencies, create_agency))
        .routes(routes!(get_agency, update_agency))
        .routes(routes!(import_agencies))
        .routes(routes!(list_blocks))
        .routes(routes!(update_block))
        .routes(routes!(list_municipalities))
        .routes(routes!(update_municipality))
}

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
    fax: Option<String>,
    email: Option<String>,
    website: Option<String>,
    /// As the agency states them.
    opening_hours: Option<String>,
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
            fax: f.fax,
            email: f.email,
            website: f.website,
            opening_hours: f.opening_hours,
            services: f.services.iter().map(|s| s.code().to_owned()).collect(),
            departments: f.departments,
            notes: f.notes,
            version: a.version,
            updated_at: a.updated_at,
        }
    }
}

/// An agency's fields as sent by a client; validation reports every problem at once. Fields left
/// out read as empty, and the answer names each one that is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AgencyInputDto {
    #[serde(default)]
    #[schema(required, schema_with = schema::agency_kind)]
    kind: String,
    #[serde(default)]
    #[schema(required, max_length = 100)]
    name: String,
    /// Reading in hiragana or katakana.
    #[serde(default)]
    #[schema(required, schema_with = schema::agency_kana)]
    name_kana: String,
    /// One the directory holds (`GET /api/v1/municipalities`).
    #[serde(default)]
    #[schema(schema_with = schema::municipality_code)]
    municipality_code: String,
    /// Only for agencies without a municipality; one the directory holds (`GET /api/v1/blocks`).
    #[serde(default)]
    #[schema(schema_with = schema::block_code)]
    block_code: String,
    #[serde(default)]
    #[schema(schema_with = schema::postal_code)]
    postal_code: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    address: String,
    #[serde(default)]
    #[schema(schema_with = schema::phone)]
    phone: String,
    #[serde(default)]
    #[schema(schema_with = schema::phone)]
    fax: String,
    #[serde(default)]
    #[schema(schema_with = schema::email)]
    email: String,
    /// An `http` or `https` address.
    #[serde(default)]
    #[schema(schema_with = schema::website)]
    website: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    opening_hours: String,
    #[serde(default)]
    #[schema(schema_with = schema::welfare_services)]
    services: Vec<String>,
    /// Departments (special-needs schools).
    #[serde(default)]
    #[schema(max_items = 20)]
    departments: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
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
            fax: d.fax,
            email: d.email,
            website: d.website,
            opening_hours: d.opening_hours,
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
    #[schema(max_length = 20)]
    name_ja: String,
    #[schema(max_length = 40)]
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
    /// One the directory holds (`GET /api/v1/blocks`).
    #[schema(schema_with = schema::municipality_block)]
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
    request_body(description = "The file: CSV (UTF-8, with or without a BOM, or Shift_JIS) or XLSX; its type is read from its content.",
        content((String = "text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
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
