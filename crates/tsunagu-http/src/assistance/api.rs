//! Technical assistance in the JSON API: an office's records, one recorded and one corrected on
//! its version, under the `events` scope (assistance is the 職業センター's work with agencies, as
//! its seminars are).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::assistance::{Assistance, AssistanceId, AssistanceInput, AssistanceTopic};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id};
use crate::persons::api::CreatedDto;
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{EventsReader, EventsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_assistance, record_assistance)).routes(routes!(update_assistance))
}

fn topics() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(AssistanceTopic::ALL.map(AssistanceTopic::code).to_vec())),
        )
        .description(Some(
            "What the advice was about: アセスメントの方法, 支援の方法, 事業主への支援, 支援体制・連携, その他.",
        ))
        .into()
}

/// A record of technical assistance given by an office of the 職業センター.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssistanceDto {
    id: uuid::Uuid,
    office_id: uuid::Uuid,
    given_on: String,
    helped_agency: uuid::Uuid,
    #[schema(schema_with = topics)]
    topics: Vec<&'static str>,
    given_by: String,
    assistance_note: String,
    version: i64,
}

fn dto(a: &Assistance) -> AssistanceDto {
    let f = &a.fields;
    AssistanceDto {
        id: a.id.0,
        office_id: a.office.0,
        given_on: f.given_on.to_string(),
        helped_agency: f.helped.0,
        topics: f.topics.iter().map(|t| t.code()).collect(),
        given_by: f.given_by.clone(),
        assistance_note: f.note.clone(),
        version: a.version,
    }
}

/// The caller's office's records, the latest day first (staff of a 職業センター).
#[utoipa::path(get, path = "/api/v1/assistance", tag = "events", operation_id = "list_assistance",
    responses((status = 200, body = [AssistanceDto]), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_assistance(
    State(state): State<AppState>,
    lang: Lang,
    EventsReader(actor): EventsReader,
) -> ApiResult<Json<Vec<AssistanceDto>>> {
    let lines = state.app.office_assistance(&actor).await.map_err(app_err(lang))?;
    Ok(Json(lines.iter().map(|l| dto(&l.record)).collect()))
}

/// A record as sent. Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AssistanceInputDto {
    #[serde(default)]
    #[schema(required, max_length = 20)]
    given_on: String,
    /// The agency helped (its id in the directory).
    #[serde(default)]
    #[schema(required, max_length = 40)]
    helped_agency: String,
    #[serde(default)]
    #[schema(schema_with = topics)]
    topics: Vec<String>,
    #[serde(default)]
    #[schema(required, max_length = 100)]
    given_by: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    assistance_note: String,
    /// When changing it: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl AssistanceInputDto {
    fn input(self) -> (AssistanceInput, Option<i64>) {
        let input = AssistanceInput {
            given_on: self.given_on,
            helped_agency: self.helped_agency,
            topics: self.topics,
            given_by: self.given_by,
            assistance_note: self.assistance_note,
        };
        (input, self.version)
    }
}

/// Record assistance given by the caller's office (staff of a 職業センター).
#[utoipa::path(post, path = "/api/v1/assistance", tag = "events", operation_id = "record_assistance",
    request_body = AssistanceInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn record_assistance(
    State(state): State<AppState>,
    lang: Lang,
    EventsWriter(actor): EventsWriter,
    Json(d): Json<AssistanceInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let (input, _) = d.input();
    let id = state.app.record_assistance(&actor, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: id.0 })))
}

/// Correct a record of the caller's office from the `version` read (422 `assistance_changed`
/// when someone changed it since).
#[utoipa::path(put, path = "/api/v1/assistance/{id}", tag = "events", operation_id = "update_assistance",
    params(("id" = Uuid, Path, description = "Record id")),
    request_body = AssistanceInputDto,
    responses((status = 200, body = AssistanceDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_assistance(
    State(state): State<AppState>,
    lang: Lang,
    EventsWriter(actor): EventsWriter,
    Path(id): Path<String>,
    Json(d): Json<AssistanceInputDto>,
) -> ApiResult<Json<AssistanceDto>> {
    let id = AssistanceId(parse_id(lang, &id)?);
    // Whose record it is comes before what was sent.
    state.app.assistance(&actor, id).await.map_err(app_err(lang))?;
    let (input, version) = d.input();
    let version = crate::api::required_version(lang, version)?;
    state.app.edit_assistance(&actor, id, &input, version).await.map_err(app_err(lang))?;
    let record = state.app.assistance(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&record)))
}
