//! The person's own pages. One task per page, large controls, and every sentence in the register
//! the person chose ([`Words`]): about me, who may see my data (give, withdraw with a
//! confirmation, undo), who looked, getting my data, my account.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use fluent_templates::fluent_bundle::FluentValue;
use tsunagu_app::me::{Register, UNDO_MINUTES};
use tsunagu_app::{App, AppError};
use tsunagu_domain::Problems;
use tsunagu_domain::account::Account;
use tsunagu_domain::consent::{ConsentId, DataCategory, Recipient};
use tsunagu_domain::person::PersonId;
use uuid::Uuid;

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::views::{Layout, plain_date, render};
use crate::web::words::{Markup, Words, escaped};

/// The categories a person may add to a consent beyond their name and contact details.
const OFFERED: [DataCategory; 4] =
    [DataCategory::Support, DataCategory::Disability, DataCategory::Health, DataCategory::Assessment];

/// The actor as a person with their own record, and the words of their pages.
pub(super) async fn own(state: &AppState, ctx: &Ctx) -> Result<(Account, PersonId, Words), PageError> {
    let actor = ctx.require_account()?.clone();
    let person = App::own_person(&actor).map_err(|_| PageError::forbidden(ctx))?;
    let register = state.app.register_of(&actor).await.map_err(|e| PageError::of(ctx, e))?;
    Ok((actor, person, Words::new(register)))
}

/// The layout of a page titled by `key`, in the language of the person's register.
pub(super) fn layout(ctx: &Ctx, w: Words, key: &str) -> Layout {
    let mut layout = ctx.layout(w.plain(key));
    layout.tr = w.lang().tr();
    layout
}

fn category_words(w: Words, c: DataCategory) -> Markup {
    w.get(&format!("me-category-{}", c.code()))
}

// ---------------------------------------------------------------------------------------------
// About me

struct Fact {
    label: Markup,
    value: String,
}

struct Upcoming {
    date: String,
    what: String,
}

#[derive(Template)]
#[template(path = "me_home.html")]
struct HomePage {
    layout: Layout,
    w: Words,
    hello: Markup,
    facts: Vec<Fact>,
    stage: Option<Markup>,
    goal: Option<String>,
    actions: Option<String>,
    review: Option<Markup>,
    upcoming: Vec<Upcoming>,
}

