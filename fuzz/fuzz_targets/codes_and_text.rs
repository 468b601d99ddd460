//! Any text through the parsers of codes, dates and names: 地方公共団体コード, 法人番号, dates in
//! every accepted form (和暦 included, and back to 和暦), the search folding of names and
//! readings, phone digits. Each answers a value or refuses; a value read back parses again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagu_domain::calendar::{parse_date, wareki};
use tsunagu_domain::codes::{CorporateNumber, LocalGovCode};
use tsunagu_domain::text::{dial_digits, is_kana_reading, name_search_forms, search_key};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(code) = LocalGovCode::parse(text) {
        assert_eq!(LocalGovCode::parse(&code.to_string()).as_ref(), Ok(&code));
    }
    if let Ok(number) = CorporateNumber::parse(text) {
        assert_eq!(CorporateNumber::parse(&number.to_string()).as_ref(), Ok(&number));
    }
    if let Some(date) = parse_date(text) {
        let _ = wareki(date);
        assert_eq!(parse_date(&date.to_string()), Some(date), "an ISO date reads back");
    }
    let key = search_key(text);
    assert_eq!(search_key(&key), key, "folding twice changes nothing");
    let _ = name_search_forms(text);
    let _ = dial_digits(text);
    let _ = is_kana_reading(text);
});
