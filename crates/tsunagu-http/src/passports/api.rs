//! The 就労パスポート in the JSON API, under the persons scopes: a person's passport read with its
//! sections, the person's choice of them and each time it was given, and its answers written on
//! its version by staff who may write the person's assessment data. The sections that go in are
//! chosen by the person on their own pages only.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use tsunagu_app::passports::PassportView;
use tsunagu_domain::passport::{self, SECTIONS};
use tsunagu_domain::person::PersonId;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::{ApiResult, app_err, by_item, parse_id};
use crate::web::error::ErrorBody;
use crate::web::i18n::Lang;
use crate::web::session::{PersonsReader, PersonsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_passport, write_passport))
}

/// An item of the passport with its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PassportItemDto {
    /// Its code (`2-1`).
    item: &'static str,
    /// Its wording.
    text: &'static str,
    /// The wording was found in a published source; a provisional one is shown so.
    verified: bool,
    /// The answer (empty when not written).
    answer: String,
}

/// A section of the passport.
#[derive(Debug, Serialize, ToSchema)]
pub struct PassportSectionDto {
    /// Its number (1–7).
    code: &'static str,
    /// Its title as published.
    title: &'static str,
    /// The person chose to put it in: it goes with the passport when given.
    given: bool,
    items: Vec<PassportItemDto>,
}

/// A time the passport was given.
#[derive(Debug, Serialize, ToSchema)]
pub struct PassportGivenDto {
    /// When (RFC 3339).
    at: String,
    /// To whom.
    to: String,
    /// The sections given, by number.
    sections: Vec<String>,
}

/// A person's 就労パスポート.
#[derive(Debug, Serialize, ToSchema)]
pub struct PassportDto {
    person_id: uuid::Uuid,
    /// 0 before the first write; send it back to write.
    version: i64,
    sections: Vec<PassportSectionDto>,
    given: Vec<PassportGivenDto>,
}

fn dto(view: &PassportView) -> PassportDto {
    let fields = view.fields();
    PassportDto {
        person_id: view.person.0,
        version: view.version(),
        sections: SECTIONS
            .iter()
            .map(|s| PassportSectionDto {
                code: s.code,
                title: s.title,
                given: fields.shown.contains(s.code),
                items: passport::items()
                    .iter()
                    .filter(|i| i.section == s.code)
                    .map(|i| PassportItemDto {
                        item: i.code,
                        text: i.text,
                        verified: i.verified,
                        answer: fields.answers.get(i.code).cloned().unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect(),
        given: view
            .given
            .iter()
            .map(|(p, to)| PassportGivenDto {
                at: p.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                to: to.clone(),
                sections: p.items.iter().filter_map(|i| i.strip_prefix("passport:")).map(str::to_owned).collect(),
            })
            .collect(),
    }
}

/// The person's passport, on the person's record (audited).
#[utoipa::path(get, path = "/api/v1/persons/{id}/passport", tag = "persons", operation_id = "get_passport",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = PassportDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_passport(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<PassportDto>> {
    let id = PersonId(parse_id(lang, &id)?);
    let view = state.app.passport_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view)))
}

/// An answer as sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PassportAnswerDto {
    /// The item's code (`2-1`).
    #[serde(default)]
    #[schema(required, max_length = 8)]
    item: String,
    /// The answer; empty clears it.
    #[serde(default)]
    #[schema(required, max_length = 600)]
    answer: String,
}

/// The passport's answers as sent: they replace the stored ones; the sections stay as the person
/// chose them.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PassportInputDto {
    #[serde(default)]
    #[schema(required)]
    answers: Vec<PassportAnswerDto>,
    /// The `version` read (0 before the first write).
    #[serde(default)]
    #[schema(required)]
    version: Option<i64>,
}

/// Write the passport's answers from the `version` read (422 `passport_changed` when someone
/// changed it since): staff who may write the person's assessment data.
#[utoipa::path(put, path = "/api/v1/persons/{id}/passport", tag = "persons", operation_id = "write_passport",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = PassportInputDto,
    responses((status = 200, body = PassportDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn write_passport(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<PassportInputDto>,
) -> ApiResult<Json<PassportDto>> {
    let id = PersonId(parse_id(lang, &id)?);
    let answers =
        by_item(d.answers.into_iter().map(|a| (a.item, a.answer)), "passport_item_twice").map_err(app_err(lang))?;
    state.app.write_passport(&actor, id, &answers, None, d.version).await.map_err(app_err(lang))?;
    let view = state.app.passport_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(dto(&view)))
}
