//! The work-transition checklist in the JSON API: its items, a person's checklists (read,
//! record) and a checklist read or corrected on its version, under the persons scopes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_app::AppError;
use tsunagu_domain::checklist::{self, AnswerInput, Checklist, ChecklistId, ChecklistInput};
use tsunagu_domain::person::PersonId;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id};
use crate::persons::api::CreatedDto;
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{PersonsReader, PersonsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_items))
        .routes(routes!(list_checklists, record_checklist))
        .routes(routes!(get_checklist, update_checklist))
}

/// An item of the checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemDto {
    /// Its code on the form (I-1 … III-15): what an answer names.
    code: &'static str,
    /// Its area: I 日常生活, II 働く場での対人関係, III 働く場での行動・態度.
    area: &'static str,
    /// Its name on the form.
    name: &'static str,
    /// How many levels its scale has (5 or 2); level 1 is the best.
    levels: u8,
    /// It may be answered `na` (該当なし).
    only_if_applicable: bool,
}

/// The checklist's 34 required items, in the form's order.
#[utoipa::path(get, path = "/api/v1/checklist-items", tag = "persons", operation_id = "list_checklist_items",
    responses((status = 200, body = [ItemDto]), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_items(PersonsReader(_): PersonsReader) -> Json<Vec<ItemDto>> {
    Json(
        checklist::items()
            .iter()
            .map(|i| ItemDto {
                code: i.code,
                area: i.area.code(),
                name: i.name,
                levels: i.levels,
                only_if_applicable: i.only_if_applicable,
            })
            .collect(),
    )
}

fn rating() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(
            "The level, 1 (the best) up to the item's `levels`, or `na` (該当なし) where the item allows it.",
        ))
        .enum_values(Some(vec!["1", "2", "3", "4", "5", "na"]))
        .into()
}

/// An item as answered.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnswerDto {
    /// The item's code.
    #[serde(default)]
    #[schema(required, max_length = 10)]
    item: String,
    #[serde(default)]
    #[schema(required, schema_with = rating)]
    rating: String,
    /// What was noticed.
    #[serde(default)]
    #[schema(max_length = 300)]
    comment: String,
}

/// A checklist gone through with the person.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistDto {
    id: uuid::Uuid,
    person_id: uuid::Uuid,
    agency_id: uuid::Uuid,
    assessed_on: String,
    /// Every item's answer, in the form's order.
    answers: Vec<AnswerDto>,
    checklist_note: String,
    version: i64,
}

fn dto(k: &Checklist) -> ChecklistDto {
    ChecklistDto {
        id: k.id.0,
        person_id: k.person.0,
        agency_id: k.agency.0,
        assessed_on: k.fields.assessed_on.to_string(),
        answers: k
            .fields
            .answers
            .iter()
            .map(|a| AnswerDto { item: a.item.clone(), rating: a.rating.code(), comment: a.comment.clone() })
            .collect(),
        checklist_note: k.fields.note.clone(),
        version: k.version,
    }
}

/// The person's checklists, the earliest first, on the person's record (audited).
#[utoipa::path(get, path = "/api/v1/persons/{id}/checklists", tag = "persons", operation_id = "list_checklists",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = [ChecklistDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_checklists(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ChecklistDto>>> {
    let id = PersonId(parse_id(lang, &id)?);
    let read = state.app.person_checklists(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(read.checklists.iter().map(dto).collect()))
}

/// A checklist as sent: every one of the 34 items answered once. Fields left out read as empty,
/// and the answer names each one that is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ChecklistInputDto {
    #[serde(default)]
    #[schema(required, max_length = 20)]
    assessed_on: String,
    #[serde(default)]
    #[schema(required)]
    answers: Vec<AnswerDto>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    checklist_note: String,
    /// When correcting it: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl ChecklistInputDto {
    /// The form's input, or the problem of an item answered twice.
    fn input(self) -> Result<(ChecklistInput, Option<i64>), AppError> {
        let answers = crate::api::by_item(
            self.answers.into_iter().map(|a| (a.item, AnswerInput { rating: a.rating, comment: a.comment })),
            "checklist_item_twice",
        )?;
        let input = ChecklistInput { assessed_on: self.assessed_on, checklist_note: self.checklist_note, answers };
        Ok((input, self.version))
    }
}

/// Record a checklist gone through with the person, for the caller's agency: staff who may write
/// the person's support data. Every item is answered on its own scale (422 names each item that
/// is not).
#[utoipa::path(post, path = "/api/v1/persons/{id}/checklists", tag = "persons", operation_id = "record_checklist",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = ChecklistInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn record_checklist(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<ChecklistInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let (input, _) = d.input().map_err(app_err(lang))?;
    let made = state.app.record_checklist(&actor, id, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: made.0 })))
}

/// A checklist, on the person's record (audited).
#[utoipa::path(get, path = "/api/v1/checklists/{id}", tag = "persons", operation_id = "get_checklist",
    params(("id" = Uuid, Path, description = "Checklist id")),
    responses((status = 200, body = ChecklistDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_checklist(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<ChecklistDto>> {
    let id = ChecklistId(parse_id(lang, &id)?);
    let view = state.app.checklist_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view.checklist)))
}

/// Correct a checklist from the `version` read (422 `checklist_changed` when someone changed it
/// since). Staff of the agency that recorded it.
#[utoipa::path(put, path = "/api/v1/checklists/{id}", tag = "persons", operation_id = "update_checklist",
    params(("id" = Uuid, Path, description = "Checklist id")),
    request_body = ChecklistInputDto,
    responses((status = 200, body = ChecklistDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_checklist(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<ChecklistInputDto>,
) -> ApiResult<Json<ChecklistDto>> {
    let id = ChecklistId(parse_id(lang, &id)?);
    let (input, version) = d.input().map_err(app_err(lang))?;
    let version = crate::api::required_version(lang, version)?;
    state.app.edit_checklist(&actor, id, &input, version).await.map_err(app_err(lang))?;
    let view = state.app.checklist_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view.checklist)))
}
