//! The columns of every file Tsunagu writes or reads back are a public layout: agencies keep
//! spreadsheets built on them. A snapshot locks them, so that a renamed field cannot silently
//! move or rename a column.

use tsunagu_app::casework_import::{PERSON_COLUMNS, SUPPORT_COLUMNS};
use tsunagu_app::import::AGENCY_COLUMNS;
use tsunagu_app::persons::CASELOAD_COLUMNS;

/// Each column as `field: heading (other headings read on import)`.
fn layout(columns: &[(&str, &[&str])]) -> Vec<String> {
    columns.iter().map(|(field, names)| format!("{field}: {}", names.join(" | "))).collect()
}

#[test]
fn the_file_layouts_are_locked() {
    insta::assert_json_snapshot!(
        "file_layouts",
        serde_json::json!({
            "agencies (export and import)": layout(AGENCY_COLUMNS),
            "caseload (export)": CASELOAD_COLUMNS,
            "persons (import)": layout(PERSON_COLUMNS),
            "support records (import)": layout(SUPPORT_COLUMNS),
        })
    );
}
