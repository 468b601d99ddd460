//! The coordinators' pages: `/liaison` (the agency's roster of medical-liaison coordinators, with
//! the medical institutions each works with) and the form that adds one or changes one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::{App, AppError};
use tsunagu_domain::Problems;
use tsunagu_domain::directory::AgencyKind;
use tsunagu_domain::liaison::{CoordinatorId, CoordinatorInput};
use uuid::Uuid;

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::views::{Field, Layout, SelectOption, date_text, errors_of, field, render};

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
}

struct Row {
    id: Uuid,
    name: String,
    period: String,
    serving: bool,
    institutions: String,
    note: String,
}

#[derive(Template)]
#[template(path = "liaison.html")]
struct ListPage {
    layout: Layout,
    notice: Option<String>,
    keeps: bool,
    rows: Vec<Row>,
}

/// `GET /liaison`
pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(flash): Query<Flash>) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let keeps = App::may_keep_coordinators(actor);
    let today = state.app.today();
    let rows = if keeps {
        let lines = state.app.agency_coordinators(actor).await.map_err(|e| PageError::of(&ctx, e))?;
        lines
            .into_iter()
            .map(|l| {
                let f = &l.coordinator.fields;
                let period = match f.until {
                    Some(until) => format!("{} – {}", date_text(tr, f.since), date_text(tr, until)),
                    None => tr.with("liaison-since", &[("date", date_text(tr, f.since).into())]),
                };
                Row {
                    id: l.coordinator.id.0,
                    name: f.name.clone(),
                    period,
                    serving: l.coordinator.serves_on(today),
                    institutions: l.institutions.join(tr.separator()),
                    note: f.note.clone(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = ListPage {
        layout: ctx.layout(tr.get("liaison-title")),
        notice: flash.saved.map(|_| tr.get("liaison-saved")),
        keeps,
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "coordinator_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    coordinator_name: Field,
    serves_since: Field,
    serves_until: Field,
    institutions: Field,
    institution_options: Vec<SelectOption>,
    coordinator_note: Field,
}

/// The form: the medical institutions offered are those of the agency's block, and any chosen
/// elsewhere, by reading.
async fn form(
    state: &AppState,
    ctx: &Ctx,
    heading: String,
    action: String,
    version: Option<i64>,
    input: &CoordinatorInput,
    problems: &Problems,
) -> Result<FormPage, PageError> {
    let tr = ctx.tr();
    let index = state.app.directory().await.map_err(|e| PageError::of(ctx, e))?;
    let block = ctx.account().and_then(|a| a.agency).and_then(|a| index.block_of(a).cloned());
    let chosen = |id: &str| input.institutions.iter().any(|i| i.trim() == id);
    let mut options: Vec<(&str, SelectOption)> = index
        .agencies()
        .iter()
        .filter(|a| a.kind == AgencyKind::MedicalInstitution)
        .filter(|a| index.block_of(a.id) == block.as_ref() || chosen(&a.id.0.to_string()))
        .map(|a| {
            let value = a.id.0.to_string();
            let selected = chosen(&value);
            (a.name_kana.as_str(), SelectOption { value, label: a.name.clone(), selected })
        })
        .collect();
    options.sort_by(|a, b| a.0.cmp(b.0));
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    Ok(FormPage {
        layout: ctx.layout(heading),
        action,
        version,
        errors: errors_of(tr, problems),
        coordinator_name: text(
            "coordinator_name",
            &input.coordinator_name,
            "text",
            tsunagu_domain::liaison::NAME_MAX,
            true,
        ),
        serves_since: text("serves_since", &input.serves_since, "date", 10, true),
        serves_until: text("serves_until", &input.serves_until, "date", 10, false),
        institutions: text("institutions", "", "checkbox", 0, false),
        institution_options: options.into_iter().map(|(_, o)| o).collect(),
        coordinator_note: text(
            "coordinator_note",
            &input.coordinator_note,
            "textarea",
            tsunagu_domain::liaison::NOTE_MAX,
            false,
        ),
    })
}

/// The form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CoordinatorForm {
    csrf: Option<String>,
    version: Option<i64>,
    coordinator_name: String,
    serves_since: String,
    serves_until: String,
    institutions: Vec<String>,
    coordinator_note: String,
}

impl CoordinatorForm {
    fn input(&self) -> CoordinatorInput {
        CoordinatorInput {
            coordinator_name: self.coordinator_name.clone(),
            serves_since: self.serves_since.clone(),
            serves_until: self.serves_until.clone(),
            institutions: self.institutions.clone(),
            coordinator_note: self.coordinator_note.clone(),
        }
    }
}

/// `GET /liaison/new`
pub async fn new_coordinator(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let actor = ctx.require_account()?;
    if !App::may_keep_coordinators(actor) {
        return Err(PageError::forbidden(&ctx));
    }
    let input = CoordinatorInput { serves_since: state.app.today().to_string(), ..CoordinatorInput::default() };
    let heading = ctx.tr().get("liaison-new-title");
    let page = form(&state, &ctx, heading, "/liaison".into(), None, &input, &Problems::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /liaison`
pub async fn record(State(state): State<AppState>, ctx: Ctx, Submitted(f): Submitted<CoordinatorForm>) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let input = f.input();
    match state.app.record_coordinator(actor, &input).await {
        Ok(_) => Ok(Redirect::to("/liaison?saved=1").into_response()),
        Err(AppError::Invalid(problems)) => {
            let heading = ctx.tr().get("liaison-new-title");
            let page = form(&state, &ctx, heading, "/liaison".into(), None, &input, &problems).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

fn parse_coordinator(ctx: &Ctx, raw: &str) -> Result<CoordinatorId, PageError> {
    Uuid::parse_str(raw).map(CoordinatorId).map_err(|_| PageError::not_found(ctx))
}

/// `GET /liaison/{id}/edit`
pub async fn edit(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_coordinator(&ctx, &id)?;
    let stored = state.app.coordinator(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let input = CoordinatorInput::of(&stored.fields);
    let heading = ctx.tr().get("liaison-edit-title");
    let action = format!("/liaison/{}/edit", id.0);
    let page = form(&state, &ctx, heading, action, Some(stored.version), &input, &Problems::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /liaison/{id}/edit`
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<CoordinatorForm>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_coordinator(&ctx, &id)?;
    let input = f.input();
    match state.app.edit_coordinator(actor, id, &input, f.version.unwrap_or_default()).await {
        Ok(()) => Ok(Redirect::to("/liaison?saved=1").into_response()),
        Err(AppError::Invalid(problems)) => {
            let heading = ctx.tr().get("liaison-edit-title");
            let action = format!("/liaison/{}/edit", id.0);
            let page = form(&state, &ctx, heading, action, f.version, &input, &problems).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
