//! Every message key exists in every catalog, and every problem code the code base can produce
//! has a message, and every field a problem names has a label.

use std::collections::BTreeSet;
use std::path::Path;

use fluent_syntax::ast::Entry;

fn keys(lang: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang).join("main.ftl");
    let text = std::fs::read_to_string(&path).unwrap();
    let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(_, errors)| panic!("{lang}: {errors:?}"));
    resource
        .body
        .iter()
        .filter_map(|e| match e {
            Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

fn sources(dir: &Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
            out.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn every_key_exists_in_every_catalog() {
    let (ja, en) = (keys("ja"), keys("en"));
    assert_eq!(ja.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in en");
    assert_eq!(en.difference(&ja).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in ja");
}

#[test]
fn every_key_and_problem_code_used_in_the_code_has_a_message() {
    let ja = keys("ja");
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut text = String::new();
    for krate in ["tsunagu-domain", "tsunagu-app", "tsunagu-http"] {
        sources(&crates.join(krate).join("src"), &mut text);
        let templates = crates.join(krate).join("templates");
        if templates.exists() {
            sources(&templates, &mut text);
        }
    }
    let mut missing = BTreeSet::new();
    let used_keys = regex::Regex::new(r#"(?:get|with|count)\("([a-z][a-z0-9_-]+)""#).unwrap();
    for c in used_keys.captures_iter(&text) {
        // Header names (`x-csrf-token`) are looked up with `get` too; they are not messages.
        if !ja.contains(&c[1]) && c[1].contains('-') && !c[1].starts_with("x-") {
            missing.insert(c[1].to_owned());
        }
    }
    let codes = regex::Regex::new(
        r#"(?:add\("[a-z_]+", "|file\("|Problem::new\("[a-z_]+", "|code: "|row_problem\("[a-z_]+", ")([a-z_]+)""#,
    )
    .unwrap();
    let mut checked = 0;
    for c in codes.captures_iter(&text) {
        let code = &c[1];
        // `code: "…"` also matches other codes that have catalogs of their own.
        if code == "ja" || code == "en" {
            continue;
        }
        if ja.contains(&format!("role-{code}"))
            || ja.contains(&format!("audit-action-{code}"))
            || ja.contains(&format!("kind-{code}"))
            || ja.contains(&format!("service-{code}"))
            || ja.contains(&format!("muni-kind-{code}"))
        {
            continue;
        }
        checked += 1;
        if !ja.contains(&format!("error-{code}")) {
            missing.insert(format!("error-{code}"));
        }
    }
    assert!(checked > 25, "the scan found the problem codes ({checked})");
    // Every field a problem can name has a label: a message names it, and an unknown key would
    // show as the key itself (`field-block`).
    let fields = regex::Regex::new(
        r#"(?:\.add\(|Problem::new\(|row_problem\(|text_field\(&mut \w+, |field: |renamed\("[a-z_]+", )"([a-z][a-z_.]*)""#,
    )
    .unwrap();
    let mut named = 0;
    for c in fields.captures_iter(&text) {
        named += 1;
        let key = format!("field-{}", c[1].replace('.', "_"));
        if !ja.contains(&key) {
            missing.insert(key);
        }
    }
    assert!(named > 40, "the scan found the fields problems name ({named})");
    for e in [tsunagu_domain::codes::CodeError::Format, tsunagu_domain::codes::CodeError::CheckDigit] {
        if !ja.contains(&format!("error-{}", e.code())) {
            missing.insert(format!("error-{}", e.code()));
        }
    }
    for kind in tsunagu_domain::directory::AgencyKind::ALL {
        if !ja.contains(&format!("kind-{}", kind.code())) {
            missing.insert(format!("kind-{}", kind.code()));
        }
    }
    assert!(missing.is_empty(), "keys without a message: {missing:?}");
}
