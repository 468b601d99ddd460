//! The words of the person's own pages (`me-` messages), in the register the person chose:
//! やさしい日本語 (`locales/ja-simple`), ordinary Japanese (`ja`) or English (`en`).
//!
//! やさしい日本語 marks readings as Aozora Bunko does — `情報《じょうほう》`, the reading after
//! the run of kanji it belongs to, or `｜基本《きほん》` from the bar where the run is not the whole
//! word — and [`ruby`] turns them into `<ruby>` markup. Every kanji the early school grades do
//! not teach carries a reading (`locales/kanji-grades-1-2.txt`, checked by `tests/words.rs`).
//!
//! Written by hand: the notation is a dozen lines to read, and no crate reads it into HTML.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use tsunagu_app::me::Register;

use crate::web::i18n::{LOCALES, Lang};

static SIMPLE: std::sync::LazyLock<LanguageIdentifier> = std::sync::LazyLock::new(|| langid!("ja-simple"));
static JA: LanguageIdentifier = langid!("ja");
static EN: LanguageIdentifier = langid!("en");

/// Text ready for the page: escaped, with its `<ruby>` markup. Templates write it with `|safe`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Markup(pub String);

impl fmt::Display for Markup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `c` is a kanji (or the repetition mark 々, which takes the reading of its run).
pub fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '々')
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Each run of text with its reading: `(base, Some(reading))` for a word marked `《…》`, `(text,
/// None)` for the rest.
pub fn runs(text: &str) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut pending = String::new();
    let mut bar: Option<usize> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '｜' => bar = Some(pending.len()),
            '《' => {
                let reading: String = chars.by_ref().take_while(|&c| c != '》').collect();
                let start = bar.unwrap_or_else(|| {
                    pending
                        .char_indices()
                        .rev()
                        .take_while(|(_, c)| is_kanji(*c))
                        .last()
                        .map_or(pending.len(), |(i, _)| i)
                });
                let base = pending.split_off(start);
                if !pending.is_empty() {
                    out.push((std::mem::take(&mut pending), None));
                }
                out.push((base, Some(reading)));
                bar = None;
            }
            c => pending.push(c),
        }
    }
    if !pending.is_empty() {
        out.push((pending, None));
    }
    out
}

/// Text written as it is (a name), escaped for the page.
pub fn escaped(text: &str) -> Markup {
    let mut out = String::with_capacity(text.len());
    escape(text, &mut out);
    Markup(out)
}

/// The text as HTML: escaped, each marked word a `<ruby>` with its reading.
pub fn ruby(text: &str) -> Markup {
    let mut out = String::with_capacity(text.len() * 2);
    for (base, reading) in runs(text) {
        match reading {
            Some(r) => {
                out.push_str("<ruby>");
                escape(&base, &mut out);
                out.push_str("<rt>");
                escape(&r, &mut out);
                out.push_str("</rt></ruby>");
            }
            None => escape(&base, &mut out),
        }
    }
    Markup(out)
}

/// The text without its readings, for a page's `<title>` and an attribute.
pub fn plain(text: &str) -> String {
    runs(text).into_iter().map(|(base, _)| base).collect()
}

/// The `me-` messages in one register.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    register: Register,
}

impl Words {
    /// The words of `register`.
    pub fn new(register: Register) -> Self {
        Self { register }
    }

    /// The register.
    pub fn register(&self) -> Register {
        self.register
    }

    /// The language the pages' other parts (the menu, dates, errors) speak.
    pub fn lang(&self) -> Lang {
        match self.register {
            Register::English => Lang::En,
            Register::Easy | Register::Plain => Lang::Ja,
        }
    }

    fn id(&self) -> &'static LanguageIdentifier {
        match self.register {
            Register::Easy => &SIMPLE,
            Register::Plain => &JA,
            Register::English => &EN,
        }
    }

    /// The message as written in the catalog (readings marked).
    pub fn text(&self, key: &str) -> String {
        LOCALES.try_lookup(self.id(), key).unwrap_or_else(|| key.to_owned())
    }

    /// The message with arguments, as written in the catalog.
    pub fn text_with(&self, key: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone())).collect();
        LOCALES.try_lookup_with_args(self.id(), key, &args).unwrap_or_else(|| key.to_owned())
    }

    /// The message for the page.
    pub fn get(&self, key: &str) -> Markup {
        ruby(&self.text(key))
    }

    /// The message with arguments for the page.
    pub fn with(&self, key: &str, args: &[(&'static str, FluentValue<'_>)]) -> Markup {
        ruby(&self.text_with(key, args))
    }

    /// Text of the record's own (an item's wording), for the page: its readings as `<ruby>` in
    /// やさしい日本語, left out in the other registers.
    pub fn markup(&self, text: &str) -> Markup {
        match self.register {
            Register::Easy => ruby(text),
            Register::Plain | Register::English => escaped(&plain(text)),
        }
    }

    /// The message without readings (a title, an attribute).
    pub fn plain(&self, key: &str) -> String {
        plain(&self.text(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_become_ruby_and_everything_else_is_escaped() {
        assert_eq!(
            ruby("あなたの情報《じょうほう》を見《み》た人").0,
            "あなたの<ruby>情報<rt>じょうほう</rt></ruby>を<ruby>見<rt>み</rt></ruby>た人"
        );
        assert_eq!(
            ruby("この｜基本情報《きほんじょうほう》です").0,
            "この<ruby>基本情報<rt>きほんじょうほう</rt></ruby>です"
        );
        assert_eq!(
            ruby("<b>名前</b> & 確認《かくにん》").0,
            "&lt;b&gt;名前&lt;/b&gt; &amp; <ruby>確認<rt>かくにん</rt></ruby>"
        );
        assert_eq!(plain("あなたの情報《じょうほう》"), "あなたの情報");
    }
}
