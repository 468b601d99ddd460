//! Message catalogs (Fluent, `locales/<lang>/main.ftl`) and the reader's language.
//!
//! Japanese is the default; `?lang=en` switches and is remembered in a cookie.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use tsunagu_domain::directory::{AgencyKind, MunicipalityKind, WelfareService};

static_loader! {
    pub(crate) static LOCALES = {
        locales: "./locales",
        fallback_language: "ja",
        // Bidi isolation marks around arguments would end up inside form messages and CSV cells.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static JA: LanguageIdentifier = langid!("ja");
static EN: LanguageIdentifier = langid!("en");

/// A language the pages exist in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 日本語 (default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The other language, offered by the switch link.
    pub fn other(self) -> Self {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// Parses `ja` or `en`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }

    /// The translator for this language.
    pub fn tr(self) -> Tr {
        Tr { lang: self }
    }
}

/// Reads the language: `?lang=` first, then the `lang` cookie, then `Accept-Language` for API
/// clients, else Japanese.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(lang_of(parts))
    }
}

/// The language a request asks for.
pub fn lang_of(parts: &Parts) -> Lang {
    if let Some(lang) = query_lang(parts.uri.query()) {
        return lang;
    }
    let cookie = crate::web::cookie(&parts.headers, "lang").and_then(|v| Lang::parse(&v));
    if let Some(lang) = cookie {
        return lang;
    }
    let accept = parts.headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if accept.trim_start().starts_with("en") { Lang::En } else { Lang::Ja }
}

/// The `lang` query parameter, if it names a language.
pub fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?.split('&').find_map(|kv| kv.strip_prefix("lang=").and_then(Lang::parse))
}

/// Looks messages up in one language.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    lang: Lang,
}

impl Tr {
    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `key`; a missing key shows the key itself (and fails the catalog test).
    pub fn get(&self, key: &str) -> String {
        match resolved(self.lang).get(key) {
            Some(message) => message.clone(),
            None => LOCALES.try_lookup(self.lang.id(), key).unwrap_or_else(|| key.to_owned()),
        }
    }

    /// The message `key` with arguments.
    pub fn with(&self, key: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone())).collect();
        LOCALES.try_lookup_with_args(self.lang.id(), key, &args).unwrap_or_else(|| key.to_owned())
    }

    /// A message with one numeric argument `count`.
    pub fn count(&self, key: &str, count: u64) -> String {
        self.with(key, &[("count", FluentValue::from(count))])
    }

    /// An agency kind's name.
    pub fn kind(&self, kind: &AgencyKind) -> String {
        self.get(&format!("kind-{}", kind.code()))
    }

    /// A welfare service's name.
    pub fn service(&self, service: &WelfareService) -> String {
        self.get(&format!("service-{}", service.code()))
    }

    /// A municipality's name: in English its romanised name (Chiyoda City) where the shipped list
    /// has one, else the name as written.
    pub fn municipality(&self, m: &tsunagu_domain::directory::Municipality) -> String {
        match (self.lang, tsunagu_app::reference::english_name(&m.code)) {
            (Lang::En, Some(name)) => name.to_owned(),
            _ => m.name.clone(),
        }
    }

    /// What separates the items of a list in running text: 「、」 in Japanese, ", " in English.
    pub fn separator(&self) -> &'static str {
        match self.lang {
            Lang::Ja => "、",
            Lang::En => ", ",
        }
    }

    /// A municipality kind's name.
    pub fn municipality_kind(&self, kind: &MunicipalityKind) -> String {
        self.get(&format!("muni-kind-{}", kind.code()))
    }

    /// A field's label. A field of a nested object (`consent.categories`, as the API names it)
    /// has the label of its flat name (`consent_categories`).
    pub fn field(&self, field: &str) -> String {
        self.get(&format!("field-{}", field.replace('.', "_")))
    }

    /// The sentence for a validation problem on `field` (a field name, or a column heading as
    /// written in an import file when `field_is_label`).
    pub fn problem(&self, field: &str, field_is_label: bool, code: &str, limit: Option<u32>) -> String {
        let label = match tsunagu_domain::checklist::item(field) {
            // A checklist's item is named as the form names it.
            Some(item) if !field_is_label => item.label(),
            _ if field_is_label => field.to_owned(),
            _ => self.field(field),
        };
        let mut args = vec![("field", FluentValue::from(label))];
        if let Some(limit) = limit {
            args.push(("limit", FluentValue::from(limit)));
        }
        // A menu, checkboxes or radio buttons are chosen from, not typed into.
        let code = if code == "required" && !field_is_label && CHOICE_FIELDS.contains(&field) {
            "required_choice"
        } else {
            code
        };
        self.with(&format!("error-{code}"), &args)
    }
}