/// `GET /me`
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (actor, id, w) = own(&state, &ctx).await?;
    let lang = w.lang();
    let view = state.app.open_person(&actor, id, None).await.map_err(|e| PageError::of(&ctx, e))?;
    let view = view.confirmed().await.map_err(|e| PageError::of(&ctx, e))?;
    let timeline = state.app.timeline(&actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let events = state.app.person_events(&actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let f = &view.person.fields;
    let today = state.app.today();
    let mut facts = vec![
        Fact { label: w.get("me-fact-name"), value: f.name.clone() },
        Fact { label: w.get("me-fact-kana"), value: f.name_kana.clone() },
        Fact { label: w.get("me-fact-birth"), value: plain_date(lang, f.birth_date) },
    ];
    for (key, value) in [("me-fact-phone", &f.phone), ("me-fact-email", &f.email), ("me-fact-address", &f.address)] {
        if let Some(v) = value {
            facts.push(Fact { label: w.get(key), value: v.clone() });
        }
    }
    let plan = timeline.plans.iter().find(|p| p.outcome.is_none());
    let mut upcoming: Vec<(time::Date, String)> = events
        .signups
        .iter()
        .filter(|(line, event)| line.signup.cancelled_at.is_none() && event.fields.starts_on >= today)
        .map(|(_, event)| (event.fields.starts_on, event.fields.title.clone()))
        .collect();
    if let Some(on) = plan.and_then(|p| p.review_on).filter(|d| *d >= today) {
        upcoming.push((on, w.plain("me-plan-review-event")));
    }
    upcoming.sort();
    let page = HomePage {
        layout: layout(&ctx, w, "me-home-title"),
        w,
        hello: w.with("me-hello", &[("name", f.name.as_str().into())]),
        facts,
        stage: timeline.stage.map(|s| w.get(&format!("me-stage-{}", s.code()))),
        goal: plan.map(|p| p.fields.goal.clone()),
        actions: plan.map(|p| p.fields.actions.clone()),
        review: plan
            .and_then(|p| p.review_on)
            .map(|d| w.with("me-plan-review", &[("date", plain_date(lang, d).into())])),
        upcoming: upcoming.into_iter().map(|(d, what)| Upcoming { date: plain_date(lang, d), what }).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------------------------------------
// Who may see my data

struct Sharing {
    id: Uuid,
    name: String,
    what: Vec<Markup>,
    why: Markup,
    until: Markup,
}

struct ChoiceRow {
    key: String,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "me_sharing.html")]
struct SharingPage {
    layout: Layout,
    w: Words,
    notice: Option<Markup>,
    /// A withdrawal just made, that one press takes back.
    undo: Option<Uuid>,
    error: Option<Markup>,
    sharing: Vec<Sharing>,
    choices: Vec<ChoiceRow>,
    offered: Vec<(&'static str, Markup, bool)>,
}

/// What a redirect to the sharing page leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SharingFlash {
    given: Option<String>,
    withdrawn: Option<String>,
    undone: Option<String>,
}

fn why(w: Words, recipient: &Recipient) -> Markup {
    w.get(match recipient {
        Recipient::Employer(_) => "me-why-employer",
        Recipient::Agency(_) | Recipient::Block(_) => "me-why-agency",
    })
}

async fn sharing_page(
    state: &AppState,
    ctx: &Ctx,
    (actor, id, w): (&Account, PersonId, Words),
    notice: Option<Markup>,
    undo: Option<Uuid>,
    typed: Option<(&str, &[String], Markup)>,
) -> Result<SharingPage, PageError> {
    let view = state.app.open_person(actor, id, None).await.map_err(|e| PageError::of(ctx, e))?;
    let view = view.confirmed().await.map_err(|e| PageError::of(ctx, e))?;
    let (now, today) = (state.app.now(), state.app.today());
    let mut sharing = Vec::new();
    for record in view.consents.iter().filter(|c| c.consent.in_force(now, today)) {
        let c = &record.consent;
        let name = state.app.recipient_name(&c.recipient).await.map_err(|e| PageError::of(ctx, e))?;
        sharing.push(Sharing {
            id: c.id.0,
            name,
            what: c.categories.iter().map(|k| category_words(w, *k)).collect(),
            why: why(w, &c.recipient),
            until: match c.valid_to {
                Some(d) => w.with("me-until", &[("date", plain_date(w.lang(), d).into())]),
                None => w.get("me-until-withdrawn"),
            },
        });
    }
    let choices = state.app.consent_choices(actor).await.map_err(|e| PageError::of(ctx, e))?;
    let (chosen, categories, error) = match typed {
        Some((chosen, categories, error)) => (chosen, categories, Some(error)),
        None => ("", &[][..], None),
    };
    Ok(SharingPage {
        layout: layout(ctx, w, "me-sharing-title"),
        w,
        notice,
        undo,
        error,
        sharing,
        choices: choices
            .into_iter()
            .map(|c| ChoiceRow { checked: c.key == chosen, key: c.key, name: c.name })
            .collect(),
        offered: OFFERED
            .iter()
            .map(|c| (c.code(), category_words(w, *c), categories.iter().any(|k| k == c.code())))
            .collect(),
    })
}

/// `GET /me/sharing`
pub async fn sharing(State(state): State<AppState>, ctx: Ctx, Query(flash): Query<SharingFlash>) -> PageResult {
    let (actor, id, w) = own(&state, &ctx).await?;
    let undo = flash.withdrawn.as_deref().and_then(|raw| Uuid::parse_str(raw).ok());
    let notice = if undo.is_some() {
        Some(w.with("me-withdrawn", &[("minutes", UNDO_MINUTES.into())]))
    } else if flash.undone.is_some() {
        Some(w.get("me-undone"))
    } else if flash.given.is_some() {
        Some(w.get("me-given"))
    } else {
        None
    };
    let page = sharing_page(&state, &ctx, (&actor, id, w), notice, undo, None).await?;
    Ok(render(StatusCode::OK, &page))
}

/// The consent form as sent.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct GiveForm {
    csrf: Option<String>,
    choice: String,
    categories: Vec<String>,
}

/// `POST /me/sharing`
pub async fn give(State(state): State<AppState>, ctx: Ctx, Submitted(f): Submitted<GiveForm>) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let (actor, id, w) = own(&state, &ctx).await?;
    let categories: Vec<String> =
        f.categories.iter().filter(|c| OFFERED.iter().any(|o| o.code() == c.as_str())).cloned().collect();
    match state.app.give_own_consent(&actor, &f.choice, &categories).await {
        Ok(_) => Ok(Redirect::to("/me/sharing?given=1").into_response()),
        Err(AppError::Invalid(_)) => {
            let error = w.get("me-choose-who");
            let page =
                sharing_page(&state, &ctx, (&actor, id, w), None, None, Some((&f.choice, &categories, error))).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

#[derive(Template)]
#[template(path = "me_withdraw.html")]
struct WithdrawPage {
    layout: Layout,
    w: Words,
    id: Uuid,
    stops: Markup,
    what: Vec<Markup>,
}

fn parse_consent(ctx: &Ctx, raw: &str) -> Result<ConsentId, PageError> {
    Uuid::parse_str(raw).map(ConsentId).map_err(|_| PageError::not_found(ctx))
}

/// `GET /me/sharing/{consent}/withdraw`: who will stop seeing what, before anything changes.
pub async fn confirm_withdrawal(State(state): State<AppState>, ctx: Ctx, Path(consent): Path<String>) -> PageResult {
    let (actor, id, w) = own(&state, &ctx).await?;
    let consent = parse_consent(&ctx, &consent)?;
    let view = state.app.open_person(&actor, id, None).await.map_err(|e| PageError::of(&ctx, e))?;
    let view = view.confirmed().await.map_err(|e| PageError::of(&ctx, e))?;
    let (now, today) = (state.app.now(), state.app.today());
    let record = view
        .consents
        .iter()
        .find(|c| c.consent.id == consent && c.consent.in_force(now, today))
        .ok_or_else(|| PageError::not_found(&ctx))?;
    let name = state.app.recipient_name(&record.consent.recipient).await.map_err(|e| PageError::of(&ctx, e))?;
    let page = WithdrawPage {
        layout: layout(&ctx, w, "me-withdraw-title"),
        w,
        id: consent.0,
        stops: w.with("me-withdraw-stops", &[("name", FluentValue::from(name))]),
        what: record.consent.categories.iter().map(|k| category_words(w, *k)).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// A form that sends only its CSRF token.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: Option<String>,
}

/// `POST /me/sharing/{consent}/withdraw`
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(consent): Path<String>,
    Submitted(f): Submitted<CsrfForm>,
) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let (actor, id, _) = own(&state, &ctx).await?;
    let consent = parse_consent(&ctx, &consent)?;
    state.app.revoke_consent(&actor, id, consent).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(Redirect::to(&format!("/me/sharing?withdrawn={}", consent.0)).into_response())
}

/// `POST /me/sharing/{consent}/undo`
pub async fn undo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(consent): Path<String>,
    Submitted(f): Submitted<CsrfForm>,
) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let (actor, id, w) = own(&state, &ctx).await?;
    let consent = parse_consent(&ctx, &consent)?;
    match state.app.undo_withdrawal(&actor, consent).await {
        Ok(_) => Ok(Redirect::to("/me/sharing?undone=1").into_response()),
        Err(AppError::Invalid(_)) => {
            let error = w.with("me-undo-too-late", &[("minutes", UNDO_MINUTES.into())]);
            let page = sharing_page(&state, &ctx, (&actor, id, w), Some(error), None, None).await?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Who looked

struct LookRow {
    when: String,
    who: Markup,
    did: Markup,
}

#[derive(Template)]
#[template(path = "me_looked.html")]
struct LookedPage {
    layout: Layout,
    w: Words,
    rows: Vec<LookRow>,
    show_own: bool,
    next: Option<String>,
}

/// Which page of who looked.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LookedQuery {
    before: Option<i64>,
    own: Option<String>,
}

/// `GET /me/looked`
pub async fn looked(State(state): State<AppState>, ctx: Ctx, Query(q): Query<LookedQuery>) -> PageResult {
    let (actor, _, w) = own(&state, &ctx).await?;
    let show_own = q.own.as_deref() == Some("1");
    let looks = state.app.looks(&actor, q.before, !show_own).await.map_err(|e| PageError::of(&ctx, e))?;
    let tr = w.lang().tr();
    let rows = looks
        .looks
        .iter()
        .map(|l| {
            let when = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(l.at_micros) * 1000)
                .map(|t| crate::web::views::time_text(tr, t))
                .unwrap_or_default();
            let who = if l.own {
                w.get("me-looked-you")
            } else if l.name.is_empty() {
                w.get("me-looked-system")
            } else if l.agency.is_empty() {
                escaped(&l.name)
            } else {
                w.with("me-looked-who", &[("name", l.name.as_str().into()), ("agency", l.agency.as_str().into())])
            };
            let what: Vec<String> = l.categories.iter().map(|c| w.text(&format!("me-category-{}", c.code()))).collect();
            let what = what.join(if w.register() == Register::English { ", " } else { "、" });
            let did = w.with(&format!("me-did-{}", l.action.code()), &[("what", what.into())]);
            LookRow { when, who, did }
        })
        .collect();
    let own_query = if show_own { "&own=1" } else { "" };
    let page = LookedPage {
        layout: layout(&ctx, w, "me-looked-title"),
        w,
        rows,
        show_own,
        next: looks.next.map(|seq| format!("/me/looked?before={seq}{own_query}")),
    };
    Ok(render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------------------------------------
// My assessment sheets

struct SheetLink {
    id: Uuid,
    label: Markup,
}

#[derive(Template)]
#[template(path = "me_assessments.html")]
struct AssessmentsPage {
    layout: Layout,
    w: Words,
    sheets: Vec<SheetLink>,
}

/// `GET /me/assessments`
pub async fn assessments(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (actor, id, w) = own(&state, &ctx).await?;
    let read = state.app.person_assessments(&actor, id).await.map_err(|e| PageError::of(&ctx, e))?;
    let sheets = read
        .sheets
        .iter()
        .map(|a| SheetLink {
            id: a.id.0,
            label: w.with("me-assessments-begun", &[("date", plain_date(w.lang(), a.fields.started_on).into())]),
        })
        .collect();
    Ok(render(StatusCode::OK, &AssessmentsPage { layout: layout(&ctx, w, "me-assessments-title"), w, sheets }))
}

#[derive(Template)]
#[template(path = "me_assessment.html")]
struct AssessmentPage {
    layout: Layout,
    w: Words,
    notice: Option<Markup>,
    id: Uuid,
    version: i64,
    errors: Vec<(String, Markup)>,
    sheets: Vec<(Markup, Vec<crate::assessments::pages::ItemRow>)>,
    answer_max: u32,
}

fn assessment_page(
    ctx: &Ctx,
    w: Words,
    sheet: &tsunagu_domain::assessment::Assessment,
    typed: Option<&std::collections::BTreeMap<String, String>>,
    problems: &Problems,
) -> AssessmentPage {
    let problem = |p: &tsunagu_domain::Problem| w.text(&format!("me-error-{}", p.code));
    let rows = crate::assessments::pages::sheet_rows(
        sheet,
        |i| if w.register() == Register::Easy { i.easy.to_owned() } else { i.text.to_owned() },
        typed.map(|t| (t, true)),
        problems,
        problem,
    );
    AssessmentPage {
        layout: layout(ctx, w, "me-assessment-title"),
        w,
        notice: None,
        id: sheet.id.0,
        version: sheet.version,
        errors: problems
            .iter()
            .map(|p| {
                let anchor = if p.field == "answers" { "answers".to_owned() } else { format!("{}-own", p.field) };
                (anchor, w.get(&format!("me-error-{}", p.code)))
            })
            .collect(),
        sheets: tsunagu_domain::assessment::SHEETS
            .iter()
            .zip(rows)
            .map(|(s, r)| {
                (w.get(&format!("me-sheet-{}", s.code)), r.domains.into_iter().flat_map(|d| d.items).collect())
            })
            .collect(),
        answer_max: tsunagu_domain::assessment::ANSWER_MAX,
    }
}

/// What a redirect to a sheet leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SheetFlash {
    saved: Option<String>,
}

async fn own_sheet(
    state: &AppState,
    ctx: &Ctx,
    actor: &Account,
    raw: &str,
) -> Result<tsunagu_app::assessments::AssessmentView, PageError> {
    let id =
        Uuid::parse_str(raw).map(tsunagu_domain::assessment::AssessmentId).map_err(|_| PageError::not_found(ctx))?;
    let view = state.app.assessment_view(actor, id).await.map_err(|e| PageError::of(ctx, e))?;
    if !view.own {
        return Err(PageError::not_found(ctx));
    }
    Ok(view)
}

/// `GET /me/assessments/{id}`
pub async fn assessment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(flash): Query<SheetFlash>,
) -> PageResult {
    let (actor, _, w) = own(&state, &ctx).await?;
    let view = own_sheet(&state, &ctx, &actor, &raw).await?;
    let mut page = assessment_page(&ctx, w, &view.sheet, None, &Problems::new());
    page.notice = flash.saved.map(|_| w.get("me-assessment-saved"));
    Ok(render(StatusCode::OK, &page))
}

/// `POST /me/assessments/{id}`: the person's own answers.
pub async fn answer_assessment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Submitted(f): Submitted<crate::assessments::pages::AnswersForm>,
) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let (actor, _, w) = own(&state, &ctx).await?;
    let view = own_sheet(&state, &ctx, &actor, &raw).await?;
    let id = view.sheet.id;
    match state.app.answer_assessment(&actor, id, &f.answers, f.version.unwrap_or_default()).await {
        Ok(()) => Ok(Redirect::to(&format!("/me/assessments/{}?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            let page = assessment_page(&ctx, w, &view.sheet, Some(&f.answers), &problems);
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// My data

#[derive(Template)]
#[template(path = "me_data.html")]
struct DataPage {
    layout: Layout,
    w: Words,
    person: Uuid,
}

/// `GET /me/data`
pub async fn data(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, id, w) = own(&state, &ctx).await?;
    Ok(render(StatusCode::OK, &DataPage { layout: layout(&ctx, w, "me-data-title"), w, person: id.0 }))
}

// ---------------------------------------------------------------------------------------------
// My account

#[derive(Template)]
#[template(path = "me_account.html")]
struct AccountPage {
    layout: Layout,
    w: Words,
    notice: Option<Markup>,
    /// (code, label, chosen, the label's language).
    registers: Vec<(&'static str, Markup, bool, &'static str)>,
    errors: Vec<(String, Markup)>,
}

impl AccountPage {
    fn error(&self, field: &str) -> Option<&Markup> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m)
    }
}

/// What a redirect to the account page leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AccountFlash {
    saved: Option<String>,
    password: Option<String>,
}

