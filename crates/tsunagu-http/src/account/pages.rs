//! Sign-in, sign-out, the account page, and who is calling the API.

use crate::web::form::Submitted as Form;
use askama::Template;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use tsunagu_app::accounts::{SESSION_LENGTH, SignInError};
use tsunagu_domain::account::{Account, ApiScope, ApiTokenId};

use crate::AppState;
use crate::web::context::{ClientAddr, clear_session, set_cookie};
use crate::web::context::{Ctx, SESSION_COOKIE};
use crate::web::cookie;
use crate::web::error::{PageError, PageResult, log_server_error};
use crate::web::form::Submitted;
use crate::web::views::{Layout, render, time_text};

/// The cookie carrying the sign-in form's CSRF token (there is no session yet to hold it).
const LOGIN_CSRF_COOKIE: &str = "tsunagu_login_csrf";

fn secure_attr(ctx: &Ctx) -> &'static str {
    if ctx.secure { "; Secure" } else { "" }
}

/// Only a local path may follow sign-in, never another site, and only one that can go in a
/// `Location` header (no control characters, not absurdly long).
fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local && next.len() <= 2_000 && !next.chars().any(char::is_control) { next } else { "/" }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    notice: Option<String>,
    csrf: String,
    next: String,
    login: String,
    error: Option<String>,
    demo: bool,
}

fn login_page(ctx: &Ctx, status: StatusCode, next: &str, login: &str, error: Option<String>, demo: bool) -> Response {
    let csrf = uuid::Uuid::new_v4().simple().to_string();
    let notice = match ctx.path_and_query.split_once("signed_out=").map(|(_, v)| v.split('&').next()) {
        Some(Some("everywhere")) => Some(ctx.tr().get("signed-out-everywhere")),
        Some(Some("everywhere_and_tokens")) => Some(ctx.tr().get("signed-out-everywhere-and-tokens")),
        _ => None,
    };
    let view = LoginPage {
        layout: ctx.layout(ctx.tr().get("sign-in-title")),
        notice,
        csrf: csrf.clone(),
        next: safe_next(next).to_owned(),
        login: login.to_owned(),
        error,
        demo,
    };
    let mut response = render(status, &view);
    set_cookie(
        &mut response,
        format!("{LOGIN_CSRF_COOKIE}={csrf}; HttpOnly; SameSite=Strict; Path=/login; Max-Age=3600{}", secure_attr(ctx)),
    );
    response
}

/// Where to go after signing in.
#[derive(Debug, serde::Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// `GET /login`
pub async fn login_form(State(state): State<AppState>, ctx: Ctx, Query(next): Query<Next>) -> Response {
    login_page(&ctx, StatusCode::OK, next.next.as_deref().unwrap_or("/"), "", None, state.demo)
}

/// The sign-in form.
#[derive(Debug, serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

/// `POST /login`
pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(address): ClientAddr,
    parts: LoginCsrf,
    Form(form): Form<LoginForm>,
) -> Response {
    let tr = ctx.tr();
    if parts.0.as_deref() != Some(form.csrf.as_str()) || form.csrf.is_empty() {
        let error = Some(tr.get("sign-in-expired"));
        return login_page(&ctx, StatusCode::FORBIDDEN, &form.next, &form.login, error, state.demo);
    }
    match state.app.sign_in(&form.login, &form.password, &address).await {
        Ok(signed_in) => {
            let mut response = Redirect::to(safe_next(&form.next)).into_response();
            set_cookie(
                &mut response,
                format!(
                    "{SESSION_COOKIE}={}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{}",
                    signed_in.token,
                    SESSION_LENGTH.whole_seconds(),
                    secure_attr(&ctx)
                ),
            );
            set_cookie(&mut response, format!("{LOGIN_CSRF_COOKIE}=; Path=/login; Max-Age=0"));
            response
        }
        Err(SignInError::Invalid) => login_page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.next,
            &form.login,
            Some(tr.get("sign-in-invalid")),
            state.demo,
        ),
        Err(SignInError::Throttled) => login_page(
            &ctx,
            StatusCode::TOO_MANY_REQUESTS,
            &form.next,
            &form.login,
            Some(tr.get("sign-in-throttled")),
            state.demo,
        ),
        Err(SignInError::Store(e)) => failed(&ctx, tsunagu_app::AppError::Store(e)).into_response(),
    }
}

/// The sign-in form's CSRF cookie.
pub struct LoginCsrf(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for LoginCsrf {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(cookie(&parts.headers, LOGIN_CSRF_COOKIE)))
    }
}

/// A form that only carries the CSRF token.
#[derive(Debug, serde::Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

/// `POST /logout`
pub async fn logout(State(state): State<AppState>, ctx: Ctx, Form(form): Form<CsrfForm>) -> PageResult {
    if ctx.signed_in.is_none() {
        return Ok(Redirect::to("/").into_response());
    }
    let account = ctx.authorize_form(form.csrf.as_deref())?;
    if let Some(token) = &ctx.token {
        state.app.sign_out(account, token).await.map_err(|e| failed(&ctx, e))?;
    }
    Ok(signed_out())
}

