//! The work-transition checklist's pages: a person's checklists with the profile comparing the
//! latest ones (`/persons/{id}/checklists`), one checklist (`/checklists/{id}`) and the form that
//! records or corrects one.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::checklists::PersonChecklists;
use tsunagu_domain::Problems;
use tsunagu_domain::checklist::{
    self, AnswerInput, Area, COMMENT_MAX, Checklist, ChecklistFields, ChecklistId, ChecklistInput, Item, Movement,
    NOT_APPLICABLE, Rating,
};
use tsunagu_domain::person::PersonId;
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::{Lang, Tr};
use crate::web::views::{Field, Layout, date_text, field, render};

/// How many checklists the profile compares: the latest ones.
const COMPARED: usize = 3;

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
}

/// The language the item names are written in, for an English page to mark them.
fn names_lang(tr: Tr) -> Option<&'static str> {
    (tr.lang() == Lang::En).then_some("ja")
}

/// A rating as a cell shows it: `2/5`, or 該当なし.
pub(crate) fn rating_text(tr: Tr, item: &Item, rating: Option<Rating>) -> String {
    match rating {
        Some(Rating::Level(l)) => format!("{l}/{}", item.levels),
        Some(Rating::NotApplicable) => tr.get("checklist-not-applicable"),
        None => String::new(),
    }
}

/// A date as a column heading: short enough for three columns on a phone (2026/11/30).
fn short_date(d: time::Date) -> String {
    format!("{}/{}/{}", d.year(), u8::from(d.month()), d.day())
}

struct ListRow {
    id: Uuid,
    date: String,
    note: String,
}

struct ProfileRow {
    label: String,
    cells: Vec<String>,
    movement: String,
}

struct ProfileArea {
    title: String,
    rows: Vec<ProfileRow>,
}

/// One series of the chart: a checklist's levels, joined where they follow each other.
struct Series {
    class: &'static str,
    path: String,
    marks: Vec<(u32, u32)>,
}