/// The fields the forms offer as a menu, checkboxes or radio buttons.
const CHOICE_FIELDS: [&str; 37] = [
    "participant",
    "quota_category",
    "hire_category",
    "choices",
    "kind",
    "stage",
    "next_stage",
    "purposes",
    "categories",
    "consent_categories",
    "evidence",
    "outcome",
    "to_agency",
    "recipient_kind",
    "roles",
    "scopes",
    "employment_kind",
    "end_reason",
    "opening",
    "slot_kind",
    "department",
    "coach_kind",
    "coaches",
    "coach",
    "activities",
    "course",
    "return_outcome",
    "trywork_course",
    "track",
    "trywork_outcome",
    "event_kind",
    "series",
    "audience",
    "helped_agency",
    "topics",
    "institutions",
    "edition",
];

/// The catalog sources, to list their message ids.
const SOURCES: [(Lang, &str); 2] =
    [(Lang::Ja, include_str!("../../locales/ja/main.ftl")), (Lang::En, include_str!("../../locales/en/main.ftl"))];

/// Every message of `lang` resolved once: a page looks up dozens of messages, and resolving one
/// through Fluent negotiates languages and allocates each time. Messages with arguments go
/// through [`Tr::with`] instead.
fn resolved(lang: Lang) -> &'static HashMap<String, String> {
    static RESOLVED: OnceLock<[HashMap<String, String>; 2]> = OnceLock::new();
    let all = RESOLVED.get_or_init(|| {
        SOURCES.map(|(lang, source)| {
            let ids = match fluent_syntax::parser::parse(source) {
                Ok(resource) => resource.body,
                Err((resource, _)) => resource.body,
            };
            ids.iter()
                .filter_map(|entry| match entry {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name),
                    _ => None,
                })
                .filter_map(|id| LOCALES.try_lookup(lang.id(), id).map(|text| (id.to_owned(), text)))
                .collect()
        })
    });
    match lang {
        Lang::Ja => &all[0],
        Lang::En => &all[1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_take_arguments_in_both_languages() {
        assert_eq!(
            Lang::Ja.tr().problem("name", false, "too_long", Some(100)),
            "名称は100文字以内で入力してください。"
        );
        assert_eq!(Lang::En.tr().problem("name", false, "required", None), "Enter Name.");
        assert_eq!(Lang::En.tr().count("results-count", 1), "1 agency");
        assert_eq!(Lang::Ja.tr().count("results-count", 12), "12 件");
    }

    #[test]
    fn query_and_cookie_choose_the_language() {
        let req = |uri: &str, cookie: Option<&str>| {
            let mut b = axum::http::Request::builder().uri(uri);
            if let Some(c) = cookie {
                b = b.header("cookie", c);
            }
            lang_of(&b.body(()).unwrap().into_parts().0)
        };
        assert_eq!(req("/agencies", None), Lang::Ja);
        assert_eq!(req("/agencies?q=a&lang=en", None), Lang::En);
        assert_eq!(req("/agencies", Some("a=b; lang=en")), Lang::En);
        assert_eq!(req("/agencies?lang=ja", Some("lang=en")), Lang::Ja);
        assert_eq!(req("/agencies?lang=xx", None), Lang::Ja);
    }
}
