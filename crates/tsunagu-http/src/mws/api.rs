//! The work samples in the JSON API: the tasks, a person's results (read, record) and a result
//! corrected on its version, under the persons scopes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::mws::{self, Edition, MwsInput, MwsResult, MwsResultId};
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
        .routes(routes!(list_tasks))
        .routes(routes!(list_results, record_result))
        .routes(routes!(update_result))
}

/// A task of the work samples.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDto {
    /// Its group (OA作業, 事務作業, 実務作業, 新規課題).
    group: &'static str,
    /// Its name.
    name: &'static str,
    /// The name was found in a published source; an unverified one is shown so.
    verified: bool,
}

/// The tasks of ワークサンプル幕張版, in the manual's order.
#[utoipa::path(get, path = "/api/v1/mws-tasks", tag = "persons", operation_id = "list_mws_tasks",
    responses((status = 200, body = [TaskDto]), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_tasks(PersonsReader(_): PersonsReader) -> Json<Vec<TaskDto>> {
    Json(mws::tasks().iter().map(|t| TaskDto { group: t.group, name: t.name, verified: t.verified }).collect())
}

fn edition() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("簡易版 (brief) or 訓練版 (training)."))
        .enum_values(Some(Edition::ALL.map(Edition::code).to_vec()))
        .into()
}

/// A result of the work samples.
#[derive(Debug, Serialize, ToSchema)]
pub struct MwsResultDto {
    id: uuid::Uuid,
    person_id: uuid::Uuid,
    agency_id: uuid::Uuid,
    done_on: String,
    #[schema(schema_with = edition)]
    edition: &'static str,
    /// The task's name, as the list has it or as typed.
    task: String,
    level: u8,
    trials: u16,
    correct: u16,
    /// How long, in minutes.
    minutes: u16,
    mws_notes: String,
    version: i64,
}

fn dto(r: &MwsResult) -> MwsResultDto {
    let f = &r.fields;
    MwsResultDto {
        id: r.id.0,
        person_id: r.person.0,
        agency_id: r.agency.0,
        done_on: f.done_on.to_string(),
        edition: f.edition.code(),
        task: f.task.clone(),
        level: f.level,
        trials: f.trials,
        correct: f.correct,
        minutes: f.minutes,
        mws_notes: f.notes.clone(),
        version: r.version,
    }
}

/// The person's results on the work samples, the latest first, on the person's record (audited).
#[utoipa::path(get, path = "/api/v1/persons/{id}/mws", tag = "persons", operation_id = "list_mws_results",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = [MwsResultDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_results(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<MwsResultDto>>> {
    let id = PersonId(parse_id(lang, &id)?);
    let read = state.app.person_mws(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(read.results.iter().map(dto).collect()))
}

/// A result as sent. Numbers are sent as text as typed; fields left out read as empty, and the
/// answer names each one that is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MwsInputDto {
    #[serde(default)]
    #[schema(required, max_length = 20)]
    done_on: String,
    #[serde(default)]
    #[schema(required, schema_with = edition)]
    edition: String,
    /// A task of `/api/v1/mws-tasks`, or any other task's name.
    #[serde(default)]
    #[schema(required, max_length = 60)]
    task: String,
    /// 1 to 5.
    #[serde(default)]
    #[schema(required, max_length = 4)]
    level: String,
    #[serde(default)]
    #[schema(required, max_length = 4)]
    trials: String,
    /// 0 up to `trials`.
    #[serde(default)]
    #[schema(required, max_length = 4)]
    correct: String,
    #[serde(default)]
    #[schema(required, max_length = 4)]
    minutes: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    mws_notes: String,
    /// When correcting it: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl MwsInputDto {
    fn input(self) -> (MwsInput, Option<i64>) {
        let listed = mws::tasks().iter().any(|t| t.name == self.task.trim());
        let (task, other_task) = if listed { (self.task, String::new()) } else { (String::new(), self.task) };
        let input = MwsInput {
            done_on: self.done_on,
            edition: self.edition,
            task,
            other_task,
            level: self.level,
            trials: self.trials,
            correct: self.correct,
            minutes: self.minutes,
            mws_notes: self.mws_notes,
        };
        (input, self.version)
    }
}

/// Record a result of the person's work sample, for the caller's agency: staff who may write the
/// person's support data.
#[utoipa::path(post, path = "/api/v1/persons/{id}/mws", tag = "persons", operation_id = "record_mws_result",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = MwsInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn record_result(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<MwsInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let (input, _) = d.input();
    let made = state.app.record_mws_result(&actor, id, &input).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: made.0 })))
}

/// Correct a result from the `version` read (422 `mws_result_changed` when someone changed it
/// since). Staff of the agency that recorded it.
#[utoipa::path(put, path = "/api/v1/mws/{id}", tag = "persons", operation_id = "update_mws_result",
    params(("id" = Uuid, Path, description = "Result id")),
    request_body = MwsInputDto,
    responses((status = 200, body = MwsResultDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_result(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<MwsInputDto>,
) -> ApiResult<Json<MwsResultDto>> {
    let id = MwsResultId(parse_id(lang, &id)?);
    let (input, version) = d.input();
    let version = crate::api::required_version(lang, version)?;
    state.app.edit_mws_result(&actor, id, &input, version).await.map_err(app_err(lang))?;
    let view = state.app.mws_result_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view.result)))
}
