//! Return to work in the JSON API: a person's plans (read, open) and a plan (read, change on its
//! version), under the persons scopes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::rework::{ReturnOutcome, ReturnPlan, ReturnPlanId, ReturnPlanInput, WarmUp};
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
    OpenApiRouter::new().routes(routes!(list_plans, open_plan)).routes(routes!(get_plan, update_plan))
}

/// A warm-up phase as planned.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarmUpDto {
    /// `rhythm` (生活リズムの構築), `stress` (ストレスへの対処) or `adjustment` (会社との調整).
    phase: &'static str,
    from: String,
    until: String,
}

/// A return-to-work plan (職場復帰支援).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnPlanDto {
    id: uuid::Uuid,
    person_id: uuid::Uuid,
    agency_id: uuid::Uuid,
    employer_id: uuid::Uuid,
    employer_contact: String,
    doctor: String,
    leave_began_on: String,
    coordination_began_on: String,
    person_agreed_on: Option<String>,
    employer_agreed_on: Option<String>,
    doctor_agreed_on: Option<String>,
    /// The parties whose agreement is awaited (`person`, `employer`, `doctor`).
    awaiting: Vec<&'static str>,
    agreed_activities: String,
    warm_up: Vec<WarmUpDto>,
    /// The warm-up phase today, once it began and until it ended.
    phase_now: Option<&'static str>,
    support_began_on: Option<String>,
    returned_on: Option<String>,
    return_ended_on: Option<String>,
    #[schema(schema_with = outcome)]
    return_outcome: Option<&'static str>,
    return_note: String,
    version: i64,
}

fn outcome() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("復職した (returned), 休職を延長した (leave_extended), 退職した (left); none while it runs."))
        .enum_values(Some(ReturnOutcome::ALL.map(ReturnOutcome::code)))
        .into()
}

fn plan_dto(p: &ReturnPlan, today: time::Date) -> ReturnPlanDto {
    let f = &p.fields;
    let day = |d: Option<time::Date>| d.map(|d| d.to_string());
    ReturnPlanDto {
        id: p.id.0,
        person_id: p.person.0,
        agency_id: p.agency.0,
        employer_id: f.employer.0,
        employer_contact: f.employer_contact.clone(),
        doctor: f.doctor.clone(),
        leave_began_on: f.leave_began_on.to_string(),
        coordination_began_on: f.coordination_began_on.to_string(),
        person_agreed_on: day(f.person_agreed_on),
        employer_agreed_on: day(f.employer_agreed_on),
        doctor_agreed_on: day(f.doctor_agreed_on),
        awaiting: p.awaiting(),
        agreed_activities: f.activities.clone(),
        warm_up: WarmUp::ALL
            .iter()
            .zip(f.phases)
            .map(|(w, plan)| WarmUpDto { phase: w.code(), from: plan.from.to_string(), until: plan.until.to_string() })
            .collect(),
        phase_now: p.phase_on(today).map(WarmUp::code),
        support_began_on: day(f.support_began_on),
        returned_on: day(f.returned_on),
        return_ended_on: day(f.ended_on),
        return_outcome: f.outcome.map(ReturnOutcome::code),
        return_note: f.outcome_note.clone(),
        version: p.version,
    }
}

