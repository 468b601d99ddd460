//! The assessment sheet's pages for staff: a person's sheets (`/persons/{id}/assessments`) and a
//! sheet (`/assessments/{id}`), the person's answers beside the supporter's form.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::assessments::AssessmentView;
use tsunagu_domain::Problems;
use tsunagu_domain::assessment::{self, ANSWER_MAX, Assessment, AssessmentId, SHEETS};

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Layout, date_text, render};

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
}

struct ListRow {
    id: uuid::Uuid,
    started: String,
    answered: String,
}

#[derive(Template)]
#[template(path = "person_assessments.html")]
struct ListPage {
    layout: Layout,
    id: uuid::Uuid,
    writable: bool,
    rows: Vec<ListRow>,
}

/// `GET /persons/{id}/assessments`
pub async fn person_assessments(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let tr = ctx.tr();
    let id = parse_person(&ctx, &id)?;
    let actor = ctx.require_account()?;
    let read = match state.app.person_assessments(actor, id).await {
        Ok(read) => read,
        Err(AppError::Denied(denial)) => return Err(denied_response(&ctx, id, denial)),
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    let rows = read
        .sheets
        .iter()
        .map(|a| ListRow {
            id: a.id.0,
            started: date_text(tr, a.fields.started_on),
            answered: tr.with(
                "assessment-answered",
                &[
                    ("person", a.fields.person.len().into()),
                    ("supporter", a.fields.supporter.len().into()),
                    ("total", assessment::items().len().into()),
                ],
            ),
        })
        .collect();
    let page = ListPage {
        layout: ctx.layout(tr.with("assessment-person-title", &[("name", read.name.as_str().into())])),
        id: id.0,
        writable: read.writable,
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}

/// A form that sends only its CSRF token.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: Option<String>,
}

/// `POST /persons/{id}/assessments`
pub async fn begin(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<CsrfForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, f.csrf.as_deref(), &id)?;
    match state.app.begin_assessment(actor, id).await {
        Ok(sheet) => Ok(Redirect::to(&format!("/assessments/{}", sheet.0)).into_response()),
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// One item of a sheet as a page shows it.
pub(crate) struct ItemRow {
    pub(crate) code: &'static str,
    pub(crate) text: String,
    pub(crate) provisional: bool,
    pub(crate) person: String,
    pub(crate) supporter: String,
    pub(crate) error: Option<String>,
}

/// A domain of a sheet with its items.
pub(crate) struct DomainRows {
    pub(crate) title: String,
    pub(crate) provisional: bool,
    pub(crate) items: Vec<ItemRow>,
}

/// A sheet with its domains.
pub(crate) struct SheetRows {
    pub(crate) title: String,
    pub(crate) domains: Vec<DomainRows>,
}

/// The sheets of `a` item by item, `text` naming each item; `typed` overrides one side's answers
/// (`person` when `own`) with what was sent back.
pub(crate) fn sheet_rows(
    a: &Assessment,
    text: impl Fn(&assessment::Item) -> String,
    typed: Option<(&BTreeMap<String, String>, bool)>,
    problems: &Problems,
    problem: impl Fn(&tsunagu_domain::Problem) -> String,
) -> Vec<SheetRows> {
    SHEETS
        .iter()
        .map(|sheet| {
            let mut domains: Vec<DomainRows> = Vec::new();
            for item in assessment::items().iter().filter(|i| i.sheet == sheet.code) {
                let answer = |own: bool, stored: &BTreeMap<String, String>| match typed {
                    Some((t, side)) if side == own => t.get(item.code).cloned().unwrap_or_default(),
                    _ => stored.get(item.code).cloned().unwrap_or_default(),
                };
                let row = ItemRow {
                    code: item.code,
                    text: text(item),
                    provisional: !item.verified,
                    person: answer(true, &a.fields.person),
                    supporter: answer(false, &a.fields.supporter),
                    error: problems.for_field(item.code).map(&problem),
                };
                match domains.last_mut() {
                    Some(d) if d.title == item.domain => d.items.push(row),
                    _ => domains.push(DomainRows {
                        title: item.domain.to_owned(),
                        provisional: !item.domain_verified,
                        items: vec![row],
                    }),
                }
            }
            SheetRows { title: format!("{} {}", sheet.code, sheet.title), domains }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct SheetPage {
    layout: Layout,
    notice: Option<String>,
    person: uuid::Uuid,
    id: uuid::Uuid,
    version: i64,
    supporter: bool,
    errors: Vec<(String, String)>,
    sheets: Vec<SheetRows>,
    answer_max: u32,
}

fn sheet_page(
    ctx: &Ctx,
    tr: Tr,
    view: &AssessmentView,
    typed: Option<&BTreeMap<String, String>>,
    problems: &Problems,
) -> SheetPage {
    let problem = |p: &tsunagu_domain::Problem| {
        let label = assessment::item(p.field).map_or_else(|| tr.field(p.field), |i| format!("{} {}", i.code, i.text));
        tr.problem(&label, true, p.code, p.limit)
    };
    let title = tr.with(
        "assessment-title",
        &[("name", view.name.as_str().into()), ("date", date_text(tr, view.sheet.fields.started_on).into())],
    );
    SheetPage {
        layout: ctx.layout(title),
        notice: None,
        person: view.sheet.person.0,
        id: view.sheet.id.0,
        version: view.sheet.version,
        supporter: view.supporter,
        errors: problems
            .iter()
            .map(|p| {
                let anchor = if assessment::item(p.field).is_some() {
                    format!("{}-supporter", p.field)
                } else {
                    p.field.to_owned()
                };
                (anchor, problem(p))
            })
            .collect(),
        sheets: sheet_rows(&view.sheet, |i| i.text.to_owned(), typed.map(|t| (t, false)), problems, problem),
        answer_max: ANSWER_MAX,
    }
}

fn parse_sheet(ctx: &Ctx, raw: &str) -> Result<AssessmentId, PageError> {
    uuid::Uuid::parse_str(raw).map(AssessmentId).map_err(|_| PageError::not_found(ctx))
}

/// `GET /assessments/{id}`
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id = parse_sheet(&ctx, &id)?;
    let actor = ctx.require_account()?;
    let view = state.app.assessment_view(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let tr = ctx.tr();
    let mut page = sheet_page(&ctx, tr, &view, None, &Problems::new());
    page.notice = flash.saved.map(|_| tr.get("assessment-saved"));
    Ok(render(StatusCode::OK, &page))
}

/// One side's answers as sent: each item's answer named by the item's code.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AnswersForm {
    pub(crate) csrf: Option<String>,
    pub(crate) version: Option<i64>,
    #[serde(flatten)]
    pub(crate) answers: BTreeMap<String, String>,
}

/// `POST /assessments/{id}`: the supporter's answers.
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<AnswersForm>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_sheet(&ctx, &id)?;
    match state.app.answer_assessment(actor, id, &f.answers, f.version.unwrap_or_default()).await {
        Ok(()) => Ok(Redirect::to(&format!("/assessments/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = state.app.assessment_view(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
            let page = sheet_page(&ctx, ctx.tr(), &view, Some(&f.answers), &problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