/// The profile drawn for the eye (the tables beside hold the same levels).
struct Chart {
    height: u32,
    columns: Vec<(u32, String)>,
    rows: Vec<(u32, &'static str)>,
    series: Vec<Series>,
}

/// The chart's geometry: a column per level from the best (left) to the worst, a row per item,
/// a gap between the areas.
const CHART_LEFT: f64 = 80.0;
const CHART_SPAN: f64 = 256.0;
const CHART_TOP: u32 = 44;
const ROW_HEIGHT: u32 = 18;
const AREA_GAP: u32 = 12;
const SERIES_CLASSES: [&str; COMPARED] = ["latest", "previous", "earlier"];

fn chart(compared: &[&Checklist]) -> Chart {
    let mut rows = Vec::new();
    let mut y = CHART_TOP;
    let mut last_area = None;
    for item in checklist::items() {
        if last_area.is_some_and(|a| a != item.area) {
            y += AREA_GAP;
        }
        last_area = Some(item.area);
        rows.push((y, item.code));
        y += ROW_HEIGHT;
    }
    let x_of = |position: f64| (CHART_LEFT + position * CHART_SPAN).round() as u32;
    // The latest drawn last, over the others.
    let series = compared
        .iter()
        .zip(SERIES_CLASSES)
        .rev()
        .map(|(k, class)| {
            let mut path = String::new();
            let mut marks = Vec::new();
            let mut joined = false;
            for (item, (y, _)) in checklist::items().iter().zip(&rows) {
                let position = k.fields.answer(item.code).and_then(|a| a.rating.position(item.levels));
                match position {
                    Some(p) => {
                        let x = x_of(p);
                        path.push_str(&format!("{}{x} {y} ", if joined { "L" } else { "M" }));
                        marks.push((x, *y));
                        joined = true;
                    }
                    None => joined = false,
                }
            }
            Series { class, path: path.trim_end().to_owned(), marks }
        })
        .collect();
    let columns = (1..=5u32).map(|l| (x_of(f64::from(l - 1) / 4.0), l.to_string())).collect();
    Chart { height: y + 8, columns, rows, series }
}

fn movement_text(tr: Tr, m: Movement) -> String {
    tr.get(match m {
        Movement::Better => "checklist-better",
        Movement::Same => "checklist-same",
        Movement::Worse => "checklist-worse",
        Movement::NotCompared => "checklist-not-compared",
    })
}

#[derive(Template)]
#[template(path = "person_checklists.html")]
struct PersonChecklistsPage {
    layout: Layout,
    id: Uuid,
    notice: Option<String>,
    writable: bool,
    rows: Vec<ListRow>,
    names_lang: Option<&'static str>,
    /// The dates compared, the latest first.
    columns: Vec<String>,
    areas: Vec<ProfileArea>,
    chart: Option<Chart>,
    /// Between the latest two: how many items moved which way.
    summary: Option<String>,
    better: Vec<String>,
    worse: Vec<String>,
}

async fn read_person(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<PersonChecklists, PageError> {
    let actor = ctx.require_account()?;
    match state.app.person_checklists(actor, person).await {
        Ok(read) => Ok(read),
        Err(AppError::Denied(denial)) => Err(denied_response(ctx, person, denial)),
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// `GET /persons/{id}/checklists`
pub async fn person_checklists(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let tr = ctx.tr();
    let id = parse_person(&ctx, &id)?;
    let read = read_person(&state, &ctx, id).await?;
    let rows = read
        .checklists
        .iter()
        .rev()
        .map(|k| ListRow { id: k.id.0, date: date_text(tr, k.fields.assessed_on), note: k.fields.note.clone() })
        .collect();
    // The latest first.
    let compared: Vec<&Checklist> = read.checklists.iter().rev().take(COMPARED).collect();
    let moved = match compared.as_slice() {
        [latest, previous, ..] => Some(checklist::movements(&previous.fields, &latest.fields)),
        _ => None,
    };
    let areas = Area::ALL
        .iter()
        .map(|area| ProfileArea {
            title: tr.get(&format!("checklist-area-{}", area.code())),
            rows: checklist::items()
                .iter()
                .enumerate()
                .filter(|(_, item)| item.area == *area)
                .map(|(n, item)| ProfileRow {
                    label: item.label(),
                    cells: compared
                        .iter()
                        .map(|k| rating_text(tr, item, k.fields.answer(item.code).map(|a| a.rating)))
                        .collect(),
                    movement: moved.as_ref().map(|m| movement_text(tr, m[n].1)).unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let named = |wanted: Movement| -> Vec<String> {
        moved.iter().flatten().filter(|(_, m)| *m == wanted).map(|(i, _)| i.name.to_owned()).collect()
    };
    let (better, worse) = (named(Movement::Better), named(Movement::Worse));
    let summary = moved.as_ref().map(|m| {
        let count = |wanted: Movement| m.iter().filter(|(_, x)| *x == wanted).count() as i64;
        tr.with(
            "checklist-summary",
            &[
                ("better", count(Movement::Better).into()),
                ("same", count(Movement::Same).into()),
                ("worse", count(Movement::Worse).into()),
            ],
        )
    });
    let page = PersonChecklistsPage {
        layout: ctx.layout(tr.with("checklist-person-title", &[("name", read.name.as_str().into())])),
        id: id.0,
        notice: flash.saved.map(|_| tr.get("checklist-saved")),
        writable: read.writable,
        rows,
        names_lang: names_lang(tr),
        columns: compared.iter().map(|k| short_date(k.fields.assessed_on)).collect(),
        areas,
        chart: (!compared.is_empty()).then(|| chart(&compared)),
        summary,
        better,
        worse,
    };
    Ok(render(StatusCode::OK, &page))
}

struct ViewRow {
    label: String,
    rating: String,
    comment: String,
}

#[derive(Template)]
#[template(path = "checklist.html")]
struct ChecklistPage {
    layout: Layout,
    person: Uuid,
    id: Uuid,
    writable: bool,
    names_lang: Option<&'static str>,
    areas: Vec<(String, Vec<ViewRow>)>,
    note: String,
}

fn parse_checklist(ctx: &Ctx, raw: &str) -> Result<ChecklistId, PageError> {
    Uuid::parse_str(raw).map(ChecklistId).map_err(|_| PageError::not_found(ctx))
}

/// `GET /checklists/{id}`
pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let tr = ctx.tr();
    let id = parse_checklist(&ctx, &id)?;
    let actor = ctx.require_account()?;
    let view = state.app.checklist_view(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let f = &view.checklist.fields;
    let areas = Area::ALL
        .iter()
        .map(|area| {
            let rows = checklist::items()
                .iter()
                .filter(|i| i.area == *area)
                .map(|item| {
                    let answer = f.answer(item.code);
                    ViewRow {
                        label: item.label(),
                        rating: rating_text(tr, item, answer.map(|a| a.rating)),
                        comment: answer.map(|a| a.comment.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            (tr.get(&format!("checklist-area-{}", area.code())), rows)
        })
        .collect();
    let title = tr
        .with("checklist-title", &[("name", view.name.as_str().into()), ("date", date_text(tr, f.assessed_on).into())]);
    let page = ChecklistPage {
        layout: ctx.layout(title),
        person: view.checklist.person.0,
        id: id.0,
        writable: view.writable,
        names_lang: names_lang(tr),
        areas,
        note: f.note.clone(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// One item of the form: its level buttons and its comment.
struct ItemField {
    code: &'static str,
    label: String,
    /// (value, label, checked).
    options: Vec<(String, String, bool)>,
    comment: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "checklist_form.html")]
struct FormPage {
    layout: Layout,
    action: String,
    back: String,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    names_lang: Option<&'static str>,
    assessed_on: Field,
    areas: Vec<(String, Vec<ItemField>)>,
    checklist_note: Field,
    comment_max: u32,
}

struct Target {
    heading: String,
    action: String,
    back: String,
    version: Option<i64>,
}

/// The form's error list: an item's problem names the item and leads to its first level (or
/// its comment); the others as every form shows them.
fn errors(tr: Tr, problems: &Problems) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| match checklist::item(p.field) {
            Some(item) => {
                let anchor = if p.code.starts_with("checklist_comment") {
                    format!("{}-comment", item.code)
                } else {
                    format!("{}-1", item.code)
                };
                (anchor, tr.problem(p.field, false, p.code, p.limit))
            }
            None => (p.field.to_owned(), tr.problem(p.field, false, p.code, p.limit)),
        })
        .collect()
}

fn form(ctx: &Ctx, target: Target, input: &ChecklistInput, problems: &Problems) -> FormPage {
    let tr = ctx.tr();
    let error_list = errors(tr, problems);
    let areas = Area::ALL
        .iter()
        .map(|area| {
            let fields = checklist::items()
                .iter()
                .filter(|i| i.area == *area)
                .map(|item| {
                    let typed = input.answers.get(item.code).cloned().unwrap_or_default();
                    let mut options: Vec<(String, String, bool)> = (1..=item.levels)
                        .map(|l| {
                            let label = match l {
                                1 => tr.get("checklist-level-best"),
                                l if l == item.levels => tr.with("checklist-level-worst", &[("level", l.into())]),
                                l => l.to_string(),
                            };
                            (l.to_string(), label, typed.rating.trim() == l.to_string())
                        })
                        .collect();
                    if item.only_if_applicable {
                        options.push((
                            NOT_APPLICABLE.to_owned(),
                            tr.get("checklist-not-applicable"),
                            typed.rating.trim() == NOT_APPLICABLE,
                        ));
                    }
                    ItemField {
                        code: item.code,
                        label: item.label(),
                        options,
                        comment: typed.comment,
                        error: problems.for_field(item.code).map(|p| tr.problem(p.field, false, p.code, p.limit)),
                    }
                })
                .collect();
            (tr.get(&format!("checklist-area-{}", area.code())), fields)
        })
        .collect();
    FormPage {
        layout: ctx.layout(target.heading),
        action: target.action,
        back: target.back,
        version: target.version,
        errors: error_list,
        names_lang: names_lang(tr),
        assessed_on: field(tr, problems, "assessed_on", &input.assessed_on, "date", 10, true),
        areas,
        checklist_note: field(
            tr,
            problems,
            "checklist_note",
            &input.checklist_note,
            "textarea",
            checklist::NOTE_MAX,
            false,
        ),
        comment_max: COMMENT_MAX,
    }
}

/// The form as submitted: the day, the note, and per item its level (named by the item's code)
/// and its comment (the code and `-comment`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ChecklistForm {
    csrf: Option<String>,
    version: Option<i64>,
    assessed_on: String,
    checklist_note: String,
    #[serde(flatten)]
    answers: HashMap<String, String>,
}

impl ChecklistForm {
    fn input(&self) -> ChecklistInput {
        let mut answers: std::collections::BTreeMap<String, AnswerInput> = std::collections::BTreeMap::new();
        for (key, value) in &self.answers {
            match key.strip_suffix("-comment") {
                Some(code) => answers.entry(code.to_owned()).or_default().comment = value.clone(),
                None => answers.entry(key.clone()).or_default().rating = value.clone(),
            }
        }
        // An item left with a comment and no level is unrated, not unknown: only a name the form
        // does not have is refused as unknown.
        ChecklistInput { assessed_on: self.assessed_on.clone(), checklist_note: self.checklist_note.clone(), answers }
    }
}

async fn new_target(state: &AppState, ctx: &Ctx, person: PersonId) -> Result<Target, PageError> {
    let read = read_person(state, ctx, person).await?;
    if !read.writable {
        return Err(PageError::forbidden(ctx));
    }
    Ok(Target {
        heading: ctx.tr().with("checklist-new-title", &[("name", read.name.as_str().into())]),
        action: format!("/persons/{}/checklists", person.0),
        back: format!("/persons/{}/checklists", person.0),
        version: None,
    })
}

/// `GET /persons/{id}/checklists/new`
pub async fn new_checklist(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let target = new_target(&state, &ctx, id).await?;
    let input = ChecklistInput { assessed_on: state.app.today().to_string(), ..ChecklistInput::default() };
    Ok(render(StatusCode::OK, &form(&ctx, target, &input, &Problems::new())))
}

/// `POST /persons/{id}/checklists`
pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<ChecklistForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, f.csrf.as_deref(), &id)?;
    let input = f.input();
    match state.app.record_checklist(actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{}/checklists?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let target = new_target(&state, &ctx, id).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form(&ctx, target, &input, &problems)))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

async fn edit_target(state: &AppState, ctx: &Ctx, id: ChecklistId) -> Result<(Target, ChecklistFields), PageError> {
    let actor = ctx.require_account()?;
    let view = state.app.checklist_view(actor, id).await.map_err(|e| PageError::of(ctx, e))?;
    if !view.writable {
        return Err(PageError::forbidden(ctx));
    }
    let target = Target {
        heading: ctx.tr().with("checklist-edit-title", &[("name", view.name.as_str().into())]),
        action: format!("/checklists/{}/edit", id.0),
        back: format!("/checklists/{}", id.0),
        version: Some(view.checklist.version),
    };
    Ok((target, view.checklist.fields))
}

/// `GET /checklists/{id}/edit`
pub async fn edit(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_checklist(&ctx, &id)?;
    let (target, fields) = edit_target(&state, &ctx, id).await?;
    Ok(render(StatusCode::OK, &form(&ctx, target, &ChecklistInput::of(&fields), &Problems::new())))
}

/// `POST /checklists/{id}/edit`
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<ChecklistForm>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_checklist(&ctx, &id)?;
    let input = f.input();
    match state.app.edit_checklist(actor, id, &input, f.version.unwrap_or_default()).await {
        Ok(()) => Ok(Redirect::to(&format!("/checklists/{}", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let (target, _) = edit_target(&state, &ctx, id).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &form(&ctx, target, &input, &problems)))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
