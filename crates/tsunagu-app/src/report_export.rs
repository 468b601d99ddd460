//! The annual report as files, with Japanese headings as the program document has them: an XLSX
//! workbook (one sheet per viewpoint laid out as the document's tables, each action's title a
//! merged row above its table, and a sheet of every figure as a number) and a CSV of the rows.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use tsunagu_domain::program::{Column, Figure, FigureKind, FiscalYear, Indicator, Report, Row};

use crate::AppError;
use crate::export::{spreadsheet_safe, table_csv};
use crate::programs::headings;

/// `n` with its thousands grouped as the document writes them (5,549).
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A figure in words: the indicator, the part it is of, the number (or range) and the unit; a
/// target opens with `target_label`.
pub fn figure_text(target_label: &str, indicator: Option<&Indicator>, f: &Figure) -> String {
    let (name, unit) = indicator.map_or((f.indicator.as_str(), ""), |i| (i.name.as_str(), i.unit.as_str()));
    let value = match f.max {
        Some(max) => format!("{}～{}", grouped(f.value), grouped(max)),
        None => grouped(f.value),
    };
    let part = if f.breakdown.is_empty() { String::new() } else { format!("（{}）", f.breakdown) };
    let kind = if f.kind == FigureKind::Target { format!("{target_label}: ") } else { String::new() };
    format!("{kind}{name}{part} {value}{unit}")
}

/// The column headings of the report for `year`, in the document's words.
pub fn column_headings(year: FiscalYear) -> [String; 6] {
    let actual = |y: i32| format!("{}実績", FiscalYear(y).wareki());
    [
        "事業名・事業内容".to_owned(),
        actual(year.0 - 3),
        actual(year.0 - 2),
        actual(year.0 - 1),
        format!("{}の取組と事業目標", year.wareki()),
        "担当".to_owned(),
    ]
}

