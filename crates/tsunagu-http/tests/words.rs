//! The person's own pages speak three registers: every `me-` message has its やさしい日本語, its
//! ordinary Japanese and its English form, and やさしい日本語 gives a reading to every kanji
//! beyond the first two school grades (`locales/kanji-grades-1-2.txt`), as do the assessment
//! sheet's and the 就労パスポート's items the person answers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast::{Entry, Expression, InlineExpression, PatternElement};
use tsunagu_http::web::words::{is_kanji, runs};

fn locales() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("locales")
}

/// The `me-` messages of a catalog, each as its text with the placeables left out.
fn messages(lang: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(locales().join(lang).join("main.ftl")).unwrap();
    let resource = fluent_syntax::parser::parse(text.as_str()).unwrap_or_else(|(_, e)| panic!("{lang}: {e:?}"));
    resource
        .body
        .iter()
        .filter_map(|e| match e {
            Entry::Message(m) if m.id.name.starts_with("me-") => {
                let pattern = m.value.as_ref()?;
                let text = pattern
                    .elements
                    .iter()
                    .map(|el| match el {
                        PatternElement::TextElement { value } => (*value).to_owned(),
                        PatternElement::Placeable {
                            expression: Expression::Inline(InlineExpression::StringLiteral { value }),
                        } => (*value).to_owned(),
                        PatternElement::Placeable { .. } => String::new(),
                    })
                    .collect();
                Some((m.id.name.to_owned(), text))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_message_of_the_persons_pages_has_its_three_registers() {
    let (plain, easy, english) = (messages("ja"), messages("ja-simple"), messages("en"));
    assert!(plain.len() > 100, "the person's pages are written: {}", plain.len());
    let keys = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(keys(&plain), keys(&easy), "やさしい日本語 has exactly the messages of ordinary Japanese");
    assert_eq!(keys(&plain), keys(&english), "English has exactly the messages of ordinary Japanese");
}

#[test]
fn easy_japanese_gives_a_reading_to_every_kanji_beyond_the_second_grade() {
    let list = std::fs::read_to_string(locales().join("kanji-grades-1-2.txt")).unwrap();
    let allowed: BTreeSet<char> =
        list.lines().filter(|l| !l.starts_with('#')).flat_map(str::chars).filter(|c| is_kanji(*c)).collect();
    assert_eq!(allowed.len(), 240, "80 kanji of grade 1 and 160 of grade 2");
    let mut unread = Vec::new();
    let sheet =
        tsunagu_domain::assessment::items().iter().map(|i| (format!("assessment {}", i.code), i.easy.to_owned()));
    let passport = tsunagu_domain::passport::items()
        .iter()
        .map(|i| (format!("passport {}", i.code), i.easy.to_owned()))
        .chain(tsunagu_domain::passport::SECTIONS.iter().map(|s| (format!("passport {}", s.code), s.easy.to_owned())));
    for (key, text) in messages("ja-simple").into_iter().chain(sheet).chain(passport) {
        for (base, reading) in runs(&text) {
            if reading.is_some() {
                continue;
            }
            for c in base.chars().filter(|c| is_kanji(*c) && !allowed.contains(c)) {
                unread.push(format!("{key}: {c}"));
            }
        }
    }
    assert!(unread.is_empty(), "kanji without a reading: {unread:#?}");
}
