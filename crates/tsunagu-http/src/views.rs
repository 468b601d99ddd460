//! View models shared by the page templates: the layout, form fields and select options.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use time::{OffsetDateTime, UtcOffset};

use crate::i18n::{Lang, Tr, lang_of};

/// What every page needs from the request: the language and the address of the same page in
/// the other language.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Reader's language.
    pub lang: Lang,
    /// Request path.
    pub path: String,
    /// The same page in the other language.
    pub switch_href: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
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
        Ok(Self { lang, path, switch_href })
    }
}

impl Ctx {
    /// The translator.
    pub fn tr(&self) -> Tr {
        self.lang.tr()
    }

    /// The layout for a page titled `title`.
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        Layout { tr: self.tr(), title: title.into(), path: self.path.clone(), switch_href: self.switch_href.clone() }
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
}

impl Layout {
    /// The main menu: (href, label, is current).
    pub fn nav(&self) -> Vec<(&'static str, String, bool)> {
        [
            ("/", "nav-home"),
            ("/agencies", "nav-agencies"),
            ("/blocks", "nav-blocks"),
            ("/municipalities", "nav-municipalities"),
            ("/agencies/new", "nav-new-agency"),
            ("/agencies/import", "nav-import"),
        ]
        .into_iter()
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
