//! Openings in the JSON API: the published ones (open to everyone), one opening, its schema.org
//! JobPosting, and writing, publishing and closing one (an agency's staff or the employer's own
//! account, with a token of the `employers` scope or a session).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use tsunagu_app::openings::OPENING_PAGE;
use tsunagu_domain::Problems;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::opening::{Opening, OpeningId, OpeningInput};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id, schema};
use crate::openings::jobposting::{description, job_posting};
use crate::openings::pages::ListQuery;
use crate::persons::api::rfc3339;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::form::FormQuery;
use crate::web::i18n::Lang;
use crate::web::session::{EmployersWriter, MaybeEmployersReader};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_openings))
        .routes(routes!(get_opening, update_opening))
        .routes(routes!(get_job_posting))
        .routes(routes!(move_opening))
        .routes(routes!(create_opening))
}

/// An opening.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningDto {
    id: Uuid,
    employer: Uuid,
    employer_name: String,
    /// `draft`, `published` or `closed`.
    status: &'static str,
    title: String,
    /// 職務の切り出し.
    tasks: Vec<String>,
    hours_min: u8,
    hours_max: u8,
    /// `hourly` or `monthly`.
    wage_kind: &'static str,
    /// Yen.
    wage: u32,
    municipality_code: Option<String>,
    place: Option<String>,
    /// `YYYY-MM-DD`; none: as agreed.
    starts_on: Option<String>,
    positions: u16,
    /// Accommodation codes offered.
    offered: Vec<&'static str>,
    /// Disability category codes welcomed; empty: any.
    welcomed: Vec<&'static str>,
    remarks: Option<String>,
    /// `YYYY-MM-DD`.
    published_on: Option<String>,
    /// Send it back to edit; an opening changed since answers 409.
    version: i64,
    /// RFC 3339.
    updated_at: String,
}

fn dto(o: &Opening, employer_name: String) -> OpeningDto {
    let f = &o.fields;
    OpeningDto {
        id: o.id.0,
        employer: o.employer.0,
        employer_name,
        status: o.status.code(),
        title: f.title.clone(),
        tasks: f.tasks.clone(),
        hours_min: f.hours_min,
        hours_max: f.hours_max,
        wage_kind: f.wage_kind.code(),
        wage: f.wage,
        municipality_code: f.municipality.as_ref().map(ToString::to_string),
        place: f.place.clone(),
        starts_on: f.starts_on.map(|d| d.to_string()),
        positions: f.positions,
        offered: f.accommodations.iter().map(|a| a.code()).collect(),
        welcomed: f.categories.iter().map(|c| c.code()).collect(),
        remarks: f.note.clone(),
        published_on: o.published_on.map(|d| d.to_string()),
        version: o.version,
        updated_at: rfc3339(o.updated_at),
    }
}

/// One page of published openings.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningListDto {
    items: Vec<OpeningDto>,
    total: u64,
    page: u32,
    page_size: u32,
}

/// The published openings, latest first (open to everyone).
#[utoipa::path(get, path = "/api/v1/openings", tag = "openings", operation_id = "list_openings",
    params(ListQuery),
    responses((status = 200, body = OpeningListDto), (status = 422, body = ErrorBody)))]
async fn list_openings(
    State(state): State<AppState>,
    lang: Lang,
    FormQuery(query): FormQuery<ListQuery>,
) -> ApiResult<Json<OpeningListDto>> {
    let Some(page) = query.page() else {
        let mut p = Problems::new();
        p.add("page", "page_number");
        return Err(ApiError::invalid(lang, &p));
    };
    let found = state.app.published_openings(&query.filter(), page).await.map_err(app_err(lang))?;
    let items = found.rows.into_iter().map(|(o, name)| dto(&o, name)).collect();
    Ok(Json(OpeningListDto { items, total: found.total, page, page_size: OPENING_PAGE }))
}

/// One opening: a published one for everyone; a draft or a closed one for those who may see its
/// employer, by a token of the `employers` scope or a session (to anyone else it does not exist).
#[utoipa::path(get, path = "/api/v1/openings/{id}", tag = "openings", operation_id = "get_opening",
    params(("id" = Uuid, Path, description = "Opening id")),
    responses((status = 200, body = OpeningDto), (status = 404, body = ErrorBody)))]
async fn get_opening(
    State(state): State<AppState>,
    lang: Lang,
    MaybeEmployersReader(actor): MaybeEmployersReader,
    Path(id): Path<String>,
) -> ApiResult<Json<OpeningDto>> {
    let id = OpeningId(parse_id(lang, &id)?);
    let view = state.app.opening(actor.as_ref(), id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view.opening, view.employer.fields.name)))
}

/// A published opening as schema.org JobPosting (`application/ld+json`), for job search engines.
#[utoipa::path(get, path = "/api/v1/openings/{id}/jobposting", tag = "openings", operation_id = "get_job_posting",
    params(("id" = Uuid, Path, description = "Opening id")),
    responses((status = 200, content_type = "application/ld+json", body = Object, description = "schema.org JobPosting"),
        (status = 404, body = ErrorBody)))]
async fn get_job_posting(
    State(state): State<AppState>,
    lang: Lang,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let id = OpeningId(parse_id(lang, &id)?);
    let view = state.app.opening(None, id).await.map_err(app_err(lang))?;
    let refs = state.app.references().await.map_err(app_err(lang))?;
    let municipality = {
        use tsunagu_domain::directory::DirectoryReferences;
        view.opening.fields.municipality.as_ref().and_then(|m| refs.municipality(m)).map(|m| m.name.clone())
    };
    let description = description(lang.tr(), &view.opening);
    let url = format!("/openings/{}", id.0);
    let body = job_posting(&view.opening, &view.employer, municipality.as_deref(), &description, &url);
    Ok(([(header::CONTENT_TYPE, "application/ld+json")], body.to_string()))
}

