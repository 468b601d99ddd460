//! View models shared by the page templates: the layout, form fields and select options.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use time::{OffsetDateTime, UtcOffset};

use tsunagu_domain::account::Account;
use tsunagu_store::Session;

use crate::AppState;
use crate::i18n::{Lang, Tr, lang_of};

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

/// The value of cookie `name`.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name).and_then(|rest| rest.strip_prefix('=')).map(str::to_owned))
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let resolved = parts.extensions.get::<crate::auth::ResolvedSession>();
        let token = resolved.map(|r| r.token.clone());
        let signed_in = resolved.map(|r| (r.session.clone(), r.account.clone()));
        let session_expired = parts.extensions.get::<crate::auth::RejectedSession>().is_some();
        let secure = parts.headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes() == b"https")
            || parts.uri.scheme_str() == Some("https");
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
        }
    }

    /// The signed-in account.
    pub fn account(&self) -> Option<&Account> {
        self.signed_in.as_ref().map(|(_, a)| a)
    }

    /// The account behind a state-changing form: signed in, and the form's CSRF token is this
    /// session's. Otherwise the response to send: the sign-in page, or a 403 page.
    #[expect(clippy::result_large_err, reason = "the error is the ready response, built once per refused request")]
    pub fn authorize_form(&self, submitted_csrf: Option<&str>) -> Result<&Account, Response> {
        let Some((session, account)) = &self.signed_in else {
            return Err(
                axum::response::Redirect::to(&format!("/login?next={}", crate::pages::enc(&self.path))).into_response()
            );
        };
        if submitted_csrf != Some(session.csrf_token.as_str()) {
            tracing::warn!(account = %account.id.0, path = %self.path, "form refused: CSRF token missing or wrong");
            return Err(crate::error::page_error(self, StatusCode::FORBIDDEN));
        }
        Ok(account)
    }

    /// For pages that need a signed-in account: the account, or a redirect to sign in.
    #[expect(clippy::result_large_err, reason = "the error is the ready response, built once per refused request")]
    pub fn require_account(&self) -> Result<&Account, Response> {
        self.account().ok_or_else(|| {
            axum::response::Redirect::to(&format!("/login?next={}", crate::pages::enc(&self.path_and_query)))
                .into_response()
        })
    }
}

/// The frame around every page.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Translator.
    pub tr: Tr,
    /// `<title>` and usually the `<h1>`.
    pub title: String,
    /// Current path, to mark the current menu item.
    pub path: String,
    /// Link to the other language.
    pub switch_href: String,
    /// The signed-in account's name.
    pub account_name: Option<String>,
    /// The session's CSRF token, for every form that changes something.
    pub csrf: Option<String>,
    /// Tell the reader their sign-in expired.
    pub session_expired: bool,
    /// The signed-in account's roles, for the menu.
    pub roles: Vec<tsunagu_domain::account::Role>,
}

impl Layout {
    /// The main menu: (href, label, is current).
    pub fn nav(&self) -> Vec<(&'static str, String, bool)> {
        use tsunagu_domain::account::Role;
        let casework = self.roles.iter().any(|r| r.is_casework());
        let own: &[(&'static str, &'static str)] = if casework {
            &[("/persons", "nav-persons"), ("/referrals", "nav-referrals")]
        } else if self.roles.contains(&Role::Person) {
            &[("/me", "nav-me")]
        } else {
            &[]
        };
        [("/", "nav-home")]
            .into_iter()
            .chain(own.iter().copied())
            .chain([
                ("/agencies", "nav-agencies"),
                ("/blocks", "nav-blocks"),
                ("/municipalities", "nav-municipalities"),
                ("/agencies/new", "nav-new-agency"),
                ("/agencies/import", "nav-import"),
            ])
            .map(|(href, key)| (href, self.tr.get(key), self.path == href))
            .collect()
    }
}

/// One `<option>`.
#[derive(Debug, Clone)]
pub struct SelectOption {
    /// Submitted value.
    pub value: String,
    /// Shown text.
    pub label: String,
    /// Pre-selected.
    pub selected: bool,
}

/// One form field with its label, hint and error.
#[derive(Debug, Clone)]
pub struct Field {
    /// `name` and `id`.
    pub name: &'static str,
    /// Label text.
    pub label: String,
    /// Current value.
    pub value: String,
    /// Help text.
    pub hint: Option<String>,
    /// The problem, if any.
    pub error: Option<String>,
    /// Required.
    pub required: bool,
    /// `type` of the input.
    pub input_type: &'static str,
    /// `maxlength`.
    pub max: u32,
    /// `autocomplete` token.
    pub autocomplete: Option<&'static str>,
}

impl Field {
    /// The ids the input's `aria-describedby` names: its hint and its error.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// A form field named `name`, labelled from the catalog (`field-<name>`, hint `hint-<name>` when
/// the catalog has one), with the first problem `problems` holds for it.
pub fn field(
    tr: Tr,
    problems: &tsunagu_domain::Problems,
    name: &'static str,
    value: &str,
    input_type: &'static str,
    max: u32,
    required: bool,
) -> Field {
    let hint_key = format!("hint-{name}");
    let hint = tr.get(&hint_key);
    Field {
        name,
        label: tr.field(name),
        value: value.to_owned(),
        hint: (hint != hint_key).then_some(hint),
        error: problems.for_field(name).map(|p| tr.problem(p.field, false, p.code, p.limit)),
        required,
        input_type,
        max,
        autocomplete: None,
    }
}

/// The value of the first pair named `key` in a submitted form, or empty.
pub fn form_value(pairs: &[(String, String)], key: &str) -> String {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// Renders a template with `status`; a rendering failure is logged and becomes a plain 500.
pub fn render(status: StatusCode, template: &impl askama::Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
        }
    }
}

/// A timestamp as Tokyo local time, `2026-11-25 19:15`.
pub fn tokyo_time(t: OffsetDateTime) -> String {
    let jst = UtcOffset::from_hms(9, 0, 0).unwrap_or(UtcOffset::UTC);
    let t = t.to_offset(jst);
    format!("{:04}-{:02}-{:02} {:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}
