//! The person's own 就労パスポート: write it, choose which sections go in, print it or take its
//! workbook, and give it to one of their short list (`/me/passport`).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::me::Register;
use tsunagu_app::passports::PassportView;
use tsunagu_domain::Problems;
use tsunagu_domain::passport::ANSWER_MAX;

use super::pages::{layout, own};
use crate::AppState;
use crate::passports::pages::{Flash, GivenRow, SectionRows, given_rows, print_of, section_rows, xlsx_of};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::views::{Layout, plain_date, render};
use crate::web::words::{Markup, Words};

/// The form's checkbox of a section is named this and the section's code.
const SECTION_FIELD: &str = "section-";

#[derive(Template)]
#[template(path = "me_passport.html")]
struct PassportPage {
    layout: Layout,
    w: Words,
    easy: bool,
    notice: Option<Markup>,
    version: i64,
    errors: Vec<(String, Markup)>,
    sections: Vec<SectionRows>,
    given: Vec<GivenRow>,
    answer_max: u32,
}

fn passport_page(
    ctx: &Ctx,
    w: Words,
    view: &PassportView,
    typed: Option<(&BTreeMap<String, String>, &std::collections::BTreeSet<String>)>,
    problems: &Problems,
) -> PassportPage {
    let problem = |p: &tsunagu_domain::Problem| w.text(&format!("me-error-{}", p.code));
    let fields = view.fields();
    let (answers, shown) = typed.unwrap_or((&view.draft, &fields.shown));
    let easy = w.register() == Register::Easy;
    PassportPage {
        layout: layout(ctx, w, "me-passport-title"),
        w,
        easy,
        notice: None,
        version: view.version(),
        errors: problems
            .iter()
            .map(|p| {
                let anchor = if tsunagu_domain::passport::item(p.field).is_some() {
                    format!("{}-own", p.field)
                } else {
                    "sections".to_owned()
                };
                (anchor, w.get(&format!("me-error-{}", p.code)))
            })
            .collect(),
        sections: section_rows(answers, shown, problems, problem),
        given: given_rows(
            view,
            |at| plain_date(w.lang(), tsunagu_app::clock::tokyo_date(at)),
            |s| if easy { crate::web::words::plain(s.easy) } else { s.title.to_owned() },
        ),
        answer_max: ANSWER_MAX,
    }
}

async fn own_view(
    state: &AppState,
    ctx: &Ctx,
) -> Result<(tsunagu_domain::account::Account, Words, PassportView), PageError> {
    let (actor, id, w) = own(state, ctx).await?;
    let view = state.app.passport_view(&actor, id).await.map_err(|e| PageError::of(ctx, e))?;
    Ok((actor, w, view))
}

/// `GET /me/passport`
pub async fn passport(State(state): State<AppState>, ctx: Ctx, Query(flash): Query<Flash>) -> PageResult {
    let (_, w, view) = own_view(&state, &ctx).await?;
    let mut page = passport_page(&ctx, w, &view, None, &Problems::new());
    page.notice = if flash.given() {
        Some(w.get("me-passport-given"))
    } else if flash.saved() {
        Some(w.get("me-passport-saved"))
    } else {
        None
    };
    Ok(render(StatusCode::OK, &page))
}

/// The person's passport as sent: each item's answer named by its code, each section chosen as
/// `section-<n>`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PassportForm {
    csrf: Option<String>,
    version: Option<i64>,
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}

/// `POST /me/passport`: the person's answers and the sections they chose.
pub async fn save(State(state): State<AppState>, ctx: Ctx, Submitted(f): Submitted<PassportForm>) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let (actor, id, w) = own(&state, &ctx).await?;
    let (chosen, answers): (BTreeMap<String, String>, BTreeMap<String, String>) =
        f.fields.into_iter().partition(|(k, _)| k.starts_with(SECTION_FIELD));
    let shown: Vec<String> = chosen.keys().filter_map(|k| k.strip_prefix(SECTION_FIELD)).map(str::to_owned).collect();
    match state.app.write_passport(&actor, id, &answers, Some(&shown), f.version).await {
        Ok(()) => Ok(Redirect::to("/me/passport?saved=1").into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = state.app.passport_view(&actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
            let ticked = shown.into_iter().collect();
            let page = passport_page(&ctx, w, &view, Some((&answers, &ticked)), &problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

struct ChoiceRow {
    key: String,
    name: String,
}

#[derive(Template)]
#[template(path = "me_passport_give.html")]
struct GivePage {
    layout: Layout,
    w: Words,
    error: Option<Markup>,
    sections: Vec<Markup>,
    choices: Vec<ChoiceRow>,
}

async fn give_page(state: &AppState, ctx: &Ctx, error: Option<Markup>) -> Result<GivePage, PageError> {
    let (actor, w, view) = own_view(state, ctx).await?;
    let easy = w.register() == Register::Easy;
    let fields = view.fields();
    let sections = tsunagu_domain::passport::SECTIONS
        .iter()
        .filter(|s| fields.shown.contains(s.code))
        .map(|s| if easy { w.markup(s.easy) } else { w.markup(s.title) })
        .collect();
    let choices = state
        .app
        .consent_choices(&actor)
        .await
        .map_err(|e| PageError::of(ctx, e))?
        .into_iter()
        .map(|c| ChoiceRow { key: c.key, name: c.name })
        .collect();
    Ok(GivePage { layout: layout(ctx, w, "me-passport-give-title"), w, error, sections, choices })
}

/// `GET /me/passport/give`: what goes, and to whom.
pub async fn give_form(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    Ok(render(StatusCode::OK, &give_page(&state, &ctx, None).await?))
}

/// The recipient chosen.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct GiveForm {
    csrf: Option<String>,
    choice: String,
}

/// `POST /me/passport/give`
pub async fn give(State(state): State<AppState>, ctx: Ctx, Submitted(f): Submitted<GiveForm>) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let (actor, _, w) = own(&state, &ctx).await?;
    match state.app.give_passport(&actor, &f.choice).await {
        Ok(()) => Ok(Redirect::to("/me/passport?given=1").into_response()),
        Err(AppError::Invalid(problems)) => {
            let code = problems.iter().next().map_or("required_choice", |p| p.code);
            let error = w.get(&format!("me-error-{code}"));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &give_page(&state, &ctx, Some(error)).await?))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// `GET /me/passport/print`: the printable page, in the words of the form.
pub async fn print(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, id, _) = own(&state, &ctx).await?;
    print_of(&state, &ctx, id, "/me/passport".to_owned()).await
}

/// `GET /me/passport.xlsx`
pub async fn export_xlsx(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, id, _) = own(&state, &ctx).await?;
    xlsx_of(&state, &ctx, id).await
}
