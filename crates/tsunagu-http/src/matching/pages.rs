//! A person's matches: the criteria form (hours, where they can commute to, the accommodations
//! they need; their categories and preferred hours come from the record), the best openings with
//! each score's parts, and the near misses with the constraint each misses.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use tsunagu_app::AppError;
use tsunagu_app::matching::{IndexedOpening, MatchInput, Matches};
use tsunagu_domain::Problems;
use tsunagu_domain::matching::{Assessment, Miss, Reason};
use tsunagu_domain::opening::Accommodation;
use uuid::Uuid;

use crate::AppState;
use crate::openings::pages::{hours_text, wage_text};
use crate::persons::pages::parse_person;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::FormQuery;
use crate::web::i18n::Tr;
use crate::web::views::{
    Field, Layout, SelectOption, coded_options, errors_of, field, grouped, municipality_name, municipality_options,
};

/// The criteria as they arrive in the query string.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MatchQuery {
    hours: String,
    areas: Vec<String>,
    needs: Vec<String>,
}

struct Row {
    id: Uuid,
    title: String,
    employer: String,
    hours: String,
    wage: String,
    place: String,
    score: u8,
    /// The score's parts in words.
    why: String,
    /// The constraint missed (near misses).
    missed: String,
}

#[derive(Template)]
#[template(path = "matches.html")]
struct MatchesPage {
    layout: Layout,
    id: String,
    /// The person's internships page, its slots ranked for the areas chosen.
    slots_href: String,
    errors: Vec<(String, String)>,
    hours: Field,
    areas: Field,
    area_options: Vec<SelectOption>,
    areas_chosen: usize,
    needs: Field,
    need_options: Vec<SelectOption>,
    /// The areas and needs searched with are the recorded conditions.
    from_saved: bool,
    /// The person's wishes in their words, from the recorded conditions.
    saved_note: Option<String>,
    summary: String,
    top: Vec<Row>,
    near: Vec<Row>,
}

fn why(tr: Tr, a: &Assessment) -> String {
    a.parts
        .iter()
        .filter(|(r, _)| !matches!(r, Reason::Fits))
        .map(|(r, points)| {
            let detail = match r {
                Reason::Fits => String::new(),
                Reason::Hours(_) => tr.get("match-why-hours"),
                Reason::ExtraAccommodations(n) => tr.with("match-why-extra", &[("count", (*n).into())]),
                Reason::Wage(yen) => tr.with("match-why-wage", &[("yen", grouped((*yen).into()).into())]),
                Reason::Recent(days) => tr.with("match-why-recent", &[("days", (*days).into())]),
            };
            tr.with("match-why-part", &[("what", detail.into()), ("points", (*points).into())])
        })
        .collect::<Vec<_>>()
        .join(tr.separator())
}

fn row(
    tr: Tr,
    refs: &tsunagu_app::reference::References,
    o: &IndexedOpening,
    a: &Assessment,
    missed: Option<Miss>,
) -> Row {
    Row {
        id: o.id.0,
        title: o.fields.title.clone(),
        employer: o.employer_name.clone(),
        hours: hours_text(tr, &o.fields),
        wage: wage_text(tr, &o.fields),
        place: municipality_name(tr, refs, o.fields.municipality.as_ref()),
        score: a.score,
        why: why(tr, a),
        missed: missed.map(|m| tr.get(&format!("match-miss-{}", m.code()))).unwrap_or_default(),
    }
}

