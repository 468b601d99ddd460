//! `/persons/{id}/placements`: the jobs a person held and holds, the form that records a new
//! one (the employer by its 法人番号; opened from an employer or an opening, it is filled in),
//! and, for the job held, the form that records its end.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::placements::{PersonPlacements, PlacementStart};
use tsunagu_domain::Problems;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::journey::Stage;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::placement::{EndInput, EndReason, PlacementId, PlacementInput, PlacementKind};
use uuid::Uuid;

use crate::AppState;
use crate::journey::pages::{journey_error, stage_name};
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, coded_options, date_text, errors_of, field, render};

/// A placement as the page lists it.
struct Row {
    id: Uuid,
    employer_id: Uuid,
    employer: String,
    job_title: String,
    starts_on: String,
    hours: String,
    kind: String,
    /// 在職中, or the end in words.
    state: String,
    note: String,
    open: bool,
    version: i64,
}

#[derive(Template)]
#[template(path = "placements.html")]
struct PlacementsPage {
    layout: Layout,
    id: Uuid,
    facts: String,
    notice: Option<String>,
    rows: Vec<Row>,
    writable: bool,
    /// Whether a job is held (its end is the form shown, not a new placement).
    holding: bool,
    stage_code: String,
    errors: Vec<(String, String)>,
    corporate_number: Field,
    employer_name: String,
    opening: Field,
    opening_options: Vec<SelectOption>,
    job_title: Field,
    hired_on: Field,
    weekly_hours: Field,
    employment_kind: Field,
    kind_options: Vec<SelectOption>,
    end_errors: Vec<(String, String)>,
    ended_on: Field,
    end_reason: Field,
    reason_options: Vec<SelectOption>,
    end_note: Field,
}

/// What the forms hold when shown again.
#[derive(Default)]
struct Forms {
    placement: PlacementInput,
    problems: Problems,
    /// An error above the form (the journey moved meanwhile, or cannot move to 就職).
    error: Option<String>,
    end: EndInput,
    end_problems: Problems,
    /// An error above the end form (the placement or the journey moved meanwhile).
    end_error: Option<String>,
    start: PlacementStart,
}

fn kind_text(tr: Tr, kind: PlacementKind) -> String {
    tr.get(&format!("employment-kind-{}", kind.code()))
}

fn page(
    ctx: &Ctx,
    id: PersonId,
    read: PersonPlacements,
    forms: Forms,
    notice: Option<String>,
    today: time::Date,
) -> PlacementsPage {
    let tr = ctx.tr();
    let rows: Vec<Row> = read
        .placements
        .iter()
        .map(|v| {
            let p = &v.placement;
            let f = &p.fields;
            let state = match &p.end {
                None => tr.get("placement-held"),
                Some(end) => tr.with(
                    "placement-ended",
                    &[
                        ("on", date_text(tr, end.ended_on).into()),
                        ("reason", tr.get(&format!("end-reason-{}", end.reason.code())).into()),
                    ],
                ),
            };
            Row {
                id: p.id.0,
                employer_id: f.employer.0,
                employer: v.employer_name.clone(),
                job_title: f.job_title.clone(),
                starts_on: date_text(tr, f.starts_on),
                hours: tr.with("opening-hours-one", &[("hours", f.hours.into())]),
                kind: kind_text(tr, f.kind),
                state,
                note: p.end.as_ref().map(|e| e.note.clone()).unwrap_or_default(),
                open: p.is_open(),
                version: p.version,
            }
        })
        .collect();
    let holding = rows.iter().any(|r| r.open);
    let text = |problems: &Problems, name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let input = &forms.placement;
    let p = &forms.problems;
    let corporate_number = if input.corporate_number.is_empty() {
        forms.start.corporate_number.clone()
    } else {
        input.corporate_number.clone()
    };
    // A fresh form suggests what the employer's flag says, or ordinary employment.
    let kind = match (input.employment_kind.is_empty(), p.is_empty(), forms.start.kind.is_empty()) {
        (false, _, _) | (true, false, _) => input.employment_kind.clone(),
        (true, true, false) => forms.start.kind.clone(),
        (true, true, true) => PlacementKind::General.code().to_owned(),
    };
    let hired_on = if input.hired_on.is_empty() { today.to_string() } else { input.hired_on.clone() };
    let mut weekly_hours = text(p, "weekly_hours", &input.weekly_hours, "text", 2, true);
    weekly_hours.inputmode = Some("numeric");
    let mut corporate = text(p, "corporate_number", &corporate_number, "text", 17, true);
    corporate.inputmode = Some("numeric");
    let mut errors = errors_of(tr, p);
    if let Some(e) = &forms.error {
        errors.insert(0, ("hired_on".to_owned(), e.clone()));
    }
    let opening_options = forms
        .start
        .openings
        .iter()
        .map(|(value, label)| SelectOption {
            value: value.clone(),
            label: label.clone(),
            selected: input.opening == *value,
        })
        .collect();
    let end = &forms.end;
    let ep = &forms.end_problems;
    let ended_on = if end.ended_on.is_empty() { today.to_string() } else { end.ended_on.clone() };
    let mut end_errors = errors_of(tr, ep);
    if let Some(e) = &forms.end_error {
        end_errors.insert(0, ("ended_on".to_owned(), e.clone()));
    }
    PlacementsPage {
        layout: ctx.layout(tr.with("placements-title-of", &[("name", read.name.as_str().into())])),
        id: id.0,
        facts: tr.with("placements-facts", &[("stage", stage_name(tr, read.stage).into())]),
        notice,
        rows,
        writable: read.writable,
        holding,
        stage_code: read.stage.map(|s| s.code().to_owned()).unwrap_or_default(),
        errors,
        corporate_number: corporate,
        employer_name: forms.start.employer_name.clone(),
        opening: text(p, "opening", &input.opening, "select", 0, false),
        opening_options,
        job_title: text(p, "job_title", &input.job_title, "text", 100, false),
        hired_on: text(p, "hired_on", &hired_on, "date", 10, true),
        weekly_hours,
        employment_kind: text(p, "employment_kind", &kind, "radio", 0, true),
        kind_options: coded_options(
            tr,
            &PlacementKind::ALL,
            PlacementKind::code,
            "employment-kind",
            std::slice::from_ref(&kind),
        ),
        end_errors,
        ended_on: text(ep, "ended_on", &ended_on, "date", 10, true),
        end_reason: text(ep, "end_reason", &end.end_reason, "select", 0, true),
        reason_options: coded_options(
            tr,
            &EndReason::ALL,
            EndReason::code,
            "end-reason",
            std::slice::from_ref(&end.end_reason),
        ),
        end_note: text(ep, "end_note", &end.end_note, "textarea", 500, false),
    }
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    id: PersonId,
    forms: Forms,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult {
    let actor = ctx.require_account()?;
    let read = match state.app.person_placements(actor, id).await {
        Ok(read) => read,
        Err(AppError::Denied(denial)) => return Err(denied_response(ctx, id, denial)),
        Err(e) => return Err(PageError::of(ctx, e)),
    };
    Ok(render(status, &page(ctx, id, read, forms, notice, state.app.today())))
}

/// What the list is opened with: the employer and opening to fill the form in from, or what
/// was just recorded.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlacementsQuery {
    employer: String,
    opening: String,
    recorded: Option<String>,
    ended: Option<String>,
}