/// A column's text: the document's, or its figures one a line, or 記録なし.
fn column_text(report: &Report, c: &Column) -> String {
    match &c.text {
        Some(text) => text.clone(),
        None if c.figures.is_empty() => "記録なし".to_owned(),
        None => c
            .figures
            .iter()
            .map(|f| figure_text("目標", report.indicators.get(&f.indicator), f))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// A row's cells as the document's table has them.
fn row_cells(report: &Report, row: &Row) -> [String; 6] {
    let p = &row.program;
    let mut program = format!("{} {}", p.code, p.name);
    if let Some(r) = &p.repeats {
        program.push_str(&format!(" 【再掲】{r}"));
    }
    if !p.description.is_empty() {
        program.push('\n');
        program.push_str(&p.description);
    }
    let mut plan = column_text(report, &row.plan);
    if !row.current.is_empty() {
        plan.push_str("\n実績（集計時点）\n");
        let current: Vec<String> =
            row.current.iter().map(|f| figure_text("目標", report.indicators.get(&f.indicator), f)).collect();
        plan.push_str(&current.join("\n"));
    }
    let mut owner = format!("【事業所管】{}", p.owner);
    if !p.implementer.is_empty() {
        owner.push_str(&format!("\n【実施主体】{}", p.implementer));
    }
    [
        program,
        column_text(report, &row.actuals[0]),
        column_text(report, &row.actuals[1]),
        column_text(report, &row.actuals[2]),
        plan,
        owner,
    ]
}

fn fail(e: XlsxError) -> AppError {
    AppError::Store(tsunagu_store::StoreError::backend(e))
}

/// The report as a CSV (UTF-8 with a BOM): one line per program, with its viewpoint and action.
pub fn report_csv(report: &Report) -> Result<Vec<u8>, AppError> {
    let [program, a1, a2, a3, plan, _] = column_headings(report.year);
    let headings = ["視点", "行動", "事業番号", &program, &a1, &a2, &a3, &plan, "事業所管", "実施主体"];
    let rows: Vec<Vec<String>> = report
        .viewpoints
        .iter()
        .flat_map(|(v, actions)| actions.iter().map(move |(a, rows)| (*v, *a, rows)))
        .flat_map(|(v, a, rows)| {
            rows.iter().map(move |row| {
                let [_, c1, c2, c3, plan, _] = row_cells(report, row);
                let p = &row.program;
                vec![
                    v.to_string(),
                    a.to_string(),
                    p.code.to_string(),
                    p.name.clone(),
                    c1,
                    c2,
                    c3,
                    plan,
                    p.owner.clone(),
                    p.implementer.clone(),
                ]
            })
        })
        .collect();
    table_csv(&headings, &rows)
}

fn viewpoint_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    viewpoint: u8,
    actions: &[(u8, Vec<Row>)],
) -> Result<(), XlsxError> {
    let titles = headings();
    let title = Format::new().set_bold().set_font_size(14);
    let action_format = Format::new().set_bold().set_background_color("DCE6F1");
    let header = Format::new().set_bold().set_border(rust_xlsxwriter::FormatBorder::Thin).set_text_wrap();
    let cell =
        Format::new().set_text_wrap().set_align(FormatAlign::Top).set_border(rust_xlsxwriter::FormatBorder::Thin);
    sheet.set_name(format!("視点{viewpoint}"))?;
    let viewpoint_title = titles.viewpoints.get(&viewpoint).map_or("", String::as_str);
    sheet.write_string_with_format(
        0,
        0,
        format!("{} 視点{viewpoint} {viewpoint_title}", report.year.wareki()),
        &title,
    )?;
    for (c, width) in [34.0, 28.0, 28.0, 28.0, 34.0, 22.0].into_iter().enumerate() {
        sheet.set_column_width(c as u16, width)?;
    }
    let mut r: u32 = 2;
    for (action, rows) in actions {
        let action_title = titles.actions.get(action).map_or("", String::as_str);
        let text = format!("行動{action} {action_title}");
        sheet.merge_range(r, 0, r, 5, text.trim_end(), &action_format)?;
        r += 1;
        for (c, h) in column_headings(report.year).iter().enumerate() {
            sheet.write_string_with_format(r, c as u16, h, &header)?;
        }
        r += 1;
        for row in rows {
            for (c, text) in row_cells(report, row).iter().enumerate() {
                sheet.write_string_with_format(r, c as u16, spreadsheet_safe(text), &cell)?;
            }
            r += 1;
        }
        r += 1;
    }
    Ok(())
}

fn figures_sheet(sheet: &mut Worksheet, report: &Report, figures: &[&Figure]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    sheet.set_name("数値")?;
    let headings = ["事業番号", "指標", "単位", "年度", "年度（西暦）", "区分", "内訳", "数値", "上限", "出所"];
    for (c, h) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, f) in figures.iter().enumerate() {
        let r = i as u32 + 1;
        let indicator = report.indicators.get(&f.indicator);
        let kind = match f.kind {
            FigureKind::Actual => "実績",
            FigureKind::Plan => "取組（計画）",
            FigureKind::Target => "目標",
        };
        let source = match indicator.map(|i| i.source) {
            Some(tsunagu_domain::program::Source::Computed) => "集計",
            _ => "入力",
        };
        sheet.write_string(r, 0, indicator.map(|i| i.program.to_string()).unwrap_or_default())?;
        sheet.write_string(r, 1, indicator.map_or(f.indicator.as_str(), |i| i.name.as_str()))?;
        sheet.write_string(r, 2, indicator.map_or("", |i| i.unit.as_str()))?;
        sheet.write_string(r, 3, f.year.wareki())?;
        sheet.write_number(r, 4, f.year.0)?;
        sheet.write_string(r, 5, kind)?;
        sheet.write_string(r, 6, spreadsheet_safe(&f.breakdown))?;
        // Figures stay below 2^53, so they are exact as the workbook's numbers.
        sheet.write_number(r, 7, f.value as f64)?;
        if let Some(max) = f.max {
            sheet.write_number(r, 8, max as f64)?;
        }
        sheet.write_string(r, 9, source)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(())
}

/// The report as an XLSX workbook: a sheet per viewpoint laid out as the document's tables, and
/// a sheet 数値 of every figure of the report's four years as a number.
pub fn report_xlsx(report: &Report) -> Result<Vec<u8>, AppError> {
    let mut book = Workbook::new();
    for (viewpoint, actions) in &report.viewpoints {
        let sheet = book.add_worksheet();
        viewpoint_sheet(sheet, report, *viewpoint, actions).map_err(fail)?;
    }
    let rows = report.viewpoints.iter().flat_map(|(_, a)| a).flat_map(|(_, rows)| rows);
    let figures: Vec<&Figure> = rows
        .flat_map(|row| row.actuals.iter().flat_map(|c| &c.figures).chain(&row.plan.figures).chain(&row.current))
        .collect();
    figures_sheet(book.add_worksheet(), report, &figures).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(5549), "5,549");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(-1200), "-1,200");
    }

    #[test]
    fn the_fy2024_report_as_files_keeps_the_documents_cells_and_its_figures_as_numbers() {
        let registry = crate::programs::shipped_registry().unwrap();
        let report = tsunagu_domain::program::report(&registry, FiscalYear(2024));
        let csv = String::from_utf8(report_csv(&report).unwrap()).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("令和3年度実績") && csv.contains("令和6年度の取組と事業目標"));
        assert!(csv.contains("51区市町で整備 (23区・26市・2町)"));
        assert_eq!(csv.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())).count(), 26);
        let xlsx = report_xlsx(&report).unwrap();
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
        use calamine::Reader;
        assert_eq!(book.sheet_names(), ["視点1", "視点2", "視点3", "視点4", "視点5", "数値"]);
        let first = book.worksheet_range("視点1").unwrap();
        assert_eq!(
            first.get_value((2, 0)).map(ToString::to_string).as_deref(),
            Some("行動1 地域の就労支援ネットワークを構築します。")
        );
        assert_eq!(first.get_value((3, 1)).map(ToString::to_string).as_deref(), Some("令和3年度実績"));
        let figures = book.worksheet_range("数値").unwrap();
        let numbers = figures.rows().skip(1).filter(|r| matches!(r[7], calamine::Data::Float(_))).count();
        assert_eq!(numbers, figures.rows().count() - 1, "every figure is a number cell");
        assert!(
            figures.rows().any(|r| r[1] == "就労支援センターを整備した区市町村" && r[7] == calamine::Data::Float(51.0))
        );
    }
}