/// A return-to-work plan, on the person's record (audited).
#[utoipa::path(get, path = "/api/v1/return-plans/{id}", tag = "persons", operation_id = "get_return_plan",
    params(("id" = Uuid, Path, description = "Plan id")),
    responses((status = 200, body = ReturnPlanDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_plan(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<ReturnPlanDto>> {
    let id = ReturnPlanId(parse_id(lang, &id)?);
    let view = state.app.rework_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(plan_dto(&view.plan, state.app.today())))
}

/// The person's return-to-work plans, the latest first, on the person's record (audited).
#[utoipa::path(get, path = "/api/v1/persons/{id}/return-plans", tag = "persons", operation_id = "list_return_plans",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = [ReturnPlanDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_plans(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ReturnPlanDto>>> {
    let id = PersonId(parse_id(lang, &id)?);
    let read = state.app.person_rework(&actor, id).await.map_err(app_err(lang))?;
    let today = state.app.today();
    Ok(Json(read.plans.iter().map(|(p, _)| plan_dto(p, today)).collect()))
}

/// A plan as sent, with the form's field names, so that a 422 names the field sent. Fields left
/// out read as empty, and the answer names each one that is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReturnPlanInputDto {
    /// The employer's 法人番号 (13 digits).
    #[serde(default)]
    #[schema(required, max_length = 20)]
    corporate_number: String,
    /// The employer's contact (department and name).
    #[serde(default)]
    #[schema(required, max_length = 200)]
    employer_contact: String,
    /// The attending doctor (clinic and name).
    #[serde(default)]
    #[schema(required, max_length = 200)]
    doctor: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    leave_began_on: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    coordination_began_on: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    person_agreed_on: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    employer_agreed_on: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    doctor_agreed_on: String,
    /// The activities and schedule agreed.
    #[serde(default)]
    #[schema(required, max_length = 2000)]
    agreed_activities: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    rhythm_from: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    rhythm_until: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    stress_from: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    stress_until: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    adjustment_from: String,
    #[serde(default)]
    #[schema(required, max_length = 20)]
    adjustment_until: String,
    /// The day the warm-up began: only once all three parties agreed (422
    /// `three_parties_not_agreed`).
    #[serde(default)]
    #[schema(max_length = 20)]
    support_began_on: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    returned_on: String,
    #[serde(default)]
    #[schema(max_length = 20)]
    return_ended_on: String,
    #[serde(default)]
    #[schema(schema_with = outcome)]
    return_outcome: String,
    /// A note on the progress and outcome.
    #[serde(default)]
    #[schema(max_length = 1000)]
    return_note: String,
    /// When changing it: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl ReturnPlanInputDto {
    fn input(self) -> (ReturnPlanInput, String, Option<i64>) {
        let plan = ReturnPlanInput {
            employer_contact: self.employer_contact,
            doctor: self.doctor,
            leave_began_on: self.leave_began_on,
            coordination_began_on: self.coordination_began_on,
            person_agreed_on: self.person_agreed_on,
            employer_agreed_on: self.employer_agreed_on,
            doctor_agreed_on: self.doctor_agreed_on,
            agreed_activities: self.agreed_activities,
            rhythm_from: self.rhythm_from,
            rhythm_until: self.rhythm_until,
            stress_from: self.stress_from,
            stress_until: self.stress_until,
            adjustment_from: self.adjustment_from,
            adjustment_until: self.adjustment_until,
            support_began_on: self.support_began_on,
            returned_on: self.returned_on,
            return_ended_on: self.return_ended_on,
            return_outcome: self.return_outcome,
            return_note: self.return_note,
        };
        (plan, self.corporate_number, self.version)
    }
}

/// Open a return-to-work plan of the person for the caller's agency: staff who may write the
/// person's support data. All three parties are named (the employer by 法人番号, its contact,
/// the doctor).
#[utoipa::path(post, path = "/api/v1/persons/{id}/return-plans", tag = "persons", operation_id = "open_return_plan",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = ReturnPlanInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn open_plan(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<ReturnPlanInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    let (input, corporate_number, _) = d.input();
    let plan = state.app.open_return_plan(&actor, id, &input, &corporate_number).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id: plan.0 })))
}

/// Change a plan — the agreement, the warm-up as it goes, the outcome — from the `version` read
/// (422 `return_plan_changed` when someone changed it since). Staff of the plan's agency.
#[utoipa::path(put, path = "/api/v1/return-plans/{id}", tag = "persons", operation_id = "update_return_plan",
    params(("id" = Uuid, Path, description = "Plan id")),
    request_body = ReturnPlanInputDto,
    responses((status = 200, body = ReturnPlanDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_plan(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<ReturnPlanInputDto>,
) -> ApiResult<Json<ReturnPlanDto>> {
    let id = ReturnPlanId(parse_id(lang, &id)?);
    let (input, corporate_number, version) = d.input();
    let version = crate::api::required_version(lang, version)?;
    state.app.edit_return_plan(&actor, id, &input, &corporate_number, version).await.map_err(app_err(lang))?;
    let view = state.app.rework_view(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(plan_dto(&view.plan, state.app.today())))
}
