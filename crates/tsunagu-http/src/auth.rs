//! Sign-in, sign-out, the account page, and who is calling the API.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tsunagu_app::accounts::{SESSION_LENGTH, SignInError};
use tsunagu_domain::account::{Account, ApiScope, ApiTokenId};

use crate::AppState;
use crate::error::{ApiError, log_server_error, page_error};
use crate::i18n::lang_of;
use crate::views::{Ctx, Layout, SESSION_COOKIE, cookie, render, tokyo_time};

/// The cookie carrying the sign-in form's CSRF token (there is no session yet to hold it).
const LOGIN_CSRF_COOKIE: &str = "tsunagu_login_csrf";

/// The client's address, for throttling sign-ins; "unknown" when the server was not started
/// with connection info (in-process tests).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(client_addr(&parts.extensions)))
    }
}

/// The client's IP address from the connection info, or "unknown".
fn client_addr(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |ConnectInfo(a)| a.ip().to_string())
}

fn set_cookie(response: &mut Response, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn secure_attr(ctx: &Ctx) -> &'static str {
    if ctx.secure { "; Secure" } else { "" }
}

/// Only a local path may follow sign-in, never another site.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next } else { "/" }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    next: String,
    login: String,
    error: Option<String>,
    demo: bool,
}

fn login_page(ctx: &Ctx, status: StatusCode, next: &str, login: &str, error: Option<String>, demo: bool) -> Response {
    let csrf = uuid::Uuid::new_v4().simple().to_string();
    let view = LoginPage {
        layout: ctx.layout(ctx.tr().get("sign-in-title")),
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
        Err(SignInError::Store(e)) => {
            log_server_error(&tsunagu_app::AppError::Store(e));
            page_error(&ctx, StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// The session a request's cookie opened, put in the request's extensions by
/// [`resolve_session`].
#[derive(Clone)]
pub struct ResolvedSession {
    /// The session and its account.
    pub session: tsunagu_store::Session,
    /// The account.
    pub account: Account,
    /// The token from the cookie.
    pub token: String,
}

/// Marks a request whose session cookie opened nothing (forged, expired or ended).
#[derive(Clone, Copy)]
pub struct RejectedSession;

/// Resolves the session cookie once per request. A cookie that opens no session is recorded in
/// the audit log, cleared in the response, and the page tells the reader to sign in again.
pub async fn resolve_session(
    State(state): State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let token = cookie(request.headers(), SESSION_COOKIE).filter(|t| !t.is_empty());
    let mut rejected = false;
    if let Some(token) = token {
        match state.app.session(&token).await {
            Ok(Some((session, account))) => {
                request.extensions_mut().insert(ResolvedSession { session, account, token });
            }
            Ok(None) => {
                rejected = true;
                request.extensions_mut().insert(RejectedSession);
                let address = client_addr(request.extensions());
                if let Err(e) = state.app.record_rejected_credential("session", &address).await {
                    log_server_error(&e);
                }
            }
            Err(e) => log_server_error(&e),
        }
    }
    let mut response = next.run(request).await;
    if rejected {
        clear_session(&mut response);
    }
    response
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

fn clear_session(response: &mut Response) {
    set_cookie(response, format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0"));
}

/// `POST /logout`
pub async fn logout(State(state): State<AppState>, ctx: Ctx, Form(form): Form<CsrfForm>) -> Response {
    if ctx.signed_in.is_none() {
        return Redirect::to("/").into_response();
    }
    if let Err(response) = ctx.authorize_form(form.csrf.as_deref()) {
        return response;
    }
    if let (Some(token), Some(account)) = (&ctx.token, ctx.account())
        && let Err(e) = state.app.sign_out(account, token).await
    {
        log_server_error(&e);
        return page_error(&ctx, StatusCode::INTERNAL_SERVER_ERROR);
    }
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
pub async fn account(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Response> {
    let account = ctx.require_account()?;
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
            log_server_error(&e);
            return page_error(ctx, StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    let tokens = tokens
        .into_iter()
        .map(|t| TokenRow {
            id: t.id.0.to_string(),
            name: t.name,
            scopes: t.scopes.iter().map(|s| tr.get(&format!("scope-{}", s.code()))).collect::<Vec<_>>().join("、"),
            created: tokyo_time(t.created_at),
            revoked: t.revoked_at.map(tokyo_time),
        })
        .collect();
    let agency = match account.agency {
        Some(id) => state.app.agency(id).await.map(|a| a.fields.name).unwrap_or_default(),
        None => tr.get("agency-not-set"),
    };
    let roles = account.roles.iter().map(|r| tr.get(&format!("role-{}", r.code()))).collect::<Vec<_>>().join("、");
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

/// `POST /account/tokens`
pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Response> {
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let account = ctx.authorize_form(field("csrf"))?;
    let scopes = pairs.iter().filter(|(k, _)| k == "scopes").filter_map(|(_, v)| ApiScope::parse(v)).collect();
    match state.app.create_api_token(account, field("token_name").unwrap_or(""), scopes).await {
        Ok((secret, _)) => Ok(account_page(&state, &ctx, account, StatusCode::OK, Some(secret), None).await),
        Err(tsunagu_app::AppError::Invalid(problems)) => {
            let tr = ctx.tr();
            let message =
                problems.iter().map(|p| tr.problem(p.field, false, p.code, p.limit)).collect::<Vec<_>>().join(" ");
            Ok(account_page(&state, &ctx, account, StatusCode::UNPROCESSABLE_ENTITY, None, Some(message)).await)
        }
        Err(e) => {
            log_server_error(&e);
            Err(page_error(&ctx, StatusCode::INTERNAL_SERVER_ERROR))
        }
    }
}

/// `POST /account/tokens/{id}/revoke`
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, Response> {
    let account = ctx.authorize_form(form.csrf.as_deref())?;
    let id = uuid::Uuid::parse_str(&id).map(ApiTokenId).map_err(|_| page_error(&ctx, StatusCode::NOT_FOUND))?;
    match state.app.revoke_api_token(account, id).await {
        Ok(()) => Ok(Redirect::to("/account").into_response()),
        Err(tsunagu_app::AppError::NotFound) => Err(page_error(&ctx, StatusCode::NOT_FOUND)),
        Err(e) => {
            log_server_error(&e);
            Err(page_error(&ctx, StatusCode::INTERNAL_SERVER_ERROR))
        }
    }
}

/// `POST /account/sign-out-everywhere`
pub async fn sign_out_everywhere(State(state): State<AppState>, ctx: Ctx, Form(form): Form<CsrfForm>) -> Response {
    let account = match ctx.authorize_form(form.csrf.as_deref()) {
        Ok(account) => account,
        Err(response) => return response,
    };
    if let Err(e) = state.app.sign_out_everywhere(account).await {
        log_server_error(&e);
        return page_error(&ctx, StatusCode::INTERNAL_SERVER_ERROR);
    }
    let mut response = Redirect::to("/").into_response();
    clear_session(&mut response);
    response
}

/// The account behind an API call that changes something: an API token with the
/// `directory_write` scope (`Authorization: Bearer tsu_…`), or a session cookie plus the session's
/// CSRF token in `X-CSRF-Token`.
pub struct ApiActor(pub Account);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account(parts, state, ApiScope::DirectoryWrite).await.map(Self)
    }
}

/// The account behind an API call that reads the audit log: as [`ApiActor`], with a token of
/// the `audit_read` scope.
pub struct AuditReader(pub Account);

impl FromRequestParts<AppState> for AuditReader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account(parts, state, ApiScope::AuditRead).await.map(Self)
    }
}

/// The account behind an API call that reads persons' records: a token of the `persons_read`
/// scope, or a session (reads need no CSRF header).
pub struct PersonsReader(pub Account);

impl FromRequestParts<AppState> for PersonsReader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account_for(parts, state, ApiScope::PersonsRead, false).await.map(Self)
    }
}

/// The account behind an API call that registers persons or records consents: a token of the
/// `persons_write` scope, or a session with its CSRF header.
pub struct PersonsWriter(pub Account);

impl FromRequestParts<AppState> for PersonsWriter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account(parts, state, ApiScope::PersonsWrite).await.map(Self)
    }
}

/// Authenticates an API call by token (which must hold `scope`) or by session and CSRF header.
async fn api_account(parts: &Parts, state: &AppState, scope: ApiScope) -> Result<Account, ApiError> {
    api_account_for(parts, state, scope, true).await
}

/// As [`api_account`]; a session needs the CSRF header only when `csrf` (calls that change).
async fn api_account_for(parts: &Parts, state: &AppState, scope: ApiScope, csrf: bool) -> Result<Account, ApiError> {
    let lang = lang_of(parts);
    let bearer = parts.headers.get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or("").to_owned());
    if let Some(value) = bearer {
        let secret = value.strip_prefix("Bearer ").unwrap_or("");
        let found = state.app.api_token_account(secret.trim()).await.map_err(|e| ApiError::from_app(lang, e))?;
        let Some((token, account)) = found else {
            tracing::warn!("API call with an unknown, revoked or malformed token");
            let address = client_addr(&parts.extensions);
            if let Err(e) = state.app.record_rejected_credential("api_token", &address).await {
                log_server_error(&e);
            }
            return Err(ApiError::simple(lang, StatusCode::UNAUTHORIZED, "unauthenticated"));
        };
        if !token.scopes.contains(&scope) {
            return Err(ApiError::simple(lang, StatusCode::FORBIDDEN, "forbidden"));
        }
        return Ok(account);
    }
    let Some(resolved) = parts.extensions.get::<ResolvedSession>() else {
        return Err(ApiError::simple(lang, StatusCode::UNAUTHORIZED, "unauthenticated"));
    };
    let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
    if csrf && sent != Some(resolved.session.csrf_token.as_str()) {
        return Err(ApiError::simple(lang, StatusCode::FORBIDDEN, "forbidden"));
    }
    Ok(resolved.account.clone())
}
