//! Directory import from the files agencies keep: CSV (UTF-8 with or without BOM, or
//! Shift_JIS/CP932 as Japanese Excel writes it) and XLSX.
//!
//! The pattern every import follows: read the whole file, check every row, and write either all
//! of it in one transaction or nothing, listing every problem by line and column.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde::Serialize;
use tsunagu_domain::account::Account;
use tsunagu_domain::directory::{Agency, AgencyId, AgencyInput};
use tsunagu_domain::text::search_key;
use uuid::Uuid;

use crate::{App, AppError, PREFECTURE};

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 50_000;
/// The most columns a file may use (the widest import has about 30).
pub const MAX_COLUMNS: usize = 100;
/// The most characters one cell may hold (the longest field takes 2,000).
pub const MAX_CELL_CHARS: usize = 10_000;
/// The most bytes one part of an XLSX file (a ZIP archive of XML parts) may inflate to.
pub const MAX_XLSX_PART_MIB: u64 = 32;
/// The most bytes all parts of an XLSX file may inflate to together.
pub const MAX_XLSX_TOTAL_MIB: u64 = 64;
/// The most parts an XLSX file may hold.
const MAX_XLSX_PARTS: usize = 1_000;
/// How much of a file's own text a problem quotes back at most.
const QUOTED_CHARS: usize = 40;

/// One reason an import was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    /// 1-based line (CSV) or row (XLSX) number, the header being line 1; none for the whole file.
    pub line: Option<usize>,
    /// The column heading as written in the file.
    pub column: Option<String>,
    /// Stable problem code (the same codes as the forms, plus file-level ones).
    pub code: &'static str,
    /// A limit the message needs.
    pub limit: Option<u32>,
}

impl ImportProblem {
    fn file(code: &'static str) -> Self {
        Self { line: None, column: None, code, limit: None }
    }

    fn file_limit(code: &'static str, limit: usize) -> Self {
        Self { limit: Some(u32::try_from(limit).unwrap_or(u32::MAX)), ..Self::file(code) }
    }
}

/// At most [`QUOTED_CHARS`] of `text`, with an ellipsis when it was longer: what a problem
/// quotes of a file, so that a huge cell is never sent back whole.
pub fn quoted(text: &str) -> String {
    tsunagu_domain::text::cut_to(text, QUOTED_CHARS)
}

/// A table read from a file: the header and numbered rows.
#[derive(Debug, Default)]
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// (line number, cells).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads a CSV or XLSX file (told apart by content, not by name) into a [`Table`].
pub fn read_table(bytes: &[u8]) -> Result<Table, ImportProblem> {
    if bytes.is_empty() {
        return Err(ImportProblem::file("empty_file"));
    }
    if bytes.starts_with(b"PK\x03\x04") { read_xlsx(bytes) } else { read_csv(&decode_text(bytes)?) }
}

/// Decodes CSV bytes: UTF-8 (a BOM is dropped), else Shift_JIS/CP932; anything else is refused
/// with the line where it first fails.
pub fn decode_text(bytes: &[u8]) -> Result<String, ImportProblem> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).map(str::to_owned).map_err(|e| encoding_problem(rest, e.valid_up_to()));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    // encoding_rs's SHIFT_JIS is the WHATWG "Shift_JIS", i.e. Windows-31J/CP932 with NEC and IBM
    // extensions (①, ㈱, 髙): what Excel on Japanese Windows writes.
    let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if had_errors {
        let at = text.find('\u{FFFD}').unwrap_or(0);
        let line = text[..at].matches('\n').count() + 1;
        return Err(ImportProblem { line: Some(line), ..ImportProblem::file("encoding") });
    }
    Ok(text.into_owned())
}

fn encoding_problem(bytes: &[u8], valid_up_to: usize) -> ImportProblem {
    let line = bytes[..valid_up_to].iter().filter(|&&b| b == b'\n').count() + 1;
    ImportProblem { line: Some(line), ..ImportProblem::file("encoding") }
}

