//! Referrals between agencies: the referral form on a person's record, and each agency's list of
//! referrals received and sent, with its notices.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_domain::Problems;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::referral::{ReferralMove, ReferralState};
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, field, render, time_text};

#[derive(Template)]
#[template(path = "referral_form.html")]
struct ReferralFormPage {
    layout: Layout,
    id: Uuid,
    errors: Vec<(String, String)>,
    to_agency: Field,
    /// The agencies the person consented to, grouped: (block and kind, agencies).
    groups: Vec<(String, Vec<SelectOption>)>,
    note: Field,
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    id: PersonId,
    to: &str,
    note: &str,
    problems: &Problems,
) -> Result<ReferralFormPage, AppError> {
    let tr = ctx.tr();
    let actor = ctx.account().ok_or(AppError::Forbidden)?;
    let targets = state.app.referral_targets(actor, id).await?;
    let refs = state.app.references().await?;
    let names = ["to_agency", "note"];
    let errors = names
        .iter()
        .filter_map(|n| problems.for_field(n).map(|p| ((*n).to_owned(), tr.problem(p.field, false, p.code, p.limit))))
        .collect();
    let mut to_agency = field(tr, problems, "to_agency", to, "select", 0, true);
    to_agency.hint = Some(tr.get("hint-to_agency"));
    let mut groups: Vec<(String, Vec<SelectOption>)> = Vec::new();
    for t in targets {
        let block = t
            .block
            .as_ref()
            .and_then(|b| refs.block(b))
            .map(|b| if tr.lang() == crate::web::i18n::Lang::En { b.name_en.clone() } else { b.name_ja.clone() })
            .unwrap_or_else(|| tr.get("referral-group-no-block"));
        let label = format!("{block} — {}", tr.kind(&t.kind));
        let option = SelectOption { value: t.id.0.to_string(), label: t.name, selected: t.id.0.to_string() == to };
        match groups.last_mut() {
            Some((last, options)) if *last == label => options.push(option),
            _ => groups.push((label, vec![option])),
        }
    }
    Ok(ReferralFormPage {
        layout: ctx.layout(tr.get("referral-new-title")),
        id: id.0,
        errors,
        to_agency,
        groups,
        note: field(tr, problems, "note", note, "textarea", 2000, true),
    })
}

/// `GET /persons/{id}/referrals/new`
pub async fn new_referral(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_person(&ctx, &id)?;
    match state.app.check_person_write(actor, id).await {
        Ok(()) => {}
        Err(AppError::Denied(denial)) => return Err(denied_response(&ctx, id, denial)),
        Err(e) => return Err(PageError::of(&ctx, e)),
    }
    let page = form_page(&state, &ctx, id, "", "", &Problems::new()).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(render(StatusCode::OK, &page))
}

/// The referral form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReferralForm {
    csrf: Option<String>,
    to_agency: String,
    note: String,
}

/// A move of a referral as submitted (a reason when declining).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MoveForm {
    csrf: Option<String>,
    reason: String,
}

