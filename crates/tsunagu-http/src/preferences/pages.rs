//! A person's job-search conditions (`/persons/{id}/preferences`): what is recorded, with the
//! hours and categories the record gives, and for those who may write them, the form.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::preferences::PersonPreferences;
use tsunagu_domain::Problems;
use tsunagu_domain::opening::Accommodation;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::preferences::{NOTE_MAX, PreferencesInput};
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{
    Field, Layout, SelectOption, coded_options, errors_of, field, municipality_name, municipality_options, render,
    time_text,
};

#[derive(Template)]
#[template(path = "preferences.html")]
struct PreferencesPage {
    layout: Layout,
    id: Uuid,
    notice: Option<String>,
    /// What the record and the conditions say, as (label, value).
    facts: Vec<(String, String)>,
    writable: bool,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    areas: Field,
    area_options: Vec<SelectOption>,
    areas_chosen: usize,
    needs: Field,
    need_options: Vec<SelectOption>,
    note: Field,
}

/// The names of `codes`' accommodations, joined.
pub(crate) fn needs_text(tr: Tr, needs: &[Accommodation]) -> String {
    needs.iter().map(|n| tr.get(&format!("accommodation-{}", n.code()))).collect::<Vec<_>>().join(tr.separator())
}

fn page(
    ctx: &Ctx,
    refs: &tsunagu_app::reference::References,
    id: PersonId,
    read: &PersonPreferences,
    input: Option<&PreferencesInput>,
    problems: &Problems,
    notice: Option<String>,
) -> PreferencesPage {
    let tr = ctx.tr();
    let stored = read.preferences.as_ref();
    let typed = input.cloned().unwrap_or_else(|| stored.map(|p| PreferencesInput::of(&p.fields)).unwrap_or_default());
    let none = || tr.get("preferences-none-given");
    let mut facts = vec![
        (
            tr.field("preferred_hours"),
            read.preferred_hours.map_or_else(none, |h| tr.with("opening-hours-one", &[("hours", h.into())])),
        ),
        (
            tr.get("preferences-categories"),
            read.categories
                .iter()
                .map(|c| tr.get(&format!("disability-{}", c.code())))
                .collect::<Vec<_>>()
                .join(tr.separator()),
        ),
    ];
    if let Some(p) = stored {
        let f = &p.fields;
        let areas = f.areas.iter().map(|a| municipality_name(tr, refs, Some(a))).collect::<Vec<_>>();
        facts.push((
            tr.field("areas"),
            if areas.is_empty() { tr.get("preferences-anywhere") } else { areas.join(tr.separator()) },
        ));
        facts.push((tr.field("needs"), if f.needs.is_empty() { none() } else { needs_text(tr, &f.needs) }));
        facts.push((tr.field("preference_note"), f.note.clone().unwrap_or_else(none)));
        facts.push((tr.get("preferences-recorded-at"), time_text(tr, p.updated_at)));
    }
    let area_options = municipality_options(tr, refs, |c| typed.areas.iter().any(|a| a.trim() == c.as_str()));
    let mut areas = field(tr, problems, "areas", "", "checkbox", 0, false);
    areas.hint = Some(tr.with("preferences-hint-areas", &[("limit", tsunagu_domain::preferences::MAX_AREAS.into())]));
    let mut note = field(tr, problems, "preference_note", &typed.note, "textarea", NOTE_MAX, false);
    note.hint = Some(tr.get("preferences-hint-note"));
    PreferencesPage {
        layout: ctx.layout(tr.with("preferences-title-of", &[("name", read.name.as_str().into())])),
        id: id.0,
        notice,
        facts,
        writable: read.writable,
        version: stored.map(|p| p.version),
        errors: errors_of(tr, problems),
        areas_chosen: area_options.iter().filter(|o| o.selected).count(),
        areas,
        area_options,
        needs: field(tr, problems, "needs", "", "checkbox", 0, false),
        need_options: coded_options(tr, &Accommodation::ALL, Accommodation::code, "accommodation", &typed.needs),
        note,
    }
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    id: PersonId,
    input: Option<&PreferencesInput>,
    problems: &Problems,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult {
    let actor = ctx.require_account()?;
    let read = match state.app.person_preferences(actor, id).await {
        Ok(read) => read,
        Err(AppError::Denied(denial)) => return Err(denied_response(ctx, id, denial)),
        Err(e) => return Err(PageError::of(ctx, e)),
    };
    let refs = state.app.references().await.map_err(|e| PageError::of(ctx, e))?;
    Ok(render(status, &page(ctx, &refs, id, &read, input, problems, notice)))
}

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PreferencesFlash {
    saved: Option<String>,
}

/// `GET /persons/{id}/preferences`
pub async fn preferences(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<PreferencesFlash>,
) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let notice = flash.saved.map(|_| ctx.tr().get("preferences-saved"));
    show(&state, &ctx, id, None, &Problems::new(), notice, StatusCode::OK).await
}

/// The form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PreferencesForm {
    csrf: Option<String>,
    version: Option<i64>,
    areas: Vec<String>,
    needs: Vec<String>,
    preference_note: String,
}

/// `POST /persons/{id}/preferences`
pub async fn record_preferences(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<PreferencesForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let input = PreferencesInput { areas: form.areas, needs: form.needs, note: form.preference_note };
    match state.app.record_preferences(actor, id, &input, form.version).await {
        Ok(()) => Ok(Redirect::to(&format!("/persons/{}/preferences?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            show(&state, &ctx, id, Some(&input), &problems, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
