//! Internships and tours in the JSON API: an employer's slots (list, open, read, edit) and a
//! person's internships (read them with the slots still to come, place the person into one,
//! record how it went).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tsunagu_app::AppError;
use tsunagu_app::internships::SlotView;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::internship::{BookingId, OutcomeInput, Slot, SlotId, SlotInput};
use tsunagu_domain::person::PersonId;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::{ApiResult, app_err, parse_id, schema};
use crate::persons::api::CreatedDto;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::i18n::Lang;
use crate::web::session::{EmployersReader, EmployersWriter, PersonsReader, PersonsWriter};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_slots, create_slot))
        .routes(routes!(get_slot, update_slot))
        .routes(routes!(list_internships, book))
        .routes(routes!(record_outcome))
}

/// A slot: what an employer offers, when, and to how many.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlotDto {
    id: Uuid,
    employer_id: Uuid,
    /// The agency that arranged it.
    agency_id: Uuid,
    #[schema(schema_with = schema::slot_kind)]
    slot_kind: &'static str,
    slot_title: String,
    /// The first day.
    first_day: String,
    /// The last day (the first, for one day).
    last_day: String,
    capacity: u16,
    /// Seats held by the persons placed (withdrawn ones free theirs).
    taken: u32,
    slot_note: String,
    /// Send it back to edit the slot.
    version: i64,
}

fn slot_dto(slot: &Slot, taken: u32) -> SlotDto {
    let f = &slot.fields;
    SlotDto {
        id: slot.id.0,
        employer_id: slot.employer.0,
        agency_id: slot.agency.0,
        slot_kind: f.kind.code(),
        slot_title: f.title.clone(),
        first_day: f.starts_on.to_string(),
        last_day: f.ends_on.to_string(),
        capacity: f.capacity,
        taken,
        slot_note: f.note.clone(),
        version: slot.version,
    }
}

fn view_dto(v: &SlotView) -> SlotDto {
    slot_dto(&v.slot, u32::try_from(v.taken).unwrap_or(u32::MAX))
}