/// `POST /persons/{id}/referrals`
pub async fn send_referral(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<ReferralForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let ReferralForm { to_agency: to, note, .. } = form;
    match state.app.send_referral(actor, id, &to, &note).await {
        Ok(_) => Ok(Redirect::to("/referrals?sent=1").into_response()),
        Err(AppError::Invalid(problems)) => {
            let page = form_page(&state, &ctx, id, &to, &note, &problems).await.map_err(|e| PageError::of(&ctx, e))?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}

/// A referral as the list shows it.
struct Row {
    id: Uuid,
    person: Uuid,
    name: String,
    agency: String,
    note: String,
    state: String,
    reason: String,
    updated: String,
    /// The moves this side may make now.
    moves: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ReferralsPage {
    layout: Layout,
    notice: Option<String>,
    error: Option<String>,
    notices: Vec<(String, String, bool)>,
    received: Vec<Row>,
    sent: Vec<Row>,
}

fn state_name(tr: Tr, state: ReferralState) -> String {
    tr.get(&format!("referral-state-{}", state.code()))
}

/// What a notice says: a referral of `name` has arrived, or has reached `state`.
pub(crate) fn notice_text(tr: Tr, state: ReferralState, name: &str) -> String {
    // A notice of a sent referral is the receiver's: it has arrived.
    if state == ReferralState::Sent {
        tr.with("referral-notice-arrived", &[("name", name.into())])
    } else {
        tr.with("referral-notice", &[("name", name.into()), ("state", state_name(tr, state).into())])
    }
}

async fn list_page(state: &AppState, ctx: &Ctx, notice: Option<String>, error: Option<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let list = state.app.referrals(actor).await.map_err(|e| PageError::of(ctx, e))?;
    let index = state.app.directory().await.map_err(|e| PageError::of(ctx, e))?;
    let tr = ctx.tr();
    let name_of = |a: tsunagu_domain::directory::AgencyId| index.agency(a).map(|l| l.name.clone()).unwrap_or_default();
    let row = |l: &tsunagu_store::ReferralListing, received: bool| {
        let r = &l.referral;
        let moves: &[ReferralMove] = match (received, r.state) {
            (true, ReferralState::Sent) => &[ReferralMove::Accept, ReferralMove::Decline],
            (true, ReferralState::Accepted) => &[ReferralMove::Complete],
            (false, ReferralState::Sent | ReferralState::Accepted) => &[ReferralMove::Revoke],
            _ => &[],
        };
        Row {
            id: r.id,
            person: r.person.0,
            name: l.person_name.clone(),
            agency: name_of(if received { r.from } else { r.to }),
            note: r.note.clone(),
            state: state_name(tr, r.state),
            reason: r.reason.clone().unwrap_or_default(),
            updated: time_text(tr, r.updated_at),
            moves: moves.iter().map(|m| (m.code(), tr.get(&format!("referral-move-{}", m.code())))).collect(),
        }
    };
    let received = list.received.iter().map(|l| row(l, true)).collect();
    let sent = list.sent.iter().map(|l| row(l, false)).collect();
    let by_id = |id: Uuid| {
        list.received
            .iter()
            .chain(&list.sent)
            .find(|l| l.referral.id == id)
            .map(|l| l.person_name.clone())
            .unwrap_or_default()
    };
    let notices = list
        .notices
        .iter()
        .map(|n| (time_text(tr, n.created_at), notice_text(tr, n.state, &by_id(n.referral)), n.read_at.is_none()))
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(render(
        status,
        &ReferralsPage { layout: ctx.layout(tr.get("referrals-title")), notice, error, notices, received, sent },
    ))
}

/// Flags a redirect leaves behind.
#[derive(Debug, serde::Deserialize)]
pub struct ReferralFlash {
    sent: Option<String>,
    moved: Option<String>,
}

/// `GET /referrals`
pub async fn referrals(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(flash): axum::extract::Query<ReferralFlash>,
) -> PageResult {
    let tr = ctx.tr();
    let notice = if flash.sent.is_some() {
        Some(tr.get("referral-sent"))
    } else {
        flash.moved.is_some().then(|| tr.get("referral-moved"))
    };
    list_page(&state, &ctx, notice, None).await
}

/// `POST /referrals/{id}/{move}`
pub async fn move_referral(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, mv)): Path<(String, String)>,
    Submitted(form): Submitted<MoveForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = Uuid::parse_str(&id).map_err(|_| PageError::not_found(&ctx))?;
    let mv = ReferralMove::parse(&mv).ok_or_else(|| PageError::not_found(&ctx))?;
    let tr = ctx.tr();
    match state.app.move_referral(actor, id, mv, &form.reason).await {
        Ok(()) => Ok(Redirect::to("/referrals?moved=1").into_response()),
        Err(AppError::Invalid(problems)) => {
            let p = problems.iter().next().map(|p| tr.problem(p.field, false, p.code, p.limit));
            list_page(&state, &ctx, None, p).await
        }
        Err(AppError::ReferralMove(refused)) => {
            let message = tr.with(
                "error-referral_move",
                &[
                    ("state", state_name(tr, refused.from).into()),
                    ("move", tr.get(&format!("referral-move-{}", refused.mv.code())).into()),
                ],
            );
            list_page(&state, &ctx, None, Some(message)).await
        }
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
