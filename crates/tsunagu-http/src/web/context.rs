//! The request context every page handler gets (`Ctx`: language, path, who is signed in) and
//! the session types the session middleware leaves in a request's extensions.

use std::net::SocketAddr;
use tsunagu_domain::account::{DirectoryChange, may_change_directory};

use axum::extract::FromRequestParts;
use axum::extract::connect_info::ConnectInfo;
use axum::http::request::Parts;
use axum::response::Response;
use tsunagu_domain::account::Account;
use tsunagu_store::Session;

use crate::AppState;
use crate::web::i18n::{Lang, Tr, lang_of};
use crate::web::views::Layout;

/// The cookie holding the session token.
pub const SESSION_COOKIE: &str = "tsunagu_session";

/// What every page needs from the request: the language, the address of the same page in the
/// other language, and who is signed in.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Reader's language.
    pub lang: Lang,
    /// Request path.
    pub path: String,
    /// Request path and query, for returning after sign-in.
    pub path_and_query: String,
    /// The same page in the other language.
    pub switch_href: String,
    /// The signed-in account and its session, if any.
    pub signed_in: Option<(Session, Account)>,
    /// The session token from the cookie (to sign out).
    pub token: Option<String>,
    /// The request came over TLS (directly or through a proxy): cookies get `Secure`.
    pub secure: bool,
    /// The request carried a session cookie that opened nothing.
    pub session_expired: bool,
}

/// The request came over TLS: to this server, or to the proxy in front of it
/// (`X-Forwarded-Proto: https`).
pub fn came_over_tls(headers: &axum::http::HeaderMap, uri: &axum::http::Uri) -> bool {
    headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes() == b"https") || uri.scheme_str() == Some("https")
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let resolved = parts.extensions.get::<crate::web::context::ResolvedSession>();
        let token = resolved.map(|r| r.token.clone());
        let signed_in = resolved.map(|r| (r.session.clone(), r.account.clone()));
        let session_expired = parts.extensions.get::<crate::web::context::RejectedSession>().is_some();
        let secure = came_over_tls(&parts.headers, &parts.uri);
        let path_and_query = parts.uri.path_and_query().map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        let lang = lang_of(parts);
        let path = parts.uri.path().to_owned();
        let mut query: Vec<&str> = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
            .collect();
        let other = format!("lang={}", lang.other().tag());
        query.push(&other);
        let switch_href = format!("{path}?{}", query.join("&"));
        Ok(Self { lang, path, path_and_query, switch_href, signed_in, token, secure, session_expired })
    }
}

impl Ctx {
    /// The translator.
    pub fn tr(&self) -> Tr {
        self.lang.tr()
    }

    /// The layout for a page titled `title`.
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        Layout {
            tr: self.tr(),
            title: title.into(),
            path: self.path.clone(),
            switch_href: self.switch_href.clone(),
            account_name: self.account().map(|a| a.display_name.clone()),
            session_expired: self.session_expired,
            csrf: self.signed_in.as_ref().map(|(s, _)| s.csrf_token.clone()),
            roles: self.account().map(|a| a.roles.clone()).unwrap_or_default(),
            // Neither change depends on the account's block.
            may_add_agency: self.account().is_some_and(|a| may_change_directory(a, None, DirectoryChange::AddAgency)),
            may_import: self.account().is_some_and(|a| may_change_directory(a, None, DirectoryChange::Import)),
            unread_notices: self.signed_in.as_ref().map_or(0, |(s, _)| s.unread_notices),
        }
    }

    /// The signed-in account.
    pub fn account(&self) -> Option<&Account> {
        self.signed_in.as_ref().map(|(_, a)| a)
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
pub(crate) fn client_addr(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |ConnectInfo(a)| a.ip().to_string())
}

/// Adds a `Set-Cookie` header to `response`.
pub(crate) fn set_cookie(response: &mut Response, value: String) {
    if let Ok(v) = axum::http::HeaderValue::from_str(&value) {
        response.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
}

/// Tells the browser to forget the session cookie.
pub(crate) fn clear_session(response: &mut Response) {
    set_cookie(response, format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0"));
}
