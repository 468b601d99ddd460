//! Every statement on personal data names its shard: on tables distributed by prefecture (a
//! distributed PostgreSQL such as Citus, ARCHITECTURE.md "Toward national scale"), a statement
//! that does not carry `prefecture` is sent to every node. This reads the store's SQL as written
//! in `src/` (constants and local strings spliced into `format!` expanded) and checks that each
//! statement has as many prefecture conditions — `prefecture = …`, or `prefecture` among the
//! columns an INSERT writes — as it names tables of personal data.

use std::collections::HashMap;

/// The tables distributed on `prefecture`.
const DISTRIBUTED: [&str; 31] = [
    "persons",
    "cases",
    "consents",
    "provisions",
    "stage_changes",
    "support_records",
    "follow_ups",
    "support_plans",
    "referrals",
    "person_links",
    "plan_reviews",
    "notices",
    "caseload_sizes",
    "documents",
    "document_contents",
    "emergency_access",
    "placements",
    "bookings",
    "enrolments",
    "job_preferences",
    "dispatches",
    "coach_days",
    "trials",
    "trial_weeks",
    "return_plans",
    "trywork_participations",
    "event_signups",
    "checklists",
    "mws_results",
    "assessment_sheets",
    "passports",
];

/// Every string literal of `source` with where it starts, comments skipped; a `\` at a line's
/// end joins the next line as Rust does.
fn literals(source: &str) -> Vec<(usize, String)> {
    let bytes = source.as_bytes();
    let (mut out, mut i) = (Vec::new(), 0);
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 3,
            b'"' => {
                let start = i;
                let mut text = String::new();
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                        if bytes.get(i) == Some(&b'\n') {
                            while i + 1 < bytes.len() && bytes[i + 1].is_ascii_whitespace() {
                                i += 1;
                            }
                        } else {
                            text.push(bytes[i] as char);
                        }
                    } else {
                        let c = source[i..].chars().next().unwrap();
                        text.push(c);
                        i += c.len_utf8() - 1;
                    }
                    i += 1;
                }
                out.push((start, text));
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `NAME` → text for `const NAME: &str = "…"` and `let NAME = "…"`.
fn named_strings(source: &str, literals: &[(usize, String)]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (at, text) in literals {
        let before = source[..*at].trim_end();
        let Some(before) = before.strip_suffix('=') else { continue };
        let before = before.trim_end().trim_end_matches("&str").trim_end().trim_end_matches(':').trim_end();
        let name: String = before.chars().rev().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let name: String = name.chars().rev().collect();
        if !name.is_empty() {
            out.insert(name, text.clone());
        }
    }
    out
}

fn expand(text: &str, names: &HashMap<String, String>) -> String {
    let mut out = text.to_owned();
    for _ in 0..3 {
        for (name, value) in names {
            out = out.replace(&format!("{{{name}}}"), value);
        }
    }
    out
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.' || c == '='))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How many times the statement names a distributed table after FROM, JOIN, UPDATE or INTO.
fn tables_named(sql: &str) -> usize {
    let w = words(sql);
    w.windows(2)
        .filter(|p| ["FROM", "JOIN", "UPDATE", "INTO"].contains(&p[0].as_str()) && DISTRIBUTED.contains(&p[1].as_str()))
        .count()
}

/// How many prefecture conditions it has.
fn prefecture_conditions(sql: &str) -> usize {
    let spaced = sql.replace('=', " = ");
    let w = words(&spaced);
    let conditions =
        w.windows(2).filter(|p| (p[0] == "prefecture" || p[0].ends_with(".prefecture")) && p[1] == "=").count();
    let inserted = sql
        .split("INSERT INTO ")
        .skip(1)
        .filter(|rest| {
            let head = rest.split(')').next().unwrap_or("");
            DISTRIBUTED.iter().any(|t| rest.starts_with(&format!("{t} ")))
                && words(head).iter().any(|w| w == "prefecture")
        })
        .count();
    conditions + inserted
}

#[test]
fn every_statement_on_personal_data_names_its_prefecture() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut statements = 0;
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        let literals = literals(&source);
        let names = named_strings(&source, &literals);
        for (at, text) in &literals {
            let sql = expand(text, &names);
            let is_statement = ["SELECT ", "INSERT ", "UPDATE ", "DELETE "].iter().any(|k| sql.contains(k));
            let named = tables_named(&sql);
            if !is_statement || named == 0 {
                continue;
            }
            statements += 1;
            let line = source[..*at].matches('\n').count() + 1;
            let table_placeholder = ["FROM {", "UPDATE {", "INTO {", "JOIN {"].iter().any(|p| sql.contains(p));
            if table_placeholder || prefecture_conditions(&sql) < named {
                let file = path.file_name().unwrap().to_string_lossy().into_owned();
                missing.push(format!("{file}:{line}: {}", sql.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
        }
    }
    assert!(statements > 40, "found only {statements} statements: the scan is broken");
    assert!(missing.is_empty(), "statements without their prefecture:\n{}", missing.join("\n"));
}

#[test]
fn the_scan_tells_a_keyed_statement_from_one_without_its_key() {
    assert_eq!(tables_named("SELECT id FROM persons p JOIN cases c ON c.person_id = p.id"), 2);
    assert_eq!(prefecture_conditions("SELECT id FROM persons WHERE id = $1 AND prefecture = $2"), 1);
    assert_eq!(prefecture_conditions("SELECT id, prefecture FROM persons WHERE id = $1"), 0);
    assert_eq!(prefecture_conditions("INSERT INTO notices (id, prefecture) VALUES ($1, $2)"), 1);
    assert_eq!(prefecture_conditions("UPDATE cases c SET x = 1 WHERE c.prefecture=l.prefecture"), 1);
}
