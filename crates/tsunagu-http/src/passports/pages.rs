//! The passport's pages for staff: the passport (`/persons/{id}/passport`) with its answers to
//! write, its printable page, its workbook and the import of a filled one. The printable page is
//! also the person's (`/me/passport/print`).

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tsunagu_app::AppError;
use tsunagu_app::passports::PassportView;
use tsunagu_domain::Problems;
use tsunagu_domain::passport::{self, ANSWER_MAX, SECTIONS};
use tsunagu_domain::person::PersonId;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::upload::{UploadRefused, accept_upload};
use crate::web::views::{Layout, date_text, download, render, time_text};

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
    imported: Option<usize>,
    given: Option<String>,
}

/// An item of the passport as a page shows it.
pub(crate) struct ItemRow {
    pub(crate) code: &'static str,
    pub(crate) text: &'static str,
    pub(crate) easy: &'static str,
    pub(crate) provisional: bool,
    pub(crate) answer: String,
    pub(crate) error: Option<String>,
}

/// A section with its items and whether the person chose it.
pub(crate) struct SectionRows {
    pub(crate) code: &'static str,
    pub(crate) title: &'static str,
    pub(crate) easy: &'static str,
    pub(crate) shown: bool,
    pub(crate) items: Vec<ItemRow>,
}

/// The sections item by item from `answers`, `shown` the sections chosen; a problem reported on
/// an item's code becomes its error through `problem`.
pub(crate) fn section_rows(
    answers: &BTreeMap<String, String>,
    shown: &BTreeSet<String>,
    problems: &Problems,
    problem: impl Fn(&tsunagu_domain::Problem) -> String,
) -> Vec<SectionRows> {
    SECTIONS
        .iter()
        .map(|s| SectionRows {
            code: s.code,
            title: s.title,
            easy: s.easy,
            shown: shown.contains(s.code),
            items: passport::items()
                .iter()
                .filter(|i| i.section == s.code)
                .map(|i| ItemRow {
                    code: i.code,
                    text: i.text,
                    easy: i.easy,
                    provisional: !i.verified,
                    answer: answers.get(i.code).cloned().unwrap_or_default(),
                    error: problems.for_field(i.code).map(&problem),
                })
                .collect(),
        })
        .collect()
}

/// One time the passport was given.
pub(crate) struct GivenRow {
    pub(crate) at: String,
    pub(crate) to: String,
    pub(crate) sections: String,
}

