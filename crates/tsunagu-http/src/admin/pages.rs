//! Administration pages: the audit log search.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use tsunagu_app::AppError;
use tsunagu_domain::audit::AuditAction;
use tsunagu_store::AuditQuery;

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult, log_server_error};
use crate::web::views::enc;
use crate::web::views::{Layout, SelectOption, render, time_text};

/// Entries per page.
const PAGE: u32 = 100;

struct AuditRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    record: String,
    fields: String,
    basis: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    actor: String,
    record: String,
    actions: Vec<SelectOption>,
    rows: Vec<AuditRow>,
    older_href: Option<String>,
}

/// The audit search filters.
#[derive(Debug, Default, serde::Deserialize)]
pub struct AuditFilter {
    actor: Option<String>,
    record: Option<String>,
    action: Option<String>,
    before: Option<i64>,
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// `GET /admin/audit`
pub async fn audit_log(State(state): State<AppState>, ctx: Ctx, Query(f): Query<AuditFilter>) -> PageResult {
    let account = ctx.require_account()?;
    let tr = ctx.tr();
    let action = non_empty(&f.action).map(|a| AuditAction::parse(&a).ok_or(())).transpose();
    let action = action.map_err(|()| PageError::bad_request(&ctx))?;
    let query = AuditQuery {
        actor_label: non_empty(&f.actor),
        record_prefix: non_empty(&f.record),
        action,
        person: None,
        before: f.before,
        limit: PAGE,
    };
    let entries = match state.app.search_audit(account, &query).await {
        Ok(entries) => entries,
        Err(AppError::Forbidden) => return Err(PageError::forbidden(&ctx)),
        Err(e) => {
            log_server_error(&e);
            return Err(PageError::server_error(&ctx));
        }
    };
    let older_href = (entries.len() == PAGE as usize).then(|| {
        let mut parts = Vec::new();
        for (k, v) in [("actor", &f.actor), ("record", &f.record), ("action", &f.action)] {
            if let Some(v) = non_empty(v) {
                parts.push(format!("{k}={}", enc(&v)));
            }
        }
        parts.push(format!("before={}", entries.last().map_or(0, |e| e.seq)));
        format!("/admin/audit?{}", parts.join("&"))
    });
    let rows = entries
        .into_iter()
        .map(|e| AuditRow {
            seq: e.seq,
            at: time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(e.event.at_micros) * 1000)
                .map(|t| time_text(tr, t))
                .unwrap_or_default(),
            actor: e.event.actor_label,
            action: tr.get(&format!("audit-action-{}", e.event.action.code())),
            record: e.event.record,
            fields: e.event.fields.join(", "),
            basis: e.event.basis,
        })
        .collect();
    let actions = AuditAction::ALL
        .iter()
        .map(|a| SelectOption {
            value: a.code().to_owned(),
            label: tr.get(&format!("audit-action-{}", a.code())),
            selected: query.action == Some(*a),
        })
        .collect();
    let view = AuditPage {
        layout: ctx.layout(tr.get("audit-title")),
        actor: query.actor_label.clone().unwrap_or_default(),
        record: query.record_prefix.clone().unwrap_or_default(),
        actions,
        rows,
        older_href,
    };
    Ok(render(StatusCode::OK, &view))
}

// ---------------------------------------------------------------------------------------------
// Linking accounts

#[derive(Template)]
#[template(path = "admin_accounts.html")]
struct AccountsPage {
    layout: Layout,
    notice: Option<String>,
    errors: Vec<(String, String)>,
    fields: Vec<crate::web::views::Field>,
}

/// The link form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LinkForm {
    csrf: Option<String>,
    login: String,
    person: String,
    corporate_number: String,
}

fn accounts_page(
    ctx: &Ctx,
    form: &LinkForm,
    problems: &tsunagu_domain::Problems,
    notice: Option<String>,
) -> PageResult {
    let tr = ctx.tr();
    let account = ctx.require_account()?;
    if !account.has(tsunagu_domain::account::Role::SystemAdmin) {
        return Err(PageError::forbidden(ctx));
    }
    let field = |name: &'static str, value: &str, max: u32, required: bool| {
        crate::web::views::field(tr, problems, name, value, "text", max, required)
    };
    let mut login = field("login", &form.login, 100, true);
    login.autocomplete = Some("off");
    let mut number = field("corporate_number", &form.corporate_number, 20, false);
    number.inputmode = Some("numeric");
    let page = AccountsPage {
        layout: ctx.layout(tr.get("accounts-title")),
        notice,
        errors: crate::web::views::errors_of(tr, problems),
        fields: vec![login, field("person", &form.person, 36, false), number],
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render(status, &page))
}

/// `GET /admin/accounts`
pub async fn accounts(ctx: Ctx) -> PageResult {
    accounts_page(&ctx, &LinkForm::default(), &tsunagu_domain::Problems::new(), None)
}

/// `POST /admin/accounts`
pub async fn link_account(
    State(state): State<AppState>,
    ctx: Ctx,
    crate::web::form::Submitted(form): crate::web::form::Submitted<LinkForm>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    match state.app.link_account(actor, &form.login, &form.person, &form.corporate_number).await {
        Ok(account) => {
            let tr = ctx.tr();
            let what = match (account.person, account.employer) {
                (Some(_), _) => tr.get("accounts-linked-person"),
                (None, Some(_)) => tr.get("accounts-linked-employer"),
                (None, None) => tr.get("accounts-linked-none"),
            };
            let notice = tr.with("accounts-linked", &[("login", account.login.clone().into()), ("what", what.into())]);
            accounts_page(&ctx, &LinkForm::default(), &tsunagu_domain::Problems::new(), Some(notice))
        }
        Err(AppError::Invalid(problems)) => accounts_page(&ctx, &form, &problems, None),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