fn account_page(ctx: &Ctx, w: Words, notice: Option<Markup>, problems: &Problems) -> AccountPage {
    AccountPage {
        layout: layout(ctx, w, "me-account-title"),
        w,
        notice,
        registers: Register::ALL
            .iter()
            .map(|r| {
                let lang = if *r == Register::English { "en" } else { "ja" };
                (r.code(), w.get(&format!("me-register-{}", r.code())), *r == w.register(), lang)
            })
            .collect(),
        errors: problems.iter().map(|p| (p.field.to_owned(), w.get(&format!("me-error-{}", p.code)))).collect(),
    }
}

/// `GET /me/account`
pub async fn account(State(state): State<AppState>, ctx: Ctx, Query(flash): Query<AccountFlash>) -> PageResult {
    let (_, _, w) = own(&state, &ctx).await?;
    let notice = if flash.password.is_some() {
        Some(w.get("me-password-changed"))
    } else {
        flash.saved.map(|_| w.get("me-register-saved"))
    };
    Ok(render(StatusCode::OK, &account_page(&ctx, w, notice, &Problems::new())))
}

/// The register chosen.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    csrf: Option<String>,
    register: String,
}

/// `POST /me/account/register`
pub async fn choose_register(
    State(state): State<AppState>,
    ctx: Ctx,
    Submitted(f): Submitted<RegisterForm>,
) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let (actor, _, w) = own(&state, &ctx).await?;
    let done = state.app.set_register(&actor, &f.register).await;
    account_answer(&ctx, w, done, "/me/account?saved=1")
}

/// What an account form answers: back to the page with what was done, or the page with its
/// problems.
fn account_answer(ctx: &Ctx, w: Words, done: Result<(), AppError>, then: &str) -> PageResult {
    match done {
        Ok(()) => Ok(Redirect::to(then).into_response()),
        Err(AppError::Invalid(problems)) => {
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &account_page(ctx, w, None, &problems)))
        }
        Err(e) => Err(PageError::of(ctx, e)),
    }
}

/// The password form as sent.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    csrf: Option<String>,
    current_password: String,
    new_password: String,
    new_password_again: String,
}

/// `POST /me/account/password`
pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Submitted(f): Submitted<PasswordForm>,
) -> PageResult {
    ctx.authorize_form(f.csrf.as_deref())?;
    let (actor, _, w) = own(&state, &ctx).await?;
    let done = state.app.change_password(&actor, &f.current_password, &f.new_password, &f.new_password_again).await;
    account_answer(&ctx, w, done, "/me/account?password=1")
}
