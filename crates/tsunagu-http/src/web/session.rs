//! Who is calling: the session middleware (a cookie resolved once per request) and the API's
//! gates (an API token with the needed scope, or the session with its CSRF header).

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tsunagu_domain::account::{Account, ApiScope};

use crate::AppState;
use crate::web::context::{Ctx, RejectedSession, ResolvedSession, SESSION_COOKIE, clear_session, client_addr};
use crate::web::cookie;
use crate::web::error::{ApiError, PageError, log_server_error};
use crate::web::i18n::lang_of;

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
    // A dead cookie is cleared, unless the handler has just set a new one (signing in).
    let sets_session =
        response.headers().get_all(axum::http::header::SET_COOKIE).iter().any(|v| {
            v.as_bytes().strip_prefix(SESSION_COOKIE.as_bytes()).is_some_and(|rest| rest.first() == Some(&b'='))
        });
    if rejected && !sets_session {
        clear_session(&mut response);
    }
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

/// The account behind an API call that reads the program registry or the annual report: a token
/// of the `report_read` scope, or a session (reads need no CSRF header).
pub struct ReportReader(pub Account);

impl FromRequestParts<AppState> for ReportReader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account_for(parts, state, ApiScope::ReportRead, false).await.map(Self)
    }
}

/// The account behind an API call that reads interview fairs: a token of the `fairs` scope, or a
/// session (reads need no CSRF header).
pub struct FairsReader(pub Account);

impl FromRequestParts<AppState> for FairsReader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account_for(parts, state, ApiScope::Fairs, false).await.map(Self)
    }
}

/// The account behind an API call that schedules a fair: a token of the `fairs` scope, or a
/// session with its CSRF header.
pub struct FairsWriter(pub Account);

impl FromRequestParts<AppState> for FairsWriter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account(parts, state, ApiScope::Fairs).await.map(Self)
    }
}

/// The account behind an API call that reads events: a token of the `events` scope, or a session
/// (reads need no CSRF header).
pub struct EventsReader(pub Account);

impl FromRequestParts<AppState> for EventsReader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account_for(parts, state, ApiScope::Events, false).await.map(Self)
    }
}

/// The account behind an API call that organises events or signs up: a token of the `events`
/// scope, or a session with its CSRF header.
pub struct EventsWriter(pub Account);

impl FromRequestParts<AppState> for EventsWriter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account(parts, state, ApiScope::Events).await.map(Self)
    }
}

/// The account behind an API call that reads employers: a token of the `employers` scope, or a
/// session (reads need no CSRF header).
pub struct EmployersReader(pub Account);

impl FromRequestParts<AppState> for EmployersReader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account_for(parts, state, ApiScope::Employers, false).await.map(Self)
    }
}

/// The account behind an API call that adds, edits or links an employer: a token of the
/// `employers` scope, or a session with its CSRF header.
pub struct EmployersWriter(pub Account);

impl FromRequestParts<AppState> for EmployersWriter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        api_account(parts, state, ApiScope::Employers).await.map(Self)
    }
}

/// The caller of an API read open to everyone that shows more to those who may see more: the
/// account of a token of the `employers` scope or of a session, or none — for a call that carries
/// neither, and for one whose credential does not hold (it reads what everyone reads; the
/// rejected credential is recorded as for any other call).
pub struct MaybeEmployersReader(pub Option<Account>);

impl FromRequestParts<AppState> for MaybeEmployersReader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let anonymous =
            !parts.headers.contains_key(header::AUTHORIZATION) && parts.extensions.get::<ResolvedSession>().is_none();
        if anonymous {
            return Ok(Self(None));
        }
        Ok(Self(api_account_for(parts, state, ApiScope::Employers, false).await.ok()))
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

/// The gates of page handlers: a state-changing form needs a session and its CSRF token; some
/// pages need a session.
impl Ctx {
    /// The account behind a state-changing form: signed in, and the form's CSRF token is this
    /// session's. Otherwise what to answer: the sign-in page, or a 403 page.
    pub fn authorize_form(&self, submitted_csrf: Option<&str>) -> Result<&Account, PageError> {
        let Some((session, account)) = &self.signed_in else {
            let next = crate::web::views::enc(&self.path);
            return Err(PageError::from(axum::response::Redirect::to(&format!("/login?next={next}")).into_response()));
        };
        if submitted_csrf != Some(session.csrf_token.as_str()) {
            tracing::warn!(account = %account.id.0, path = %self.path, "form refused: CSRF token missing or wrong");
            return Err(PageError::expired(self));
        }
        Ok(account)
    }

    /// For pages that need a signed-in account: the account, or a redirect to sign in.
    pub fn require_account(&self) -> Result<&Account, PageError> {
        self.account().ok_or_else(|| {
            let next = crate::web::views::enc(&self.path_and_query);
            PageError::from(axum::response::Redirect::to(&format!("/login?next={next}")).into_response())
        })
    }
}
