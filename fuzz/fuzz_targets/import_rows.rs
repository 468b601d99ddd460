//! Any text as the cells of an import's row: each row type's checks (a person, a support record,
//! an agency against the shipped municipalities) answer fields or problems, never a panic.
//! The cells are the text split at U+001F, in the order of each input's fields.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use tsunagu_app::reference::{References, default_blocks, default_municipalities};
use tsunagu_domain::directory::AgencyInput;
use tsunagu_domain::journey::SupportInput;
use tsunagu_domain::person::PersonInput;

static REFERENCES: LazyLock<References> = LazyLock::new(|| References::new(default_blocks(), default_municipalities()));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut cells = text.split('\u{1f}').map(str::to_owned).chain(std::iter::repeat(String::new()));
    let mut next = || cells.next().unwrap_or_default();
    let list =
        |raw: String| raw.split([',', '、', ';']).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
    let today = time::macros::date!(2026 - 12 - 04);
    let person = PersonInput {
        name: next(),
        name_kana: next(),
        birth_date: next(),
        phone: next(),
        email: next(),
        address: next(),
        categories: list(next()),
        certificates: list(next()),
        accommodations: next(),
        health_notes: next(),
        preferred_hours: next(),
        preferred_area: next(),
        emergency_contact: next(),
        emergency_phone: next(),
    };
    let _ = person.validate(today);
    let support = SupportInput {
        kind: next(),
        date: next(),
        minutes: next(),
        note: next(),
        next_action: next(),
        next_action_on: next(),
    };
    let _ = support.validate(today);
    let agency = AgencyInput {
        kind: next(),
        name: next(),
        name_kana: next(),
        municipality_code: next(),
        block_code: next(),
        postal_code: next(),
        address: next(),
        phone: next(),
        fax: next(),
        email: next(),
        website: next(),
        opening_hours: next(),
        services: list(next()),
        departments: list(next()),
        notes: next(),
    };
    let _ = agency.validate(&*REFERENCES);
    let _ = REFERENCES.municipality_by_name(&next());
    let _ = REFERENCES.block_by_name(&next());
});