/// `GET /persons/{id}/placements`
pub async fn placements(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<PlacementsQuery>,
) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let employer = Uuid::parse_str(query.employer.trim()).ok().map(EmployerId);
    let start = match employer {
        Some(_) if tsunagu_app::App::may_register(actor) => {
            state.app.placement_start(actor, employer, "").await.map_err(|e| PageError::of(&ctx, e))?
        }
        _ => PlacementStart::default(),
    };
    let forms = Forms {
        placement: PlacementInput { opening: query.opening.trim().to_owned(), ..PlacementInput::default() },
        start,
        ..Forms::default()
    };
    let notice = if query.recorded.is_some() {
        Some(tr.get("placement-recorded"))
    } else if query.ended.is_some() {
        Some(tr.get("placement-end-recorded"))
    } else {
        None
    };
    show(&state, &ctx, id, forms, notice, StatusCode::OK).await
}

/// The placement form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlacementForm {
    csrf: Option<String>,
    corporate_number: String,
    opening: String,
    job_title: String,
    hired_on: String,
    weekly_hours: String,
    employment_kind: String,
    loaded_stage: String,
}

/// `POST /persons/{id}/placements`
pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<PlacementForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let PlacementForm {
        corporate_number,
        opening,
        job_title,
        hired_on,
        weekly_hours,
        employment_kind,
        loaded_stage,
        ..
    } = form;
    let input = PlacementInput { corporate_number, opening, job_title, hired_on, weekly_hours, employment_kind };
    let loaded = Stage::parse(&loaded_stage);
    let result = state.app.record_placement(actor, id, &input, loaded).await;
    let again = |problems: Problems, error: Option<String>| async {
        // The openings to choose from again: those of the employer typed, if it is known.
        let start = state.app.placement_start(actor, None, &input.corporate_number).await.unwrap_or_default();
        Forms { placement: input.clone(), problems, error, start, ..Forms::default() }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{}/placements?recorded=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            show(&state, &ctx, id, again(problems, None).await, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(AppError::Forbidden) => Err(PageError::forbidden(&ctx)),
        Err(e) => match journey_error(ctx.tr(), &e) {
            Some((message, status)) => {
                show(&state, &ctx, id, again(Problems::new(), Some(message)).await, None, status).await
            }
            None => Err(PageError::of(&ctx, e)),
        },
    }
}

/// The end form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EndForm {
    csrf: Option<String>,
    ended_on: String,
    end_reason: String,
    end_note: String,
    version: String,
}

/// `POST /persons/{id}/placements/{placement}/end`
pub async fn end(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, placement)): Path<(String, String)>,
    Submitted(form): Submitted<EndForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let placement = Uuid::parse_str(&placement).map(PlacementId).map_err(|_| PageError::not_found(&ctx))?;
    let EndForm { ended_on, end_reason, end_note, version, .. } = form;
    // A version that is no number matches no placement's: the edit is refused as stale.
    let version = version.trim().parse::<i64>().unwrap_or(0);
    let input = EndInput { ended_on, end_reason, end_note };
    match state.app.end_placement(actor, id, placement, &input, version).await {
        Ok(()) => Ok(Redirect::to(&format!("/persons/{}/placements?ended=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let forms = Forms { end: input, end_problems: problems, ..Forms::default() };
            show(&state, &ctx, id, forms, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(AppError::Forbidden) => Err(PageError::forbidden(&ctx)),
        Err(e) => match journey_error(ctx.tr(), &e) {
            Some((message, status)) => {
                let forms = Forms { end: input, end_error: Some(message), ..Forms::default() };
                show(&state, &ctx, id, forms, None, status).await
            }
            None => Err(PageError::of(&ctx, e)),
        },
    }
}
