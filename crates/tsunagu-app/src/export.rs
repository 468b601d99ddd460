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
            "email" => f.email.clone().unwrap_or_default(),
            "website" => f.website.clone().unwrap_or_default(),
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

/// A table as CSV: UTF-8 with a BOM, which Excel opens correctly on Japanese Windows.
pub(crate) fn table_csv(headings: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        let written = w
            .write_record(headings)
            .and_then(|()| rows.iter().try_for_each(|r| w.write_record(r)))
            .and_then(|()| w.flush().map_err(csv::Error::from));
        written.map_err(|e| AppError::Store(tsunagu_store::StoreError::backend(e)))?;
    }
    Ok(out)
}

/// A table as an XLSX workbook with a bold, frozen header row; every cell a string, so codes and
/// phone numbers keep their leading zeros.
pub(crate) fn table_xlsx(sheet_name: &str, headings: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::Store(tsunagu_store::StoreError::backend(e));
    sheet.set_name(sheet_name).map_err(fail)?;
    for (c, h) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(fail)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, value).map_err(fail)?;
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
        table_xlsx("機関", &headings(), &rows)
    }
}