/// A failure on our side: logged, and the error page.
fn failed(ctx: &Ctx, e: tsunagu_app::AppError) -> PageError {
    log_server_error(&e);
    PageError::server_error(ctx)
}

/// Home, with the session cookie cleared.
fn signed_out() -> Response {
    let mut response = Redirect::to("/").into_response();
    clear_session(&mut response);
    response
}

struct TokenRow {
    id: String,
    name: String,
    scopes: String,
    created: String,
    revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    notice: Option<String>,
    new_secret: Option<String>,
    tokens: Vec<TokenRow>,
    token_error: Option<String>,
    name: String,
    login: String,
    roles: String,
    agency: String,
    is_admin: bool,
}

/// `GET /account`
pub async fn account(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let account = ctx.require_account()?;
    // A person's account has its own page, without API tokens or staff controls.
    if tsunagu_app::App::own_person(account).is_ok() {
        return Ok(Redirect::to("/me/account").into_response());
    }
    Ok(account_page(&state, &ctx, account, StatusCode::OK, None, None).await)
}

async fn account_page(
    state: &AppState,
    ctx: &Ctx,
    account: &Account,
    status: StatusCode,
    new_secret: Option<String>,
    token_error: Option<String>,
) -> Response {
    let tr = ctx.tr();
    let tokens = match state.app.api_tokens(account).await {
        Ok(tokens) => tokens,
        Err(e) => {
            return failed(ctx, e).into_response();
        }
    };
    let tokens = tokens
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.0.to_string(),
            name: t.name,
            scopes: t
                .scopes
                .iter()
                .map(|s| tr.get(&format!("scope-{}", s.code())))
                .collect::<Vec<_>>()
                .join(tr.separator()),
            created: time_text(tr, t.created_at),
            revoked: t.revoked_at.map(|t| time_text(tr, t)),
        })
        .collect();
    let agency = match account.agency {
        Some(id) => state.app.agency(id).await.map(|a| a.fields.name).unwrap_or_default(),
        None => tr.get("agency-not-set"),
    };
    let roles =
        account.roles.iter().map(|r| tr.get(&format!("role-{}", r.code()))).collect::<Vec<_>>().join(tr.separator());
    let view = AccountPage {
        layout: ctx.layout(tr.get("account-title")),
        notice: new_secret.as_ref().map(|_| tr.get("token-created")),
        new_secret,
        tokens,
        token_error,
        name: account.display_name.clone(),
        login: account.login.clone(),
        roles,
        agency,
        is_admin: account.has(tsunagu_domain::account::Role::SystemAdmin),
    };
    render(status, &view)
}

/// The new-token form as submitted: a name and the scopes ticked.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TokenForm {
    csrf: Option<String>,
    token_name: String,
    scopes: Vec<String>,
}

/// `POST /account/tokens`
pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Submitted(form): Submitted<TokenForm>,
) -> PageResult {
    let account = ctx.authorize_form(form.csrf.as_deref())?;
    let scopes = form.scopes.iter().filter_map(|s| ApiScope::parse(s)).collect();
    match state.app.create_api_token(account, &form.token_name, scopes).await {
        Ok((secret, _)) => Ok(account_page(&state, &ctx, account, StatusCode::OK, Some(secret), None).await),
        Err(tsunagu_app::AppError::Invalid(problems)) => {
            let tr = ctx.tr();
            let message =
                problems.iter().map(|p| tr.problem(p.field, false, p.code, p.limit)).collect::<Vec<_>>().join(" ");
            Ok(account_page(&state, &ctx, account, StatusCode::UNPROCESSABLE_ENTITY, None, Some(message)).await)
        }
        Err(tsunagu_app::AppError::Forbidden) => Err(PageError::forbidden(&ctx)),
        Err(e) => Err(failed(&ctx, e)),
    }
}

/// `POST /account/tokens/{id}/revoke`
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    let account = ctx.authorize_form(form.csrf.as_deref())?;
    let id = uuid::Uuid::parse_str(&id).map(ApiTokenId).map_err(|_| PageError::not_found(&ctx))?;
    match state.app.revoke_api_token(account, id).await {
        Ok(()) => Ok(Redirect::to("/account").into_response()),
        Err(tsunagu_app::AppError::NotFound) => Err(PageError::not_found(&ctx)),
        Err(e) => Err(failed(&ctx, e)),
    }
}

/// The sign-out-everywhere form: the CSRF token, and whether API tokens end too.
#[derive(Debug, serde::Deserialize)]
pub struct SignOutEverywhereForm {
    csrf: Option<String>,
    #[serde(default)]
    revoke_tokens: Option<String>,
}

/// `POST /account/sign-out-everywhere`: ends every session, and the API tokens when asked; the
/// sign-in page then says which happened.
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SignOutEverywhereForm>,
) -> PageResult {
    let account = ctx.authorize_form(form.csrf.as_deref())?;
    let tokens_too = form.revoke_tokens.is_some();
    state.app.sign_out_everywhere(account, tokens_too).await.map_err(|e| failed(&ctx, e))?;
    let mut response = Redirect::to(if tokens_too {
        "/login?signed_out=everywhere_and_tokens"
    } else {
        "/login?signed_out=everywhere"
    })
    .into_response();
    clear_session(&mut response);
    Ok(response)
}