fn read_csv(text: &str) -> Result<Table, ImportProblem> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table = Table::default();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ImportProblem {
            line: e.position().map(|p| p.line() as usize),
            ..ImportProblem::file("csv_syntax")
        })?;
        let line = record.position().map_or(i + 1, |p| p.line() as usize);
        if i > MAX_ROWS {
            return Err(ImportProblem::file_limit("too_many_rows", MAX_ROWS));
        }
        if record.len() > MAX_COLUMNS {
            return Err(ImportProblem {
                line: Some(line),
                ..ImportProblem::file_limit("too_many_columns", MAX_COLUMNS)
            });
        }
        if record.iter().any(|cell| cell.chars().count() > MAX_CELL_CHARS) {
            return Err(ImportProblem {
                line: Some(line),
                ..ImportProblem::file_limit("cell_too_long", MAX_CELL_CHARS)
            });
        }
        // An export's `'=…` (see `export::spreadsheet_safe`) reads back as `=…`.
        let cells: Vec<String> = record.iter().map(|c| crate::export::from_spreadsheet_safe(c).to_owned()).collect();
        if i == 0 {
            table.header = cells;
        } else {
            table.rows.push((line, cells));
        }
    }
    Ok(table)
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, ImportProblem> {
    check_inflated_size(bytes)?;
    let unreadable = |_| ImportProblem::file("xlsx_unreadable");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let first = book.sheet_names().first().cloned().ok_or_else(|| ImportProblem::file("xlsx_no_sheet"))?;
    // Cells are read one by one, each checked before it is kept: a sheet's whole range would be
    // allocated from its corners, and a cell at A1 and another at XFD1048576 make 17 billion.
    let mut reader = book.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut cells: Vec<((u32, u32), String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let line = Some(row as usize + 1);
        if column as usize >= MAX_COLUMNS {
            return Err(ImportProblem { line, ..ImportProblem::file_limit("too_many_columns", MAX_COLUMNS) });
        }
        if row as usize > MAX_ROWS + 1 {
            return Err(ImportProblem::file_limit("too_many_rows", MAX_ROWS));
        }
        if text.chars().count() > MAX_CELL_CHARS {
            return Err(ImportProblem { line, ..ImportProblem::file_limit("cell_too_long", MAX_CELL_CHARS) });
        }
        cells.push(((row, column), text));
    }
    // As a sheet's range: from its first filled row and column; rows keep their sheet numbers.
    let (Some(top), Some(left)) = (cells.iter().map(|((r, _), _)| *r).min(), cells.iter().map(|((_, c), _)| *c).min())
    else {
        return Ok(Table::default());
    };
    let mut rows: std::collections::BTreeMap<u32, Vec<String>> = std::collections::BTreeMap::new();
    for ((row, column), text) in cells {
        let at = (column - left) as usize;
        let line = rows.entry(row).or_default();
        if line.len() <= at {
            line.resize(at + 1, String::new());
        }
        line[at] = text;
    }
    let mut table = Table { header: rows.remove(&top).unwrap_or_default(), rows: Vec::new() };
    table.rows = rows.into_iter().map(|(row, cells)| (row as usize + 1, cells)).collect();
    Ok(table)
}

/// Refuses an XLSX file whose parts would inflate beyond [`MAX_XLSX_PART_MIB`] each or
/// [`MAX_XLSX_TOTAL_MIB`] together, by inflating them (into nothing) up to the limit: the sizes
/// an archive declares are the attacker's to choose.
fn check_inflated_size(bytes: &[u8]) -> Result<(), ImportProblem> {
    const MIB: u64 = 1024 * 1024;
    let unreadable = |_| ImportProblem::file("xlsx_unreadable");
    let too_large = || ImportProblem::file_limit("xlsx_too_large", MAX_XLSX_TOTAL_MIB as usize);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if archive.len() > MAX_XLSX_PARTS {
        return Err(too_large());
    }
    let mut total = 0;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(unreadable)?;
        let allowed = (MAX_XLSX_PART_MIB * MIB).min(MAX_XLSX_TOTAL_MIB * MIB - total);
        let inflated = std::io::copy(&mut std::io::Read::take(part, allowed + 1), &mut std::io::sink())
            .map_err(|_| ImportProblem::file("xlsx_unreadable"))?;
        if inflated > allowed {
            return Err(too_large());
        }
        total += inflated;
    }
    Ok(())
}