/// `GET /persons/{id}/matches`
pub async fn matches(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    FormQuery(query): FormQuery<MatchQuery>,
) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let person = parse_person(&ctx, &id)?;
    // Opened without a search (from the person's page), the recorded conditions apply.
    let input = MatchInput {
        hours: query.hours.clone(),
        areas: query.areas.clone(),
        needs: query.needs.clone(),
        searched: raw.is_some_and(|q| !q.is_empty()),
    };
    let (found, problems): (Option<Matches>, Problems) = match state.app.match_openings(actor, person, &input).await {
        Ok(m) => (Some(m), Problems::new()),
        Err(AppError::Invalid(p)) => (None, p),
        Err(e) => return Err(PageError::of(&ctx, e)),
    };
    let refs = state.app.references().await.map_err(|e| PageError::of(&ctx, e))?;
    let (summary, top, near) = match &found {
        Some(m) => {
            let hours = m
                .criteria
                .hours
                .map_or_else(|| tr.get("match-hours-any"), |h| tr.with("opening-hours-one", &[("hours", h.into())]));
            let categories = m
                .criteria
                .categories
                .iter()
                .map(|c| tr.get(&format!("disability-{}", c.code())))
                .collect::<Vec<_>>()
                .join(tr.separator());
            let summary = tr.with(
                "match-summary",
                &[
                    ("considered", grouped(m.considered as u64).into()),
                    ("hours", hours.into()),
                    ("categories", categories.into()),
                    ("found", m.top.len().into()),
                ],
            );
            let top = m.top.iter().map(|(o, a)| row(tr, &refs, o, a, None)).collect();
            let near = m.near.iter().map(|(o, miss, a)| row(tr, &refs, o, a, Some(*miss))).collect();
            (summary, top, near)
        }
        None => (String::new(), Vec::new(), Vec::new()),
    };
    let mut hours = field(tr, &problems, "hours", &query.hours, "text", 2, false);
    hours.inputmode = Some("numeric");
    hours.hint = Some(tr.get("match-hint-hours"));
    // The boxes show what was searched with: the recorded conditions until the worker searches.
    let (areas, needs) = match found.as_ref().filter(|m| m.from_saved) {
        Some(m) => (
            m.criteria.areas.iter().map(|a| a.as_str().to_owned()).collect(),
            m.criteria.needs.iter().map(|n| n.code().to_owned()).collect(),
        ),
        None => (query.areas.clone(), query.needs.clone()),
    };
    let area_options = municipality_options(tr, &refs, |c| areas.iter().any(|a: &String| a.trim() == c.as_str()));
    let need_options = coded_options(tr, &Accommodation::ALL, Accommodation::code, "accommodation", &needs);
    let saved = found.as_ref().map(|m| {
        let note = m.saved.as_ref().and_then(|s| s.note.as_ref());
        (m.from_saved, note.map(|n| tr.with("match-saved-note", &[("note", n.as_str().into())])))
    });
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = MatchesPage {
        layout: ctx.layout(tr.get("match-title")),
        id,
        errors: errors_of(tr, &problems),
        hours,
        areas_chosen: area_options.iter().filter(|o| o.selected).count(),
        areas: field(tr, &problems, "areas", "", "checkbox", 0, false),
        area_options,
        needs: field(tr, &problems, "needs", "", "checkbox", 0, false),
        need_options,
        slots_href: format!(
            "/persons/{}/internships{}",
            person.0,
            found.as_ref().map_or_else(String::new, |m| {
                let areas: Vec<String> = m.criteria.areas.iter().map(|a| format!("areas={}", a.as_str())).collect();
                if areas.is_empty() { String::new() } else { format!("?{}", areas.join("&")) }
            })
        ),
        from_saved: saved.as_ref().is_some_and(|(from, _)| *from),
        saved_note: saved.and_then(|(_, note)| note),
        summary,
        top,
        near,
    };
    Ok(crate::web::views::render(status, &page))
}

struct PersonRow {
    id: Uuid,
    name: String,
    score: String,
    why: String,
}

#[derive(Template)]
#[template(path = "opening_matches.html")]
struct OpeningMatchesPage {
    layout: Layout,
    id: Uuid,
    employer: Uuid,
    /// Agencies' staff may record a placement from here (an employer's account may not).
    may_record: bool,
    suited: Vec<PersonRow>,
    missed: Vec<PersonRow>,
}

/// `GET /openings/{id}/matches`
pub async fn opening_matches(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let tr = ctx.tr();
    let actor = ctx.require_account()?;
    let id = Uuid::parse_str(&id).map(tsunagu_domain::opening::OpeningId).map_err(|_| PageError::not_found(&ctx))?;
    let view = state.app.opening(Some(actor), id).await.map_err(|e| PageError::of(&ctx, e))?;
    let found = state.app.match_persons(actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let (mut suited, mut missed) = (Vec::new(), Vec::new());
    for m in found {
        match &m.outcome {
            Ok(a) => {
                suited.push(PersonRow { id: m.person.0, name: m.name, score: a.score.to_string(), why: why(tr, a) })
            }
            Err(misses) => missed.push(PersonRow {
                id: m.person.0,
                name: m.name,
                score: String::new(),
                why: misses
                    .iter()
                    .map(|x| tr.get(&format!("match-miss-{}", x.code())))
                    .collect::<Vec<_>>()
                    .join(tr.separator()),
            }),
        }
    }
    let page = OpeningMatchesPage {
        layout: ctx.layout(tr.with("opening-matches-title", &[("title", view.opening.fields.title.clone().into())])),
        id: id.0,
        employer: view.opening.employer.0,
        may_record: tsunagu_app::App::may_register(actor),
        suited,
        missed,
    };
    Ok(crate::web::views::render(StatusCode::OK, &page))
}
