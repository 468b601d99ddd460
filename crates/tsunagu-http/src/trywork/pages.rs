//! The トライワークプロジェクト's pages: a person's participations (`/persons/{id}/trywork`) and
//! the form that records one or how it ended.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::trywork::PersonTryWork;
use tsunagu_domain::Problems;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::trywork::{ParticipationId, ParticipationInput, TryWorkCourse, TryWorkOutcome, TryWorkTrack};
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::views::{Field, Layout, SelectOption, coded_options, date_text, errors_of, field, render};

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
}

struct Row {
    id: Uuid,
    course: String,
    track: String,
    period: String,
    state: String,
    note: String,
}

#[derive(Template)]
#[template(path = "person_trywork.html")]
struct PersonTryWorkPage {
    layout: Layout,
    id: Uuid,
    notice: Option<String>,
    rows: Vec<Row>,
    writable: bool,
    eligible: bool,
}

async fn read_person(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<PersonTryWork, PageError> {
    let actor = ctx.require_account()?;
    match state.app.person_trywork(actor, person).await {
        Ok(read) => Ok(read),
        Err(AppError::Denied(denial)) => Err(denied_response(ctx, person, denial)),
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// `GET /persons/{id}/trywork`
pub async fn person_trywork(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let tr = ctx.tr();
    let id = parse_person(&ctx, &id)?;
    let read = read_person(&state, &ctx, id).await?;
    let today = state.app.today();
    let rows = read
        .participations
        .iter()
        .map(|p| {
            let f = &p.fields;
            let state = match f.outcome {
                Some(o) => tr.get(&format!("trywork-outcome-{}", o.code())),
                None if f.starts_on > today => tr.get("trywork-planned"),
                None => tr.get("trywork-taking-part"),
            };
            Row {
                id: p.id.0,
                course: tr.get(&format!("trywork-course-{}", f.course.code())),
                track: tr.get(&format!("trywork-track-{}", f.track.code())),
                period: format!("{} – {}", date_text(tr, f.starts_on), date_text(tr, p.last_day())),
                state,
                note: f.note.clone(),
            }
        })
        .collect();
    let page = PersonTryWorkPage {
        layout: ctx.layout(tr.with("trywork-person-title", &[("name", read.name.as_str().into())])),
        id: id.0,
        notice: flash.saved.map(|_| tr.get("trywork-saved")),
        rows,
        writable: read.writable,
        eligible: read.eligible,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "trywork_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    back: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    trywork_course: Field,
    course_options: Vec<SelectOption>,
    track: Field,
    track_options: Vec<SelectOption>,
    starts_on: Field,
    planned_until: Field,
    trywork_ended_on: Field,
    trywork_outcome: Field,
    outcome_options: Vec<SelectOption>,
    trywork_note: Field,
}

struct Target {
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
}

fn form(ctx: &Ctx, target: Target, input: &ParticipationInput, problems: &Problems) -> FormPage {
    let tr = ctx.tr();
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let mut starts_on = text("starts_on", &input.starts_on, "date", 10, true);
    starts_on.hint = None;
    FormPage {
        layout: ctx.layout(target.heading),
        action: target.action,
        back: target.back,
        version: target.version,
        errors: errors_of(tr, problems),
        trywork_course: text("trywork_course", &input.trywork_course, "radio", 0, true),
        course_options: coded_options(
            tr,
            &TryWorkCourse::ALL,
            TryWorkCourse::code,
            "trywork-course",
            std::slice::from_ref(&input.trywork_course),
        ),
        track: text("track", &input.track, "radio", 0, true),
        track_options: coded_options(
            tr,
            &TryWorkTrack::ALL,
            TryWorkTrack::code,
            "trywork-track",
            std::slice::from_ref(&input.track),
        ),
        starts_on,
        planned_until: text("planned_until", &input.planned_until, "date", 10, true),
        trywork_ended_on: text("trywork_ended_on", &input.trywork_ended_on, "date", 10, false),
        trywork_outcome: text("trywork_outcome", &input.trywork_outcome, "radio", 0, false),
        outcome_options: coded_options(
            tr,
            &TryWorkOutcome::ALL,
            TryWorkOutcome::code,
            "trywork-outcome",
            std::slice::from_ref(&input.trywork_outcome),
        ),
        trywork_note: text("trywork_note", &input.trywork_note, "textarea", tsunagu_domain::trywork::NOTE_MAX, false),
    }
}

/// The form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ParticipationForm {
    csrf: Option<String>,
    version: Option<i64>,
    #[serde(flatten)]
    input: ParticipationInput,
}

async fn new_target(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<Target, PageError> {
    let read = read_person(state, ctx, person).await?;
    if !read.writable {
        return Err(PageError::forbidden(ctx));
    }
    Ok(Target {
        heading: ctx.tr().with("trywork-new-title", &[("name", read.name.as_str().into())]),
        action: format!("/persons/{}/trywork", person.0),
        back: format!("/persons/{}/trywork", person.0),
        version: None,
    })
}

/// `GET /persons/{id}/trywork/new`
pub async fn new_participation(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let target = new_target(&state, &ctx, id).await?;
    let input = ParticipationInput { starts_on: state.app.today().to_string(), ..ParticipationInput::default() };
    Ok(render(StatusCode::OK, &form(&ctx, target, &input, &Problems::new())))
}

/// `POST /persons/{id}/trywork`
pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<ParticipationForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, f.csrf.as_deref(), &id)?;
    match state.app.record_participation(actor, id, &f.input).await {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{}/trywork?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let target = new_target(&state, &ctx, id).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form(&ctx, target, &f.input, &problems)))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

fn parse_participation(ctx: &Ctx, raw: &str) -> Result<ParticipationId, PageError> {
    Uuid::parse_str(raw).map(ParticipationId).map_err(|_| PageError::not_found(ctx))
}

async fn edit_target(
    state: &AppState,
    ctx: &Ctx,
    id: ParticipationId,
) -> Result<(Target, ParticipationInput), PageError> {
    let actor = ctx.require_account()?;
    let view = state.app.participation_view(actor, id).await.map_err(|e| PageError::of(ctx, e))?;
    if !view.writable {
        return Err(PageError::forbidden(ctx));
    }
    let person = view.participation.person.0;
    let target = Target {
        heading: ctx.tr().with("trywork-edit-title", &[("name", view.name.as_str().into())]),
        action: format!("/trywork/{}/edit", id.0),
        back: format!("/persons/{person}/trywork"),
        version: Some(view.participation.version),
    };
    Ok((target, ParticipationInput::of(&view.participation.fields)))
}

/// `GET /trywork/{id}/edit`
pub async fn edit(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_participation(&ctx, &id)?;
    let (target, input) = edit_target(&state, &ctx, id).await?;
    Ok(render(StatusCode::OK, &form(&ctx, target, &input, &Problems::new())))
}

/// `POST /trywork/{id}/edit`
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<ParticipationForm>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_participation(&ctx, &id)?;
    match state.app.edit_participation(actor, id, &f.input, f.version.unwrap_or_default()).await {
        Ok(()) => {
            let view = state.app.participation_view(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
            Ok(Redirect::to(&format!("/persons/{}/trywork?saved=1", view.participation.person.0)).into_response())
        }
        Err(AppError::Invalid(problems)) => {
            let (target, _) = edit_target(&state, &ctx, id).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form(&ctx, target, &f.input, &problems)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