/// A cell as text; whole numbers lose Excel's `.0` so that 131016 stays a code, and dates (which
/// Excel stores as day numbers) read as `2001-04-02`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, h, min, s, _) = dt.to_ymd_hms_milli();
            if (h, min, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02}")
            }
        }
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// Which column of a file holds each field, read from its header line.
#[derive(Debug)]
pub struct Columns {
    known: &'static [(&'static str, &'static [&'static str])],
    by_field: HashMap<&'static str, usize>,
    headings: Vec<String>,
}

impl Columns {
    /// Maps the header of `table` onto `known` fields (each with the headings accepted for it, the
    /// first being the one exports write). Unknown or repeated headings, missing `required` fields
    /// and files longer than [`MAX_ROWS`] are refused, every one of them at once.
    pub fn read(
        table: &Table,
        known: &'static [(&'static str, &'static [&'static str])],
        required: &[&str],
    ) -> Result<Self, Vec<ImportProblem>> {
        let mut problems = Vec::new();
        let mut by_field: HashMap<&'static str, usize> = HashMap::new();
        let headings: Vec<String> =
            table.header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').trim().to_owned()).collect();
        for (i, heading) in headings.iter().enumerate() {
            if heading.is_empty() {
                continue;
            }
            let problem = |code| ImportProblem { line: Some(1), column: Some(quoted(heading)), code, limit: None };
            // Headings match across full/half width, kana and case: 時間（分） is 時間(分), フリガナ ふりがな.
            let folded = search_key(heading);
            match known.iter().find(|(_, names)| names.iter().any(|n| search_key(n) == folded)) {
                Some((field, _)) if by_field.contains_key(field) => problems.push(problem("duplicate_column")),
                Some((field, _)) => {
                    by_field.insert(field, i);
                }
                None => problems.push(problem("unknown_column")),
            }
        }
        for field in required {
            if !by_field.contains_key(field) {
                let heading = known.iter().find(|(f, _)| f == field).map(|(_, n)| n[0].to_owned());
                problems.push(ImportProblem {
                    line: Some(1),
                    column: heading,
                    ..ImportProblem::file("missing_column")
                });
            }
        }
        if table.rows.len() > MAX_ROWS {
            problems.push(ImportProblem::file_limit("too_many_rows", MAX_ROWS));
        }
        // A value beyond the last heading would otherwise be dropped without a word.
        let width = headings.len();
        for (line, cells) in &table.rows {
            if cells.iter().skip(width).any(|c| !c.trim().is_empty()) {
                problems.push(ImportProblem { line: Some(*line), ..ImportProblem::file_limit("extra_cells", width) });
            }
        }
        if problems.is_empty() { Ok(Self { known, by_field, headings }) } else { Err(problems) }
    }

    /// The file has a column for `field`.
    pub fn has(&self, field: &str) -> bool {
        self.by_field.contains_key(field)
    }

    /// The heading of `field`'s column as the file writes it.
    pub fn heading(&self, field: &str) -> Option<String> {
        self.by_field.get(field).map(|&i| self.headings[i].clone())
    }

    /// The trimmed cell of `field` in a row (empty when the file has no such column).
    pub fn cell<'r>(&self, cells: &'r [String], field: &str) -> &'r str {
        self.by_field.get(field).and_then(|&i| cells.get(i)).map_or("", |s| s.trim())
    }

    /// A problem on `line` in `field`'s column (named as the file names it, or by the heading
    /// an export would write when the file has no such column).
    pub fn problem(&self, line: usize, field: &str, code: &'static str, limit: Option<u32>) -> ImportProblem {
        let column = self
            .heading(field)
            .or_else(|| self.known.iter().find(|(f, _)| *f == field).map(|(_, names)| names[0].to_owned()));
        ImportProblem { line: Some(line), column, code, limit }
    }

    /// Row `line` of the file, read through these columns.
    pub fn row<'r>(&'r self, line: usize, cells: &'r [String]) -> Row<'r> {
        Row { columns: self, line, cells }
    }
}