/// Each time `view`'s passport was given, as rows, the section titles from `title`.
pub(crate) fn given_rows(
    view: &PassportView,
    at: impl Fn(time::OffsetDateTime) -> String,
    title: impl Fn(&passport::Section) -> String,
) -> Vec<GivenRow> {
    view.given
        .iter()
        .map(|(p, name)| GivenRow {
            at: at(p.at),
            to: name.clone(),
            sections: p
                .items
                .iter()
                .filter_map(|i| i.strip_prefix("passport:").and_then(passport::section))
                .map(&title)
                .collect::<Vec<_>>()
                .join("、"),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "person_passport.html")]
struct PassportPage {
    layout: Layout,
    notice: Option<String>,
    id: uuid::Uuid,
    version: i64,
    begun: bool,
    writable: bool,
    errors: Vec<(String, String)>,
    sections: Vec<SectionRows>,
    given: Vec<GivenRow>,
    answer_max: u32,
}

fn passport_page(
    ctx: &Ctx,
    tr: Tr,
    view: &PassportView,
    typed: Option<&BTreeMap<String, String>>,
    problems: &Problems,
) -> PassportPage {
    let problem = |p: &tsunagu_domain::Problem| {
        let label = passport::item(p.field).map_or_else(|| tr.field(p.field), |i| format!("{} {}", i.code, i.text));
        tr.problem(&label, true, p.code, p.limit)
    };
    let fields = view.fields();
    PassportPage {
        layout: ctx.layout(tr.with("passport-title", &[("name", view.name.as_str().into())])),
        notice: None,
        id: view.person.0,
        version: view.version(),
        begun: view.passport.is_some(),
        writable: view.writable,
        errors: problems
            .iter()
            .map(|p| {
                let anchor =
                    if passport::item(p.field).is_some() { format!("{}-answer", p.field) } else { p.field.into() };
                (anchor, problem(p))
            })
            .collect(),
        sections: section_rows(typed.unwrap_or(&view.draft), &fields.shown, problems, problem),
        given: given_rows(view, |at| time_text(tr, at), |s| s.title.to_owned()),
        answer_max: ANSWER_MAX,
    }
}

async fn read(state: &AppState, ctx: &Ctx, id: PersonId) -> Result<PassportView, PageError> {
    let actor = ctx.require_account()?;
    match state.app.passport_view(actor, id).await {
        Ok(view) => Ok(view),
        Err(AppError::Denied(denial)) => Err(denied_response(ctx, id, denial)),
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// `GET /persons/{id}/passport`
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let view = read(&state, &ctx, id).await?;
    let tr = ctx.tr();
    let mut page = passport_page(&ctx, tr, &view, None, &Problems::new());
    page.notice = match (flash.saved, flash.imported) {
        (_, Some(n)) => Some(tr.with("passport-imported", &[("count", n.into())])),
        (Some(_), None) => Some(tr.get("passport-saved")),
        (None, None) => None,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The answers as sent: each item's answer named by the item's code.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AnswersForm {
    pub(crate) csrf: Option<String>,
    pub(crate) version: Option<i64>,
    #[serde(flatten)]
    pub(crate) answers: BTreeMap<String, String>,
}

/// `POST /persons/{id}/passport`: the answers (the sections stay as the person chose them).
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(f): Submitted<AnswersForm>,
) -> PageResult {
    let actor = ctx.authorize_form(f.csrf.as_deref())?;
    let id = parse_person(&ctx, &id)?;
    match state.app.write_passport(actor, id, &f.answers, None, f.version).await {
        Ok(()) => Ok(Redirect::to(&format!("/persons/{}/passport?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = read(&state, &ctx, id).await?;
            let page = passport_page(&ctx, ctx.tr(), &view, Some(&f.answers), &problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `POST /persons/{id}/passport/import`: a filled passport workbook; nothing is written when any
/// row is refused.
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let id = parse_person(&ctx, &id)?;
    let tr = ctx.tr();
    let (actor, bytes, fields) = match accept_upload(&ctx, &mut multipart).await {
        Ok(accepted) => accepted,
        Err(UploadRefused::Response(r)) => return Ok(r),
        Err(UploadRefused::Problems(rows)) => {
            let view = read(&state, &ctx, id).await?;
            let mut page = passport_page(&ctx, tr, &view, None, &Problems::new());
            page.errors = rows.into_iter().map(|(_, _, message)| ("file".to_owned(), message)).collect();
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let version = fields.iter().find(|(n, _)| n == "version").and_then(|(_, v)| v.parse().ok());
    match state.app.import_passport(actor, id, &bytes, version).await {
        Ok(n) => Ok(Redirect::to(&format!("/persons/{}/passport?imported={n}", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = read(&state, &ctx, id).await?;
            let mut page = passport_page(&ctx, tr, &view, None, &problems);
            page.errors = problems
                .iter()
                .map(|p| {
                    let message = match (p.field, p.limit) {
                        ("file", Some(n)) => {
                            tr.with(&format!("error-{}", p.code), &[("line", n.into()), ("limit", n.into())])
                        }
                        ("file", None) => tr.get(&format!("error-{}", p.code)),
                        _ => tr.problem(
                            &passport::item(p.field).map_or_else(|| tr.field(p.field), |i| i.text.to_owned()),
                            true,
                            p.code,
                            p.limit,
                        ),
                    };
                    ("file".to_owned(), message)
                })
                .collect();
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `GET /persons/{id}/passport.xlsx`: the chosen sections as a workbook.
pub async fn export_xlsx(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    xlsx_of(&state, &ctx, id).await
}

/// The chosen sections of the person's passport as a workbook download.
pub(crate) async fn xlsx_of(state: &AppState, ctx: &Ctx, id: PersonId) -> PageResult {
    let actor = ctx.require_account()?;
    let bytes = match state.app.passport_xlsx(actor, id).await {
        Ok(bytes) => bytes,
        Err(AppError::Denied(denial)) => return Err(denied_response(ctx, id, denial)),
        Err(e) => return Err(PageError::of(ctx, e)),
    };
    let name = crate::web::views::file_name(&["就労パスポート"], state.app.today(), "xlsx");
    Ok(download(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &name))
}

#[derive(Template)]
#[template(path = "passport_print.html")]
struct PrintPage {
    layout: Layout,
    name: String,
    date: String,
    back: String,
    sections: Vec<SectionRows>,
}

/// The printable page of the person's passport: the chosen sections only, in the words of the
/// form (it is given to an employer). `back` is the page it was opened from.
pub(crate) async fn print_of(state: &AppState, ctx: &Ctx, id: PersonId, back: String) -> PageResult {
    let view = read(state, ctx, id).await?;
    let tr = ctx.tr();
    let fields = view.fields();
    let sections = section_rows(&fields.answers, &fields.shown, &Problems::new(), |_| String::new())
        .into_iter()
        .filter(|s| s.shown);
    let page = PrintPage {
        layout: ctx.layout(tr.get("passport-print-title")),
        name: view.name.clone(),
        date: date_text(tr, state.app.today()),
        back,
        sections: sections.collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /persons/{id}/passport/print`
pub async fn print(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    print_of(&state, &ctx, id, format!("/persons/{}/passport", id.0)).await
}

impl Flash {
    /// The passport was just given.
    pub(crate) fn given(&self) -> bool {
        self.given.is_some()
    }

    /// The passport was just saved.
    pub(crate) fn saved(&self) -> bool {
        self.saved.is_some()
    }
}
