//! Directory export to CSV and XLSX, in the columns the import reads back.

use rust_xlsxwriter::{Format, Workbook};
use tsunagu_domain::directory::{Agency, DirectoryReferences};

use crate::import::AGENCY_COLUMNS;
use crate::reference::References;
use crate::{App, AppError};

fn row(agency: &Agency, refs: &References) -> Vec<String> {
    let f = &agency.fields;
    let municipality = f.municipality.as_ref().and_then(|c| refs.municipality(c));
    let block = f.block.as_ref().or(municipality.map(|m| &m.block)).and_then(|b| refs.block(b));
    AGENCY_COLUMNS
        .iter()
        .map(|(field, _)| match *field {
            "id" => agency.id.0.to_string(),
            "kind" => f.kind.name_ja().to_owned(),
            "name" => f.name.clone(),
            "name_kana" => f.name_kana.clone(),
            "municipality_code" => f.municipality.as_ref().map(|m| m.to_string()).unwrap_or_default(),
            "municipality" => municipality.map(|m| m.name.clone()).unwrap_or_default(),
            // Only a block the agency holds itself is written, so re-importing never conflicts
            // with the municipality's block.
            "block_code" => match (&f.block, block) {
                (Some(_), Some(b)) => b.name_ja.clone(),
                _ => String::new(),
            },
            "postal_code" => f.postal_code.clone().unwrap_or_default(),
            "address" => f.address.clone().unwrap_or_default(),
            "phone" => f.phone.clone().unwrap_or_default(),
            "fax" => f.fax.clone().unwrap_or_default(),
            "email" => f.email.clone().unwrap_or_default(),
            "website" => f.website.clone().unwrap_or_default(),
            "opening_hours" => f.opening_hours.clone().unwrap_or_default(),
            "services" => f.services.iter().map(|s| s.name_ja()).collect::<Vec<_>>().join("、"),
            "departments" => f.departments.join("、"),
            "notes" => f.notes.clone().unwrap_or_default(),
            "version" => agency.version.to_string(),
            _ => String::new(),
        })
        .collect()
}

fn headings() -> Vec<&'static str> {
    AGENCY_COLUMNS.iter().map(|(_, names)| names[0]).collect()
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as a spreadsheet may open it: a cell starting like a formula (`=HYPERLINK(…)` planted in
/// an address) gets a leading `'`, which makes Excel and LibreOffice take it as text.
/// [`crate::import`] takes the `'` off again, so an export imports back unchanged.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) { format!("'{cell}").into() } else { cell.into() }
}

/// `cell` as it was before [`spreadsheet_safe`].
pub fn from_spreadsheet_safe(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// A table as CSV: UTF-8 with a BOM, which Excel opens correctly on Japanese Windows; every cell
/// through [`spreadsheet_safe`]. Every CSV the project writes is written here.
pub fn table_csv(headings: &[impl AsRef<str>], rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        let safe = |cells: &mut dyn Iterator<Item = &str>| {
            cells.map(|c| spreadsheet_safe(c).into_owned()).collect::<Vec<String>>()
        };
        let written = w
            .write_record(safe(&mut headings.iter().map(AsRef::as_ref)))
            .and_then(|()| rows.iter().try_for_each(|r| w.write_record(safe(&mut r.iter().map(String::as_str)))))
            .and_then(|()| w.flush().map_err(csv::Error::from));
        written.map_err(|e| AppError::Store(tsunagu_store::StoreError::backend(e)))?;
    }
    Ok(out)
}

/// A table as an XLSX workbook with a bold, frozen header row. The cells of `date_columns` that
/// hold an ISO date are date cells (shown 2026/12/03, sorted and filtered as dates by Excel);
/// every other cell is a string, so codes and phone numbers keep their leading zeros.
pub(crate) fn table_xlsx(
    sheet_name: &str,
    headings: &[&str],
    rows: &[Vec<String>],
    date_columns: &[usize],
) -> Result<Vec<u8>, AppError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::Store(tsunagu_store::StoreError::backend(e));
    sheet.set_name(sheet_name).map_err(fail)?;
    for (c, h) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(fail)?;
    }
    let date_format = Format::new().set_num_format("yyyy/mm/dd");
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c16) = (r as u32 + 1, c as u16);
            match time::Date::parse(value, &iso).ok().filter(|_| date_columns.contains(&c)) {
                Some(d) => {
                    let cell = rust_xlsxwriter::ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day())
                        .map_err(fail)?;
                    sheet.write_datetime_with_format(r, c16, &cell, &date_format).map_err(fail)?;
                }
                None => {
                    sheet.write_string(r, c16, value).map_err(fail)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    sheet.autofit();
    book.save_to_buffer().map_err(fail)
}

impl App {
    /// Every agency as CSV (see [`table_csv`]).
    pub async fn export_agencies_csv(&self) -> Result<Vec<u8>, AppError> {
        let refs = self.references().await?;
        let agencies = self.store.all_agencies().await.map_err(AppError::Store)?;
        let rows: Vec<Vec<String>> = agencies.iter().map(|a| row(a, &refs)).collect();
        table_csv(&headings(), &rows)
    }

    /// Every agency as an XLSX workbook (see [`table_xlsx`]).
    pub async fn export_agencies_xlsx(&self) -> Result<Vec<u8>, AppError> {
        let refs = self.references().await?;
        let agencies = self.store.all_agencies().await.map_err(AppError::Store)?;
        let rows: Vec<Vec<String>> = agencies.iter().map(|a| row(a, &refs)).collect();
        table_xlsx("機関", &headings(), &rows, &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_start_like_a_formula_are_written_as_text_and_read_back_unchanged() {
        let cells =
            ["=HYPERLINK(\"http://x.example\",\"詳細\")", "+81", "-", "@SUM(A1)", "\tx", "\rx", "03-1234", "'as typed"];
        let rows = vec![cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>()];
        let csv = table_csv(&["=a", "b", "c", "d", "e", "f", "g", "h"], &rows).unwrap();
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&csv[3..]);
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(!cell.starts_with(FORMULA_STARTS), "{cell:?} would run as a formula");
            }
        }
        let table = crate::import::read_table(&csv).unwrap();
        assert_eq!(table.header[0], "=a");
        assert_eq!(table.rows[0].1, rows[0]);
    }

    #[test]
    fn dates_are_date_cells_in_a_workbook_and_read_back_as_written() {
        use calamine::{Data, Reader, Xlsx};
        let rows = vec![vec!["山田 太郎".to_owned(), "2001-04-02".to_owned(), "2001-04-02".to_owned()]];
        let book = table_xlsx("表", &["氏名", "生年月日", "メモ"], &rows, &[1]).unwrap();
        let mut xlsx: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(book.clone())).unwrap();
        let sheet = xlsx.worksheet_range("表").unwrap();
        assert!(matches!(sheet.get((1, 1)), Some(Data::DateTime(_))), "{:?}", sheet.get((1, 1)));
        assert_eq!(sheet.get((1, 2)), Some(&Data::String("2001-04-02".into())), "only the date columns");
        let table = crate::import::read_table(&book).unwrap();
        assert_eq!(table.rows[0].1, rows[0]);
    }
}