/// One row of a file, read through its [`Columns`].
#[derive(Debug, Clone, Copy)]
pub struct Row<'r> {
    columns: &'r Columns,
    /// The row's line (CSV) or row number (XLSX).
    pub line: usize,
    cells: &'r [String],
}

impl<'r> Row<'r> {
    /// The trimmed cell of `field` (empty when the file has no such column).
    pub fn cell(&self, field: &str) -> &'r str {
        self.columns.cell(self.cells, field)
    }

    /// A problem in this row, in `field`'s column.
    pub fn problem(&self, field: &str, code: &'static str, limit: Option<u32>) -> ImportProblem {
        self.columns.problem(self.line, field, code, limit)
    }
}

/// The rows of `table` that hold anything.
pub fn filled_rows(table: &Table) -> impl Iterator<Item = (usize, &[String])> {
    table.rows.iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty())).map(|(l, c)| (*l, c.as_slice()))
}

/// The agency columns: field name and the headings accepted for it (export writes the first).
pub const AGENCY_COLUMNS: &[(&str, &[&str])] = &[
    ("id", &["ID", "id"]),
    ("kind", &["種別", "kind"]),
    ("name", &["名称", "name"]),
    ("name_kana", &["ふりがな", "フリガナ", "よみがな", "name_kana"]),
    ("municipality_code", &["区市町村コード", "municipality_code"]),
    ("municipality", &["区市町村", "municipality"]),
    ("block_code", &["ブロック", "block", "block_code"]),
    ("postal_code", &["郵便番号", "postal_code"]),
    ("address", &["住所", "address"]),
    ("phone", &["電話番号", "電話", "phone"]),
    ("fax", &["FAX", "ファックス", "ファクス", "fax"]),
    ("email", &["メールアドレス", "メール", "email"]),
    ("website", &["ウェブサイト", "ホームページ", "URL", "website"]),
    ("opening_hours", &["受付時間", "開所時間", "opening_hours"]),
    ("services", &["サービス", "services"]),
    ("departments", &["学科", "departments"]),
    ("notes", &["備考", "notes"]),
    ("version", &["版", "version"]),
];

const REQUIRED_COLUMNS: [&str; 3] = ["kind", "name", "name_kana"];

/// Summary of an applied import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    /// Agencies added.
    pub created: usize,
    /// Agencies updated (rows with an `ID`).
    pub updated: usize,
}

