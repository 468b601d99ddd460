//! Technical assistance's pages: `/assistance` (the office's records, the latest first; for staff
//! of other agencies, what the page is for) and the form that records one or corrects it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_domain::Problems;
use tsunagu_domain::assistance::{AssistanceId, AssistanceInput, AssistanceTopic};
use tsunagu_domain::directory::AgencyKind;
use uuid::Uuid;

use crate::AppState;
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
    given_on: String,
    helped: String,
    topics: String,
    given_by: String,
    note: String,
}

#[derive(Template)]
#[template(path = "assistance.html")]
struct ListPage {
    layout: Layout,
    notice: Option<String>,
    office: bool,
    rows: Vec<Row>,
}

/// `GET /assistance`
pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(flash): Query<Flash>) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let office = state.app.may_record_assistance(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let rows = if office {
        let lines = state.app.office_assistance(actor).await.map_err(|e| PageError::of(&ctx, e))?;
        lines
            .into_iter()
            .map(|l| {
                let f = &l.record.fields;
                Row {
                    id: l.record.id.0,
                    given_on: date_text(tr, f.given_on),
                    helped: l.helped,
                    topics: f
                        .topics
                        .iter()
                        .map(|t| tr.get(&format!("assistance-topic-{}", t.code())))
                        .collect::<Vec<_>>()
                        .join(tr.separator()),
                    given_by: f.given_by.clone(),
                    note: f.note.clone(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = ListPage {
        layout: ctx.layout(tr.get("assistance-title")),
        notice: flash.saved.map(|_| tr.get("assistance-saved")),
        office,
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "assistance_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    given_on: Field,
    helped_agency: Field,
    agency_groups: Vec<(String, Vec<SelectOption>)>,
    topics: Field,
    topic_options: Vec<SelectOption>,
    given_by: Field,
    assistance_note: Field,
}

async fn form(
    state: &AppState,
    ctx: &Ctx,
    heading: String,
    action: String,
    version: Option<i64>,
    input: &AssistanceInput,
    problems: &Problems,
) -> Result<FormPage, PageError> {
    let tr = ctx.tr();
    let index = state.app.directory().await.map_err(|e| PageError::of(ctx, e))?;
    let office = ctx.account().and_then(|a| a.agency);
    // The agencies the centre advises, by kind, each sorted by reading.
    let mut agency_groups = Vec::new();
    for kind in AgencyKind::ALL
        .iter()
        .filter(|k| !matches!(k, AgencyKind::VocationalCentre | AgencyKind::MetropolitanGovernment))
    {
        let mut options: Vec<(&str, SelectOption)> = index
            .agencies()
            .iter()
            .filter(|a| a.kind == *kind && Some(a.id) != office)
            .map(|a| {
                let value = a.id.0.to_string();
                let selected = value == input.helped_agency.trim();
                (a.name_kana.as_str(), SelectOption { value, label: a.name.clone(), selected })
            })
            .collect();
        if !options.is_empty() {
            options.sort_by(|a, b| a.0.cmp(b.0));
            agency_groups.push((tr.kind(kind), options.into_iter().map(|(_, o)| o).collect()));
        }
    }
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    Ok(FormPage {
        layout: ctx.layout(heading),
        action,
        version,
        errors: errors_of(tr, problems),
        given_on: text("given_on", &input.given_on, "date", 10, true),
        helped_agency: text("helped_agency", &input.helped_agency, "select", 0, true),
        agency_groups,
        topics: text("topics", "", "checkbox", 0, true),
        topic_options: coded_options(
            tr,
            &AssistanceTopic::ALL,
            AssistanceTopic::code,
            "assistance-topic",
            &input.topics,
        ),
        given_by: text("given_by", &input.given_by, "text", tsunagu_domain::assistance::GIVEN_BY_MAX, true),
        assistance_note: text(
            "assistance_note",
            &input.assistance_note,
            "textarea",
            tsunagu_domain::assistance::NOTE_MAX,
            false,
        ),
    })
}

/// The form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AssistanceForm {
    csrf: Option<String>,
    version: Option<i64>,
    given_on: String,
    helped_agency: String,
    topics: Vec<String>,
    given_by: String,
    assistance_note: String,
}

impl AssistanceForm {
    fn input(&self) -> AssistanceInput {
        AssistanceInput {
            given_on: self.given_on.clone(),
            helped_agency: self.helped_agency.clone(),
            topics: self.topics.clone(),
            given_by: self.given_by.clone(),
            assistance_note: self.assistance_note.clone(),
        }
    }
}

async fn office_only(state: &AppState, ctx: &Ctx) -> Result<(), PageError> {
    let actor = ctx.require_account()?;
    match state.app.may_record_assistance(actor).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(PageError::forbidden(ctx)),
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// `GET /assistance/new`
pub async fn new_record(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    office_only(&state, &ctx).await?;
    let actor = ctx.require_account()?;
    let input = AssistanceInput {
        given_on: state.app.today().to_string(),
        given_by: actor.display_name.clone(),
        ..AssistanceInput::default()
    };
    let page =
        form(&state, &ctx, ctx.tr().get("assistance-new-title"), "/assistance".into(), None, &input, &Problems::new())
            .await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /assistance`
pub async fn record(State(state): State<AppState>, ctx: Ctx, Submitted(f): Submitted<AssistanceForm>) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let input = f.input();
    match state.app.record_assistance(actor, &input).await {
        Ok(_) => Ok(Redirect::to("/assistance?saved=1").into_response()),
        Err(AppError::Invalid(problems)) => {
            let heading = ctx.tr().get("assistance-new-title");
            let page = form(&state, &ctx, heading, "/assistance".into(), None, &input, &problems).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

fn parse_record(ctx: &Ctx, raw: &str) -> Result<AssistanceId, PageError> {
    Uuid::parse_str(raw).map(AssistanceId).map_err(|_| PageError::not_found(ctx))
}

/// `GET /assistance/{id}/edit`
pub async fn edit(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_record(&ctx, &id)?;
    let stored = state.app.assistance(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let input = AssistanceInput::of(&stored.fields);
    let action = format!("/assistance/{}/edit", id.0);
    let heading = ctx.tr().get("assistance-edit-title");
    let page = form(&state, &ctx, heading, action, Some(stored.version), &input, &Problems::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /assistance/{id}/edit`
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<AssistanceForm>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_record(&ctx, &id)?;
    let input = f.input();
    match state.app.edit_assistance(actor, id, &input, f.version.unwrap_or_default()).await {
        Ok(()) => Ok(Redirect::to("/assistance?saved=1").into_response()),
        Err(AppError::Invalid(problems)) => {
            let action = format!("/assistance/{}/edit", id.0);
            let heading = ctx.tr().get("assistance-edit-title");
            let page = form(&state, &ctx, heading, action, f.version, &input, &problems).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