/// The employer's slots, the latest first day first (agencies' staff and program managers).
#[utoipa::path(get, path = "/api/v1/employers/{id}/slots", tag = "internships", operation_id = "list_slots",
    params(("id" = Uuid, Path, description = "Employer id")),
    responses((status = 200, body = Vec<SlotDto>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_slots(
    State(state): State<AppState>,
    lang: Lang,
    EmployersReader(actor): EmployersReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<SlotDto>>> {
    let employer = EmployerId(parse_id(lang, &id)?);
    state.app.employer(&actor, employer).await.map_err(app_err(lang))?;
    let views = state.app.slots_of(&actor, employer).await.map_err(app_err(lang))?;
    Ok(Json(views.iter().map(view_dto).collect()))
}

/// A slot as sent to write it: every field as typed, validated as the form's are. Fields left
/// out read as empty, and the answer names each one that is required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SlotInputDto {
    #[serde(default)]
    #[schema(required, schema_with = schema::slot_kind)]
    slot_kind: String,
    /// What the work or the visit is (清掃補助の実習, 物流センター見学).
    #[serde(default)]
    #[schema(required, max_length = 100)]
    slot_title: String,
    #[serde(default)]
    #[schema(required, schema_with = schema::slot_day)]
    first_day: String,
    /// Empty: the first day.
    #[serde(default)]
    #[schema(schema_with = schema::slot_last_day)]
    last_day: String,
    /// How many persons it takes, 1–50, never fewer than it has taken.
    #[serde(default)]
    #[schema(required, pattern = r"^[0-9]{1,2}$")]
    capacity: String,
    /// What to bring, where to meet.
    #[serde(default)]
    #[schema(max_length = 1000)]
    slot_note: String,
    /// When editing: the `version` read.
    #[serde(default)]
    version: Option<i64>,
}

impl SlotInputDto {
    fn input(&self) -> SlotInput {
        SlotInput {
            slot_kind: self.slot_kind.clone(),
            slot_title: self.slot_title.clone(),
            first_day: self.first_day.clone(),
            last_day: self.last_day.clone(),
            capacity: self.capacity.clone(),
            slot_note: self.slot_note.clone(),
        }
    }
}

/// Open a slot at the employer, arranged by the caller's agency (agencies' staff).
#[utoipa::path(post, path = "/api/v1/employers/{id}/slots", tag = "internships", operation_id = "create_slot",
    params(("id" = Uuid, Path, description = "Employer id")),
    request_body = SlotInputDto,
    responses((status = 201, body = SlotDto), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn create_slot(
    State(state): State<AppState>,
    lang: Lang,
    EmployersWriter(actor): EmployersWriter,
    Path(id): Path<String>,
    Json(d): Json<SlotInputDto>,
) -> ApiResult<(StatusCode, Json<SlotDto>)> {
    let employer = EmployerId(parse_id(lang, &id)?);
    let slot = state.app.create_slot(&actor, employer, &d.input()).await.map_err(app_err(lang))?;
    let (view, _) = state.app.slot(&actor, slot).await.map_err(app_err(lang))?;
    Ok((StatusCode::CREATED, Json(view_dto(&view))))
}

/// A slot with the seats taken.
#[utoipa::path(get, path = "/api/v1/slots/{id}", tag = "internships", operation_id = "get_slot",
    params(("id" = Uuid, Path, description = "Slot id")),
    responses((status = 200, body = SlotDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn get_slot(
    State(state): State<AppState>,
    lang: Lang,
    EmployersReader(actor): EmployersReader,
    Path(id): Path<String>,
) -> ApiResult<Json<SlotDto>> {
    let id = SlotId(parse_id(lang, &id)?);
    let (view, _) = state.app.slot(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(view_dto(&view)))
}

/// Edit a slot read at `version`; its capacity may not fall below the seats taken (agencies'
/// staff).
#[utoipa::path(put, path = "/api/v1/slots/{id}", tag = "internships", operation_id = "update_slot",
    params(("id" = Uuid, Path, description = "Slot id")),
    request_body = SlotInputDto,
    responses((status = 200, body = SlotDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 403, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_slot(
    State(state): State<AppState>,
    lang: Lang,
    EmployersWriter(actor): EmployersWriter,
    Path(id): Path<String>,
    Json(d): Json<SlotInputDto>,
) -> ApiResult<Json<SlotDto>> {
    let id = SlotId(parse_id(lang, &id)?);
    if !tsunagu_app::App::may_add_employers(&actor) {
        return Err(ApiError::from_app(lang, AppError::Forbidden));
    }
    let version = crate::api::required_version(lang, d.version)?;
    state.app.update_slot(&actor, id, &d.input(), version).await.map_err(app_err(lang))?;
    let (view, _) = state.app.slot(&actor, id).await.map_err(app_err(lang))?;
    Ok(Json(view_dto(&view)))
}

/// How a booking went, once recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeDto {
    #[schema(schema_with = schema::booking_outcome)]
    outcome: &'static str,
    outcome_note: String,
    /// The insurance premium was subsidised (保険料補助).
    insurance_subsidy: bool,
    /// The employer was granted (受入れ企業助成金).
    employer_grant: bool,
}

/// The person placed into a slot.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingDto {
    id: Uuid,
    slot: SlotDto,
    employer_name: String,
    /// When they were placed.
    booked_at: String,
    outcome: Option<OutcomeDto>,
    /// Send it back to record the outcome.
    version: i64,
}

/// A slot still to come the person may be placed into.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpcomingDto {
    slot: SlotDto,
    employer_name: String,
}

/// A person's internships and tours.
#[derive(Debug, Serialize, ToSchema)]
pub struct InternshipsDto {
    /// The latest first day first.
    bookings: Vec<BookingDto>,
    /// For those who may place the person: the slots still to come with a free seat,
    /// internships and school trainings before tours, then the soonest.
    upcoming: Vec<UpcomingDto>,
}

/// The person's internships and tours, and for those who may place them, the slots still to
/// come. The read is on the person's record and audited.
#[utoipa::path(get, path = "/api/v1/persons/{id}/internships", tag = "persons", operation_id = "list_internships",
    params(("id" = Uuid, Path, description = "Person id")),
    responses((status = 200, body = InternshipsDto), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn list_internships(
    State(state): State<AppState>,
    lang: Lang,
    PersonsReader(actor): PersonsReader,
    Path(id): Path<String>,
) -> ApiResult<Json<InternshipsDto>> {
    let id = PersonId(parse_id(lang, &id)?);
    let read = state.app.person_internships(&actor, id, &[]).await.map_err(app_err(lang))?;
    let bookings = read
        .bookings
        .into_iter()
        .map(|(b, slot, employer_name)| BookingDto {
            id: b.id.0,
            slot: slot_dto(&slot, 0),
            employer_name,
            booked_at: b.booked_at.to_string(),
            outcome: b.outcome.map(|o| OutcomeDto {
                outcome: o.outcome.code(),
                outcome_note: o.note,
                insurance_subsidy: o.insurance_subsidy,
                employer_grant: o.employer_grant,
            }),
            version: b.version,
        })
        .collect();
    let upcoming = read
        .upcoming
        .into_iter()
        .map(|(u, _)| UpcomingDto { slot: slot_dto(&u.slot, u.taken), employer_name: u.employer })
        .collect();
    Ok(Json(InternshipsDto { bookings, upcoming }))
}

/// The slot to place the person into.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct BookingInputDto {
    /// The slot's id.
    #[serde(default)]
    #[schema(required, max_length = 36)]
    slot: String,
}

/// Place the person into a slot, as the caller's agency: only with their consent in force naming
/// the employer for placement (422 `no_consent_for_employer`), never past its capacity (422
/// `slot_full`), once (422 `already_booked`), not into two slots at once. The employer learning
/// the name is recorded as a provision in the same write.
#[utoipa::path(post, path = "/api/v1/persons/{id}/internships", tag = "persons", operation_id = "book_internship",
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = BookingInputDto,
    responses((status = 201, body = CreatedDto), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn book(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path(id): Path<String>,
    Json(d): Json<BookingInputDto>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = PersonId(parse_id(lang, &id)?);
    // The policy decides first; a slot that names none is then the request's problem (422), not
    // a missing page.
    let slot = SlotId(Uuid::parse_str(d.slot.trim()).unwrap_or(Uuid::nil()));
    match state.app.book(&actor, id, slot).await {
        Ok(booking) => Ok((StatusCode::CREATED, Json(CreatedDto { id: booking.0 }))),
        Err(AppError::NotFound) if matches!(state.app.slot(&actor, slot).await, Err(AppError::NotFound)) => {
            let mut p = tsunagu_domain::Problems::new();
            p.add("slot", "unknown_slot");
            Err(ApiError::invalid(lang, &p))
        }
        Err(e) => Err(app_err(lang)(e)),
    }
}

/// How a booking went. Fields left out read as empty, and the answer names each one that is
/// required.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OutcomeInputDto {
    #[serde(default)]
    #[schema(required, schema_with = schema::booking_outcome)]
    outcome: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    outcome_note: String,
    /// The insurance premium was subsidised (not for a tour).
    #[serde(default)]
    insurance_subsidy: bool,
    /// The employer was granted (not for a tour).
    #[serde(default)]
    employer_grant: bool,
    /// The booking's version as read; another answers 422 `booking_changed`.
    #[serde(default)]
    #[schema(required)]
    version: i64,
}

/// Record how the person's booking went, once its slot has begun.
#[utoipa::path(post, path = "/api/v1/persons/{id}/internships/{booking}/outcome", tag = "persons",
    operation_id = "record_internship_outcome",
    params(("id" = Uuid, Path, description = "Person id"), ("booking" = Uuid, Path, description = "Booking id")),
    request_body = OutcomeInputDto,
    responses((status = 204), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn record_outcome(
    State(state): State<AppState>,
    lang: Lang,
    PersonsWriter(actor): PersonsWriter,
    Path((id, booking)): Path<(String, String)>,
    Json(d): Json<OutcomeInputDto>,
) -> ApiResult<StatusCode> {
    let id = PersonId(parse_id(lang, &id)?);
    let booking = BookingId(parse_id(lang, &booking)?);
    let flag = |on: bool| if on { "on".to_owned() } else { String::new() };
    let input = OutcomeInput {
        outcome: d.outcome,
        outcome_note: d.outcome_note,
        insurance_subsidy: flag(d.insurance_subsidy),
        employer_grant: flag(d.employer_grant),
    };
    state.app.record_outcome(&actor, id, booking, &input, d.version).await.map_err(app_err(lang))?;
    Ok(StatusCode::NO_CONTENT)
}
