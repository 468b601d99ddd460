//! The work samples' pages: a person's results (`/persons/{id}/mws`) and the form that records
//! or corrects one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::mws::PersonMws;
use tsunagu_domain::Problems;
use tsunagu_domain::mws::{self, Edition, MwsInput, MwsResultId};
use tsunagu_domain::person::PersonId;
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
    date: String,
    edition: String,
    task: String,
    unverified: bool,
    level: u8,
    trials: u16,
    correct: String,
    minutes: u16,
    notes: String,
}

#[derive(Template)]
#[template(path = "person_mws.html")]
struct PersonMwsPage {
    layout: Layout,
    id: Uuid,
    notice: Option<String>,
    rows: Vec<Row>,
    writable: bool,
}

async fn read_person(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<PersonMws, PageError> {
    let actor = ctx.require_account()?;
    match state.app.person_mws(actor, person).await {
        Ok(read) => Ok(read),
        Err(AppError::Denied(denial)) => Err(denied_response(ctx, person, denial)),
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// `GET /persons/{id}/mws`
pub async fn person_mws(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let tr = ctx.tr();
    let id = parse_person(&ctx, &id)?;
    let read = read_person(&state, &ctx, id).await?;
    let rows = read
        .results
        .iter()
        .map(|r| {
            let f = &r.fields;
            let permille = f.accuracy_permille();
            Row {
                id: r.id.0,
                date: date_text(tr, f.done_on),
                edition: tr.get(&format!("mws-edition-{}", f.edition.code())),
                task: f.task.clone(),
                unverified: f.listed_task().is_some_and(|t| !t.verified),
                level: f.level,
                trials: f.trials,
                correct: format!("{}（{}.{}%）", f.correct, permille / 10, permille % 10),
                minutes: f.minutes,
                notes: f.notes.clone(),
            }
        })
        .collect();
    let page = PersonMwsPage {
        layout: ctx.layout(tr.with("mws-person-title", &[("name", read.name.as_str().into())])),
        id: id.0,
        notice: flash.saved.map(|_| tr.get("mws-saved")),
        rows,
        writable: read.writable,
    };
    Ok(render(StatusCode::OK, &page))
}

/// A task of the list as the form offers it.
struct TaskOption {
    name: &'static str,
    unverified: bool,
    selected: bool,
}

#[derive(Template)]
#[template(path = "mws_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    back: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    done_on: Field,
    edition: Field,
    edition_options: Vec<SelectOption>,
    task: Field,
    groups: Vec<(&'static str, Vec<TaskOption>)>,
    other_task: Field,
    level: Field,
    trials: Field,
    correct: Field,
    minutes: Field,
    mws_notes: Field,
}

struct Target {
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
}

fn form(ctx: &Ctx, target: Target, input: &MwsInput, problems: &Problems) -> FormPage {
    let tr = ctx.tr();
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    let number = |name: &'static str, value: &str| {
        let mut f = text(name, value, "text", 4, true);
        f.inputmode = Some("numeric");
        f
    };
    let mut groups: Vec<(&'static str, Vec<TaskOption>)> = Vec::new();
    for t in mws::tasks() {
        let option = TaskOption { name: t.name, unverified: !t.verified, selected: input.task.trim() == t.name };
        match groups.iter_mut().find(|(g, _)| *g == t.group) {
            Some((_, options)) => options.push(option),
            None => groups.push((t.group, vec![option])),
        }
    }
    FormPage {
        layout: ctx.layout(target.heading),
        action: target.action,
        back: target.back,
        version: target.version,
        errors: errors_of(tr, problems),
        done_on: text("done_on", &input.done_on, "date", 10, true),
        edition: text("edition", &input.edition, "radio", 0, true),
        edition_options: coded_options(
            tr,
            &Edition::ALL,
            Edition::code,
            "mws-edition",
            std::slice::from_ref(&input.edition),
        ),
        task: text("task", &input.task, "select", 0, false),
        groups,
        other_task: text("other_task", &input.other_task, "text", mws::TASK_NAME_MAX, false),
        level: number("level", &input.level),
        trials: number("trials", &input.trials),
        correct: number("correct", &input.correct),
        minutes: number("minutes", &input.minutes),
        mws_notes: text("mws_notes", &input.mws_notes, "textarea", mws::NOTES_MAX, false),
    }
}

/// The form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MwsForm {
    csrf: Option<String>,
    version: Option<i64>,
    #[serde(flatten)]
    input: MwsInput,
}

async fn new_target(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<Target, PageError> {
    let read = read_person(state, ctx, person).await?;
    if !read.writable {
        return Err(PageError::forbidden(ctx));
    }
    Ok(Target {
        heading: ctx.tr().with("mws-new-title", &[("name", read.name.as_str().into())]),
        action: format!("/persons/{}/mws", person.0),
        back: format!("/persons/{}/mws", person.0),
        version: None,
    })
}

/// `GET /persons/{id}/mws/new`
pub async fn new_result(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let target = new_target(&state, &ctx, id).await?;
    let input = MwsInput { done_on: state.app.today().to_string(), ..MwsInput::default() };
    Ok(render(StatusCode::OK, &form(&ctx, target, &input, &Problems::new())))
}

/// `POST /persons/{id}/mws`
pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<MwsForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, f.csrf.as_deref(), &id)?;
    match state.app.record_mws_result(actor, id, &f.input).await {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{}/mws?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let target = new_target(&state, &ctx, id).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form(&ctx, target, &f.input, &problems)))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

fn parse_result(ctx: &Ctx, raw: &str) -> Result<MwsResultId, PageError> {
    Uuid::parse_str(raw).map(MwsResultId).map_err(|_| PageError::not_found(ctx))
}

async fn edit_target(state: &AppState, ctx: &Ctx, id: MwsResultId) -> Result<(Target, MwsInput), PageError> {
    let actor = ctx.require_account()?;
    let view = state.app.mws_result_view(actor, id).await.map_err(|e| PageError::of(ctx, e))?;
    if !view.writable {
        return Err(PageError::forbidden(ctx));
    }
    let person = view.result.person.0;
    let target = Target {
        heading: ctx.tr().with("mws-edit-title", &[("name", view.name.as_str().into())]),
        action: format!("/mws/{}/edit", id.0),
        back: format!("/persons/{person}/mws"),
        version: Some(view.result.version),
    };
    Ok((target, MwsInput::of(&view.result.fields)))
}

/// `GET /mws/{id}/edit`
pub async fn edit(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_result(&ctx, &id)?;
    let (target, input) = edit_target(&state, &ctx, id).await?;
    Ok(render(StatusCode::OK, &form(&ctx, target, &input, &Problems::new())))
}

/// `POST /mws/{id}/edit`
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<MwsForm>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_result(&ctx, &id)?;
    match state.app.edit_mws_result(actor, id, &f.input, f.version.unwrap_or_default()).await {
        Ok(()) => {
            let view = state.app.mws_result_view(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
            Ok(Redirect::to(&format!("/persons/{}/mws?saved=1", view.result.person.0)).into_response())
        }
        Err(AppError::Invalid(problems)) => {
            let (target, _) = edit_target(&state, &ctx, id).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form(&ctx, target, &f.input, &problems)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
