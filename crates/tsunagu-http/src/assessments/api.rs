//! The assessment sheet in the JSON API, under the persons scopes: a person's sheets (read,
//! begin one), a sheet read with both sides' answers, and one side's answers written on its
//! version — the supporter's for staff of the agency that began it, the person's own for the
//! person — never the other side's.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::assessment::{self, Assessment, AssessmentId};
use tsunagu_domain::person::PersonId;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{ApiResult, app_err, by_item, parse_id};
use crate::persons::api::CreatedDto;
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{PersonsReader, PersonsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_assessments, begin_assessment))
        .routes(routes!(get_assessment, answer_assessment))
}

/// An item of a sheet with both sides' answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentItemDto {
    /// Its code (`II-1`), also the name of its answers.
    item: &'static str,
    /// Its sheet (I, II, III).
    sheet: &'static str,
    /// Its domain (領域).
    domain: &'static str,
    /// Its wording.
    text: &'static str,
    /// The wording was found in a published source; a provisional one is shown so.
    verified: bool,
    /// The person's answer (empty when not written).
    person: String,
    /// The supporter's answer (empty when not written).
    supporter: String,
}

/// An assessment sheet.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentDto {
    id: uuid::Uuid,
    person_id: uuid::Uuid,
    /// The agency whose staff fill it in with the person.
    agency_id: uuid::Uuid,
    started_on: String,
    /// When the person last wrote theirs (RFC 3339).
    person_answered_at: Option<String>,
    version: i64,
    items: Vec<AssessmentItemDto>,
}

fn dto(a: &Assessment) -> AssessmentDto {
    let rfc3339 = |t: time::OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339).ok();
    AssessmentDto {
        id: a.id.0,
        person_id: a.person.0,
        agency_id: a.agency.0,
        started_on: a.fields.started_on.to_string(),
        person_answered_at: a.fields.person_answered_at.and_then(rfc3339),
        version: a.version,
        items: assessment::items()
            .iter()
            .map(|i| AssessmentItemDto {
                item: i.code,
                sheet: i.sheet,
                domain: i.domain,
                text: i.text,
                verified: i.verified,
                person: a.fields.person.get(i.code).cloned().unwrap_or_default(),
                supporter: a.fields.supporter.get(i.code).cloned().unwrap_or_default(),
            })
            .collect(),
    }
}

/// The person's sheets, the latest begun first, on the person's record (audited).
#[utoipa::path(get, path = "/api/v1/persons/{id}/assessments", tag = "persons", operation_id = "list_assessments",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = [AssessmentDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_assessments(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AssessmentDto>>> {
    let id = PersonId(parse_id(lang, &id)?);
    let read = state.app.person_assessments(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(read.sheets.iter().map(dto).collect()))
}

/// Begin a sheet with the person, today, for the caller's agency: staff who may write the
/// person's assessment data.
#[utoipa::path(post, path = "/api/v1/persons/{id}/assessments", tag = "persons", operation_id = "begin_assessment",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 201, body = CreatedDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn begin_assessment(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let made = state.app.begin_assessment(&actor, id).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: made.0 })))
}

/// A sheet with both sides' answers, on the person's record (audited).
#[utoipa::path(get, path = "/api/v1/assessments/{id}", tag = "persons", operation_id = "get_assessment",
    params(("id" = Uuid, Path, description = "Sheet id")),
    responses((status = 200, body = AssessmentDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_assessment(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<AssessmentDto>> {
    let id = AssessmentId(parse_id(lang, &id)?);
    let view = state.app.assessment_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view.sheet)))
}

/// An answer as sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AssessmentAnswerDto {
    /// The item's code (`II-1`).
    #[serde(default)]
    #[schema(required, max_length = 8)]
    item: String,
    /// The answer; empty clears it.
    #[serde(default)]
    #[schema(required, max_length = 400)]
    answer: String,
}

/// One side's answers as sent: they replace that side's stored ones.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AssessmentAnswersDto {
    #[serde(default)]
    #[schema(required)]
    answers: Vec<AssessmentAnswerDto>,
    /// The `version` read.
    #[serde(default)]
    #[schema(required)]
    version: Option<i64>,
}

/// Write one side's answers from the `version` read (422 `assessment_changed` when someone
/// changed the sheet since): the supporter's, for staff of the agency that began it who may write
/// the person's assessment data. The person's side is written by the person on their own pages.
#[utoipa::path(put, path = "/api/v1/assessments/{id}", tag = "persons", operation_id = "answer_assessment",
    params(("id" = Uuid, Path, description = "Sheet id")),
    request_body = AssessmentAnswersDto,
    responses((status = 200, body = AssessmentDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn answer_assessment(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<AssessmentAnswersDto>,
) -> ApiResult<Json<AssessmentDto>> {
    let id = AssessmentId(parse_id(lang, &id)?);
    let version = crate::api::required_version(lang, d.version)?;
    let answers =
        by_item(d.answers.into_iter().map(|a| (a.item, a.answer)), "assessment_item_twice").map_err(app_err(lang))?;
    state.app.answer_assessment(&actor, id, &answers, version).await.map_err(app_err(lang))?;
    let view = state.app.assessment_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view.sheet)))
}
