//! Any bytes as an uploaded import file (CSV in UTF-8 with or without a BOM, Shift_JIS/CP932, or
//! XLSX): read into a table or refused with a problem, then its header mapped onto each import's
//! columns and every cell of every row read through them. Never a panic, a hang or unbounded
//! memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tsunagu_app::casework_import::{PERSON_COLUMNS, SUPPORT_COLUMNS};
use tsunagu_app::import::{AGENCY_COLUMNS, Columns, filled_rows, read_table};

fuzz_target!(|data: &[u8]| {
    let Ok(table) = read_table(data) else { return };
    for known in [AGENCY_COLUMNS, PERSON_COLUMNS, SUPPORT_COLUMNS] {
        let Ok(columns) = Columns::read(&table, known, &[]) else { continue };
        for (line, cells) in filled_rows(&table) {
            let row = columns.row(line, cells);
            for (field, _) in known {
                let _ = row.cell(field);
            }
        }
    }
});