/// An opening as sent to write it: every field as typed, validated as the form's are.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OpeningInputDto {
    /// 職種.
    #[serde(default)]
    #[schema(required, max_length = 100)]
    job_title: String,
    /// 職務の切り出し, one task per line.
    #[serde(default)]
    #[schema(required, max_length = 4200)]
    tasks: String,
    #[serde(default)]
    #[schema(required, pattern = r"^[0-9]{1,2}$")]
    hours_min: String,
    #[serde(default)]
    #[schema(required, pattern = r"^[0-9]{1,2}$")]
    hours_max: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::wage_kind)]
    wage_kind: String,
    /// Yen.
    #[serde(default)]
    #[schema(required, pattern = r"^[0-9,]{1,10}$")]
    wage: String,
    #[serde(default)]
    #[schema(schema_with = schema::municipality_code)]
    municipality_code: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    place: String,
    /// A date as offices type it; empty: as agreed.
    #[serde(default)]
    #[schema(max_length = 20)]
    starts_on: String,
    #[serde(default)]
    #[schema(required, pattern = r"^[0-9]{1,3}$")]
    positions: String,
    /// Accommodations offered, by code.
    #[serde(default)]
    #[schema(schema_with = schema::accommodations)]
    offered: Vec<String>,
    /// Disability categories welcomed, by code; empty: any.
    #[serde(default)]
    #[schema(schema_with = schema::disability_categories_any)]
    welcomed: Vec<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    remarks: String,
    /// When editing: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl OpeningInputDto {
    fn input(self) -> OpeningInput {
        OpeningInput {
            job_title: self.job_title,
            tasks: self.tasks,
            hours_min: self.hours_min,
            hours_max: self.hours_max,
            wage_kind: self.wage_kind,
            wage: self.wage,
            municipality_code: self.municipality_code,
            place: self.place,
            starts_on: self.starts_on,
            positions: self.positions,
            offered: self.offered,
            welcomed: self.welcomed,
            remarks: self.remarks,
        }
    }
}

/// Write a draft opening for an employer (its editors).
#[utoipa::path(post, path = "/api/v1/employers/{id}/openings", tag = "openings", operation_id = "create_opening",
    params(("id" = Uuid, Path, description = "Employer id")),
    request_body = OpeningInputDto,
    responses((status = 201, body = OpeningDto), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn create_opening(
    State(state): State<AppState>,
    lang: Lang,
    EmployersWriter(actor): EmployersWriter,
    Path(id): Path<String>,
    Json(d): Json<OpeningInputDto>,
) -> ApiResult<(StatusCode, Json<OpeningDto>)> {
    let employer = EmployerId(parse_id(lang, &id)?);
    let opening = state.app.create_opening(&actor, employer, &d.input()).await.map_err(app_err(lang))?;
    let view = state.app.opening(Some(&actor), opening.id).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(dto(&view.opening, view.employer.fields.name))))
}

/// Edit an opening read at `version` (its editors).
#[utoipa::path(put, path = "/api/v1/openings/{id}", tag = "openings", operation_id = "update_opening",
    params(("id" = Uuid, Path, description = "Opening id")),
    request_body = OpeningInputDto,
    responses((status = 200, body = OpeningDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_opening(
    State(state): State<AppState>,
    lang: Lang,
    EmployersWriter(actor): EmployersWriter,
    Path(id): Path<String>,
    Json(d): Json<OpeningInputDto>,
) -> ApiResult<Json<OpeningDto>> {
    let id = OpeningId(parse_id(lang, &id)?);
    let view = state.app.opening(Some(&actor), id).await.map_err(app_err(lang))?;
    if !view.may_edit {
        return Err(ApiError::from_app(lang, tsunagu_app::AppError::Forbidden));
    }
    let version = crate::api::required_version(lang, d.version)?;
    let opening = state.app.update_opening(&actor, id, version, &d.input()).await.map_err(app_err(lang))?;
    Ok(Json(dto(&opening, view.employer.fields.name)))
}

/// The status to move an opening to, from the version read.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OpeningMoveDto {
    /// `published`, `closed` (a draft may be published or dropped, a published opening closed, a
    /// closed one published again).
    #[serde(default)]
    #[schema(required, schema_with = schema::opening_status)]
    status: String,
    #[serde(default)]
    #[schema(required)]
    version: Option<i64>,
}

/// Publish, close or reopen an opening (its editors).
#[utoipa::path(post, path = "/api/v1/openings/{id}/status", tag = "openings", operation_id = "move_opening",
    params(("id" = Uuid, Path, description = "Opening id")),
    request_body = OpeningMoveDto,
    responses((status = 200, body = OpeningDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn move_opening(
    State(state): State<AppState>,
    lang: Lang,
    EmployersWriter(actor): EmployersWriter,
    Path(id): Path<String>,
    Json(d): Json<OpeningMoveDto>,
) -> ApiResult<Json<OpeningDto>> {
    let id = OpeningId(parse_id(lang, &id)?);
    let view = state.app.opening(Some(&actor), id).await.map_err(app_err(lang))?;
    if !view.may_edit {
        return Err(ApiError::from_app(lang, tsunagu_app::AppError::Forbidden));
    }
    let version = crate::api::required_version(lang, d.version)?;
    let opening = state.app.move_opening(&actor, id, version, &d.status).await.map_err(app_err(lang))?;
    Ok(Json(dto(&opening, view.employer.fields.name)))
}