impl App {
    /// Imports agencies from a CSV or XLSX file, all or nothing.
    pub async fn import_agencies(&self, actor: &Account, bytes: &[u8]) -> Result<ImportOutcome, AppError> {
        self.authorize(actor, |_| tsunagu_domain::account::DirectoryChange::Import).await?;
        let table = read_table(bytes).map_err(|p| AppError::Import(vec![p]))?;
        let columns = Columns::read(&table, AGENCY_COLUMNS, &REQUIRED_COLUMNS).map_err(AppError::Import)?;
        let mut problems = Vec::new();

        let refs = self.references().await?;
        let existing: HashMap<AgencyId, Agency> = if columns.has("id") {
            self.store.all_agencies().await.map_err(AppError::Store)?.into_iter().map(|a| (a.id, a)).collect()
        } else {
            HashMap::new()
        };
        let now = self.clock.now();
        let (mut new, mut changed) = (Vec::new(), Vec::new());
        let mut seen_ids = HashMap::new();
        for (line, cells) in filled_rows(&table) {
            let row = columns.row(line, cells);
            let cell = |field: &str| row.cell(field);
            let mut row_problem = |field: &str, code: &'static str, limit: Option<u32>| {
                problems.push(row.problem(field, code, limit));
            };
            let mut municipality_code = cell("municipality_code").to_owned();
            if municipality_code.is_empty() && !cell("municipality").is_empty() {
                match refs.municipality_by_name(cell("municipality")) {
                    Some(m) => municipality_code = m.code.to_string(),
                    None => row_problem("municipality", "unknown_municipality", None),
                }
            }
            let block_code = match cell("block_code") {
                "" => String::new(),
                raw => refs.block_by_name(raw).map_or_else(|| raw.to_owned(), |b| b.code.0.clone()),
            };
            let input = AgencyInput {
                kind: cell("kind").to_owned(),
                name: cell("name").to_owned(),
                name_kana: cell("name_kana").to_owned(),
                municipality_code,
                block_code,
                postal_code: cell("postal_code").to_owned(),
                address: cell("address").to_owned(),
                phone: cell("phone").to_owned(),
                fax: cell("fax").to_owned(),
                email: cell("email").to_owned(),
                website: cell("website").to_owned(),
                opening_hours: cell("opening_hours").to_owned(),
                services: vec![cell("services").to_owned()],
                departments: vec![cell("departments").to_owned()],
                notes: cell("notes").to_owned(),
            };
            let fields = match input.validate(refs.as_ref()) {
                Ok(fields) => fields,
                Err(ps) => {
                    for p in ps {
                        row_problem(p.field, p.code, p.limit);
                    }
                    continue;
                }
            };
            match cell("id") {
                "" => new.push(Agency {
                    id: AgencyId(self.ids.new_id()),
                    prefecture: PREFECTURE.to_owned(),
                    fields,
                    version: 1,
                    updated_at: now,
                }),
                raw => {
                    let Some(current) = Uuid::parse_str(raw).ok().map(AgencyId).and_then(|id| existing.get(&id)) else {
                        row_problem("id", "unknown_id", None);
                        continue;
                    };
                    if let Some(first) = seen_ids.insert(current.id, line) {
                        row_problem("id", "duplicate_id", Some(first as u32));
                        continue;
                    }
                    let version = match cell("version") {
                        "" => current.version,
                        raw => match raw.parse::<i64>() {
                            Ok(v) if v == current.version => v,
                            _ => {
                                row_problem("version", "stale_row", None);
                                continue;
                            }
                        },
                    };
                    if current.fields != fields {
                        changed.push(Agency { fields, version: version + 1, updated_at: now, ..current.clone() });
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Import(problems));
        }
        let saved = self.store.import_agencies(&new, &changed).await;
        self.directory_changed();
        saved.map_err(|e| match e {
            tsunagu_store::StoreError::Conflict { .. } => {
                AppError::Import(vec![ImportProblem::file("changed_meanwhile")])
            }
            e => AppError::Store(e),
        })?;
        tracing::info!(created = new.len(), updated = changed.len(), "agencies imported");
        let record = format!("agencies:import:{}+{}", new.len(), changed.len());
        self.audit(Some(actor), "", tsunagu_domain::audit::AuditAction::Import, record, vec![], "directory_policy")
            .await?;
        Ok(ImportOutcome { created: new.len(), updated: changed.len() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_encodings_are_told_apart() {
        assert_eq!(decode_text("名称\n".as_bytes()).unwrap(), "名称\n");
        assert_eq!(decode_text(b"\xEF\xBB\xBF\xE5\x90\x8D").unwrap(), "名");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("種別,名称\n福祉施設,㈱つなぐ①\n");
        assert_eq!(decode_text(&sjis).unwrap(), "種別,名称\n福祉施設,㈱つなぐ①\n");
        // Valid ASCII lines, then a byte that is neither UTF-8 nor Shift_JIS on line 3.
        assert_eq!(decode_text(b"a\nb\n\x80\xff\n").unwrap_err().line, Some(3));
        assert_eq!(decode_text(b"\xEF\xBB\xBFa\n\xff").unwrap_err().line, Some(2));
    }

    #[test]
    fn csv_lines_count_quoted_newlines() {
        let table = read_table("種別,備考\nA,\"two\nlines\"\nB,x\n".as_bytes()).unwrap();
        assert_eq!(table.header, ["種別", "備考"]);
        assert_eq!(table.rows.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [2, 4]);
    }

    #[test]
    fn excel_dates_read_as_dates_and_whole_numbers_without_a_fraction() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
        sheet.write_string(0, 0, "生年月日").unwrap();
        sheet.write_string(0, 1, "区市町村コード").unwrap();
        let birth = rust_xlsxwriter::ExcelDateTime::from_ymd(2001, 4, 2).unwrap();
        sheet.write_datetime_with_format(1, 0, &birth, &date).unwrap();
        sheet.write_number(1, 1, 131016.0).unwrap();
        let table = read_table(&book.save_to_buffer().unwrap()).unwrap();
        assert_eq!(table.rows, [(2, vec!["2001-04-02".to_owned(), "131016".to_owned()])]);
    }

    #[test]
    fn an_xlsx_that_inflates_beyond_the_limit_is_refused_before_it_is_read() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("xl/worksheets/sheet1.xml", zip::write::SimpleFileOptions::default()).unwrap();
        let spaces = vec![b' '; 1024 * 1024];
        for _ in 0..=MAX_XLSX_PART_MIB {
            zip.write_all(&spaces).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 1024 * 1024, "a small upload: {} bytes", bytes.len());
        let problem = read_table(&bytes).unwrap_err();
        assert_eq!((problem.code, problem.limit), ("xlsx_too_large", Some(MAX_XLSX_TOTAL_MIB as u32)));
    }

    #[test]
    fn a_sheet_with_cells_far_apart_is_refused_without_allocating_what_lies_between() {
        let far = |row, column| {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.write_string(0, 0, "名称").unwrap();
            sheet.write_string(row, column, "x").unwrap();
            book.save_to_buffer().unwrap()
        };
        let problem = read_table(&far(1_048_575, 0)).unwrap_err();
        assert_eq!((problem.code, problem.limit), ("too_many_rows", Some(MAX_ROWS as u32)));
        let problem = read_table(&far(1, 16_383)).unwrap_err();
        assert_eq!((problem.code, problem.line), ("too_many_columns", Some(2)));
    }

    #[test]
    fn a_cell_longer_than_the_limit_is_refused_and_a_heading_is_quoted_short() {
        let long = format!("名称\n{}\n", "あ".repeat(MAX_CELL_CHARS + 1));
        let problem = read_table(long.as_bytes()).unwrap_err();
        assert_eq!((problem.code, problem.line, problem.limit), ("cell_too_long", Some(2), Some(10_000)));

        let heading = "列".repeat(500);
        let table = read_table(format!("名称,{heading}\n").as_bytes()).unwrap();
        let problems = Columns::read(&table, AGENCY_COLUMNS, &[]).unwrap_err();
        let quoted = problems[0].column.as_deref().unwrap();
        assert_eq!((problems[0].code, quoted.chars().count()), ("unknown_column", QUOTED_CHARS + 1));
        assert!(quoted.ends_with('…'));
    }

    #[test]
    fn a_value_beyond_the_last_heading_is_refused() {
        let table = read_table("名称,種別\nA,B\nC,D,E\nF,G,,\n".as_bytes()).unwrap();
        let problems = Columns::read(&table, AGENCY_COLUMNS, &[]).unwrap_err();
        assert_eq!(problems, [ImportProblem { line: Some(3), ..ImportProblem::file_limit("extra_cells", 2) }]);
    }

    #[test]
    fn an_empty_or_broken_file_is_refused() {
        assert_eq!(read_table(b"").unwrap_err().code, "empty_file");
        assert_eq!(read_table(b"PK\x03\x04garbage").unwrap_err().code, "xlsx_unreadable");
    }
}
