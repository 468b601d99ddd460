//! The programs (事業) of the network's program document and the figures its annual report
//! gives for each: the registry, the indicators a program is measured by, their values per fiscal
//! year, and the report's layout — per viewpoint (視点) and action (行動), one row per program with
//! the three years before the report's year, the year's plan and target, and the owner.
//!
//! A figure is either *computed* from Tsunagu's records (its definition written beside it) or
//! *entered* by the owning agency; the document's own past years are kept as written (`Cell`)
//! and as numbers (`Figure`).

use std::collections::BTreeMap;

use crate::Problems;
use crate::calendar::ERAS;

/// A fiscal year (年度): April of `0` to March of the year after. Stored as the Gregorian year it
/// starts in; shown as 令和6年度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(pub i32);

impl FiscalYear {
    /// The earliest and latest years a report may be asked for.
    pub const RANGE: std::ops::RangeInclusive<i32> = 2000..=2100;

    /// The fiscal year `date` falls in.
    pub fn of(date: time::Date) -> Self {
        let year = date.year();
        Self(if (date.month() as u8) < 4 { year - 1 } else { year })
    }

    /// 令和6年度 (令和元年度 for a first year); the era is the one in force in the year it starts,
    /// as the government names its fiscal years (FY2019 is 令和元年度).
    pub fn wareki(self) -> String {
        match ERAS.iter().rev().find(|e| e.starts.year() <= self.0) {
            Some(era) => match self.0 - era.starts.year() + 1 {
                1 => format!("{}元年度", era.name),
                n => format!("{}{n}年度", era.name),
            },
            None => format!("{}年度", self.0),
        }
    }

    /// The year before.
    pub fn previous(self) -> Self {
        Self(self.0 - 1)
    }

    /// Reads a year as typed: `2024`, `令和6年度`, `令和6`, `R6`, full width or not.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        use unicode_normalization::UnicodeNormalization;
        let folded: String = raw.nfkc().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        let folded = folded.trim_end_matches("年度").trim_end_matches('年');
        if folded.is_empty() {
            return Err("required");
        }
        let year = if let Ok(y) = folded.parse::<i32>() {
            y
        } else {
            // The era as dates name it (令和, R), then its year (元 for the first).
            let split = folded.find(|c: char| c.is_ascii_digit() || c == '元').unwrap_or(folded.len());
            let (name, rest) = folded.split_at(split);
            let Some(era) = crate::calendar::era_named(name) else { return Err("fiscal_year_format") };
            let n = if rest == "元" { 1 } else { rest.parse::<i32>().map_err(|_| "fiscal_year_format")? };
            if n < 1 {
                return Err("fiscal_year_format");
            }
            era.starts.year() + n - 1
        };
        if Self::RANGE.contains(&year) { Ok(Self(year)) } else { Err("fiscal_year_range") }
    }
}

/// A program's code: the document's number (`1-1`, `9-6`), or for a program the document lists
/// with "●" and no number, its action and a letter (`1-A`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProgramCode(String);

impl ProgramCode {
    /// Checks the shape `<action>-<number or capital letter>`.
    pub fn parse(raw: &str) -> Option<Self> {
        let (action, item) = raw.trim().split_once('-')?;
        let action_ok = action.parse::<u8>().is_ok_and(|a| (1..=99).contains(&a)) && !action.starts_with('0');
        let item_ok = item.parse::<u8>().is_ok_and(|n| n >= 1) && !item.starts_with('0')
            || (item.len() == 1 && item.chars().all(|c| c.is_ascii_uppercase()));
        (action_ok && item_ok).then(|| Self(raw.trim().to_owned()))
    }

    /// The code as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The action it belongs to.
    pub fn action(&self) -> u8 {
        self.0.split_once('-').and_then(|(a, _)| a.parse().ok()).unwrap_or(0)
    }

    /// Whether the document numbers it (`1-1`) rather than listing it with "●" (`1-A`).
    pub fn is_numbered(&self) -> bool {
        self.0.split_once('-').is_some_and(|(_, n)| n.parse::<u8>().is_ok())
    }

    /// The order programs are listed in within an action: numbered ones by number, then the
    /// others by letter.
    pub fn sort_key(&self) -> (u8, u8, u8) {
        let (action, item) = self.0.split_once('-').unwrap_or(("0", "0"));
        let action = action.parse().unwrap_or(0);
        match item.parse::<u8>() {
            Ok(n) => (action, 0, n),
            Err(_) => (action, 1, item.bytes().next().unwrap_or(0)),
        }
    }
}

impl std::fmt::Display for ProgramCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A program as the registry holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// Its code.
    pub code: ProgramCode,
    /// 視点 1–5.
    pub viewpoint: u8,
    /// 行動 1–10.
    pub action: u8,
    /// 事業名.
    pub name: String,
    /// 事業内容.
    pub description: String,
    /// 補助単価, as written; empty when none.
    pub unit_price: String,
    /// 規模, as written; empty when none.
    pub scale: String,
    /// 事業所管.
    pub owner: String,
    /// 実施主体; empty when none is named.
    pub implementer: String,
    /// The program this row repeats (【再掲】).
    pub repeats: Option<ProgramCode>,
    /// Empty while the program runs; otherwise what ended it or its period.
    pub ended: String,
}

/// Where an indicator's figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Counted from Tsunagu's records, by the definition registered with it.
    Computed,
    /// Entered by the owning agency (figures Tsunagu does not hold).
    Entered,
}

impl Source {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Computed => "computed",
            Self::Entered => "entered",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Computed, Self::Entered].into_iter().find(|s| s.code() == raw)
    }
}

/// What a program is measured by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// `<program>.<name>`, e.g. `1-1.municipalities`.
    pub code: String,
    /// The program it measures.
    pub program: ProgramCode,
    /// Its name, in Japanese.
    pub name: String,
    /// Its unit as the document counts (区市町村, 名, 件, %).
    pub unit: String,
    /// What its breakdown keys mean (区・市・町, 学校・学科); empty when it has none.
    pub breakdown: String,
    /// Computed or entered.
    pub source: Source,
}

/// Which column of the report a figure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FigureKind {
    /// 実績.
    Actual,
    /// 取組 (what is planned).
    Plan,
    /// 事業目標.
    Target,
}

impl FigureKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::Actual, Self::Plan, Self::Target];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Actual => "actual",
            Self::Plan => "plan",
            Self::Target => "target",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == raw)
    }
}

/// One number of an indicator for a fiscal year: a total (empty `breakdown`) or one part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// The indicator's code.
    pub indicator: String,
    /// The fiscal year.
    pub year: FiscalYear,
    /// Actual, plan or target.
    pub kind: FigureKind,
    /// Empty for the total; otherwise the part (区, 永福学園就業技術科).
    pub breakdown: String,
    /// The number (a percentage as its integer percent).
    pub value: i64,
    /// The upper end of a range (10～30名), when it is one.
    pub max: Option<i64>,
}

/// A result cell of the document as it writes it: the text of one program's column for one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The program.
    pub program: ProgramCode,
    /// The fiscal year of the column.
    pub year: FiscalYear,
    /// Its column: the year's actuals (実績) or its plan and target (取組と事業目標).
    pub kind: FigureKind,
    /// The text, tags removed, one line per paragraph or list item; `/` for none.
    pub text: String,
}

/// The registry: programs, their indicators, the document's cells and every recorded figure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    /// Programs, in the document's order.
    pub programs: Vec<Program>,
    /// Indicators.
    pub indicators: Vec<Indicator>,
    /// The document's cells.
    pub cells: Vec<Cell>,
    /// Figures, recorded or computed.
    pub figures: Vec<Figure>,
}

/// The numbers written in a text, as the registry's history counts them: after NFKC, commas
/// between digit groups removed, every maximal run of ASCII digits.
pub fn numbers_in(text: &str) -> Vec<i64> {
    use unicode_normalization::UnicodeNormalization;
    let folded: Vec<char> = text.nfkc().collect();
    let mut numbers = Vec::new();
    let mut current = String::new();
    for (i, &c) in folded.iter().enumerate() {
        let between_digits = c == ','
            && !current.is_empty()
            && folded.get(i + 1..i + 4).is_some_and(|next| next.iter().all(char::is_ascii_digit));
        if c.is_ascii_digit() {
            current.push(c);
        } else if !between_digits && !current.is_empty() {
            numbers.extend(current.parse::<i64>().ok());
            current.clear();
        }
    }
    numbers.extend(current.parse::<i64>().ok());
    numbers
}

/// One column of a report row: the document's cell for the year where it has one, and the
/// figures recorded or computed for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The fiscal year.
    pub year: FiscalYear,
    /// The document's text, for the years it covers.
    pub text: Option<String>,
    /// The figures, indicator by indicator.
    pub figures: Vec<Figure>,
}

impl Column {
    /// Nothing is known for this year: no text and no figure.
    pub fn is_missing(&self) -> bool {
        self.text.is_none() && self.figures.is_empty()
    }
}

/// How far an indicator's actual has come toward its target in the report's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Achievement {
    /// The indicator.
    pub indicator: String,
    /// The year's actual.
    pub actual: i64,
    /// The year's target.
    pub target: i64,
    /// `actual / target`, in whole percent.
    pub percent: i64,
}

/// One program's row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The program.
    pub program: Program,
    /// The three years before the report's year: actuals.
    pub actuals: [Column; 3],
    /// The report's year: plan and target.
    pub plan: Column,
    /// The actual so far in the report's year, where any is recorded or computed.
    pub current: Vec<Figure>,
    /// Actual against target, for each indicator that has both in the report's year.
    pub achievement: Vec<Achievement>,
}

/// Items grouped as the document groups its programs: by viewpoint, then by action, each in the
/// order met.
pub type Grouped<T> = Vec<(u8, Vec<(u8, Vec<T>)>)>;

/// Groups `items` (in the document's order) by the viewpoint and action `key` gives each.
pub fn by_viewpoint_and_action<T>(items: impl IntoIterator<Item = T>, key: impl Fn(&T) -> (u8, u8)) -> Grouped<T> {
    let mut grouped: Grouped<T> = Vec::new();
    for item in items {
        let (viewpoint, action) = key(&item);
        match grouped.last_mut() {
            Some((v, actions)) if *v == viewpoint => match actions.last_mut() {
                Some((a, items)) if *a == action => items.push(item),
                _ => actions.push((action, vec![item])),
            },
            _ => grouped.push((viewpoint, vec![(action, vec![item])])),
        }
    }
    grouped
}

/// The report for one fiscal year, grouped as the document groups it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The report's year.
    pub year: FiscalYear,
    /// (viewpoint, [(action, rows)]), in order.
    pub viewpoints: Grouped<Row>,
    /// Indicators by code, for naming figures.
    pub indicators: BTreeMap<String, Indicator>,
}

impl Report {
    /// Whether any column of any row holds something.
    pub fn has_data(&self) -> bool {
        self.viewpoints
            .iter()
            .flat_map(|(_, actions)| actions)
            .flat_map(|(_, rows)| rows)
            .any(|r| r.actuals.iter().any(|c| !c.is_missing()) || !r.plan.is_missing() || !r.current.is_empty())
    }
}

/// Lays out the report for `year` from the registry: every program, in the document's order,
/// with the document's cells for the years it covers and every figure for each column.
pub fn report(registry: &Registry, year: FiscalYear) -> Report {
    let years = [FiscalYear(year.0 - 3), FiscalYear(year.0 - 2), FiscalYear(year.0 - 1)];
    let indicators: BTreeMap<String, Indicator> =
        registry.indicators.iter().map(|i| (i.code.clone(), i.clone())).collect();
    let program_of = |f: &Figure| indicators.get(&f.indicator).map(|i| i.program.clone());
    let figures = |program: &ProgramCode, y: FiscalYear, kinds: &[FigureKind]| -> Vec<Figure> {
        let mut found: Vec<Figure> = registry
            .figures
            .iter()
            .filter(|f| f.year == y && kinds.contains(&f.kind) && program_of(f).as_ref() == Some(program))
            .cloned()
            .collect();
        found.sort_by(|a, b| (&a.indicator, a.kind, &a.breakdown).cmp(&(&b.indicator, b.kind, &b.breakdown)));
        found
    };
    let cell = |program: &ProgramCode, y: FiscalYear, kind: FigureKind| {
        registry.cells.iter().find(|c| &c.program == program && c.year == y && c.kind == kind).map(|c| c.text.clone())
    };
    let rows = registry.programs.iter().map(|p| {
        let actuals = years.map(|y| Column {
            year: y,
            text: cell(&p.code, y, FigureKind::Actual),
            figures: figures(&p.code, y, &[FigureKind::Actual]),
        });
        let plan = Column {
            year,
            text: cell(&p.code, year, FigureKind::Plan),
            figures: figures(&p.code, year, &[FigureKind::Plan, FigureKind::Target]),
        };
        let current = figures(&p.code, year, &[FigureKind::Actual]);
        let achievement = plan
            .figures
            .iter()
            .filter(|t| t.kind == FigureKind::Target && t.breakdown.is_empty() && t.value > 0)
            .filter_map(|t| {
                let actual = current.iter().find(|a| a.indicator == t.indicator && a.breakdown.is_empty())?;
                Some(Achievement {
                    indicator: t.indicator.clone(),
                    actual: actual.value,
                    target: t.value,
                    percent: actual.value * 100 / t.value,
                })
            })
            .collect();
        Row { program: p.clone(), actuals, plan, current, achievement }
    });
    let viewpoints = by_viewpoint_and_action(rows, |r| (r.program.viewpoint, r.program.action));
    Report { year, viewpoints, indicators }
}

/// A program's fields as a program manager edits them; its code, viewpoint, action and the
/// program it repeats are the document's and stay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramInput {
    /// 事業名.
    pub name: String,
    /// 事業内容.
    pub description: String,
    /// 補助単価.
    pub unit_price: String,
    /// 規模.
    pub scale: String,
    /// 事業所管.
    pub owner: String,
    /// 実施主体.
    pub implementer: String,
    /// Empty while it runs; otherwise what ended it or its period.
    pub ended: String,
}

impl ProgramInput {
    /// The fields of `program` as a form shows them.
    pub fn of(program: &Program) -> Self {
        Self {
            name: program.name.clone(),
            description: program.description.clone(),
            unit_price: program.unit_price.clone(),
            scale: program.scale.clone(),
            owner: program.owner.clone(),
            implementer: program.implementer.clone(),
            ended: program.ended.clone(),
        }
    }

    /// Checks every field (a name and an owner are required) and gives `program` with them.
    pub fn apply(&self, program: &Program) -> Result<Program, Problems> {
        use crate::validation::text_field;
        let mut p = Problems::new();
        let name = text_field(&mut p, "program_name", &self.name, 200, true);
        let description = text_field(&mut p, "description", &self.description, 4000, false);
        let unit_price = text_field(&mut p, "unit_price", &self.unit_price, 500, false);
        let scale = text_field(&mut p, "scale", &self.scale, 500, false);
        let owner = text_field(&mut p, "program_owner", &self.owner, 200, true);
        let implementer = text_field(&mut p, "implementer", &self.implementer, 200, false);
        let ended = text_field(&mut p, "ended", &self.ended, 200, false);
        match (name, owner) {
            (Some(name), Some(owner)) if p.is_empty() => Ok(Program {
                name,
                description: description.unwrap_or_default(),
                unit_price: unit_price.unwrap_or_default(),
                scale: scale.unwrap_or_default(),
                owner,
                implementer: implementer.unwrap_or_default(),
                ended: ended.unwrap_or_default(),
                ..program.clone()
            }),
            _ => Err(p),
        }
    }
}

/// The names of the fields that differ between two versions of a program, for the audit log.
pub fn changed_fields(before: &Program, after: &Program) -> Vec<String> {
    [
        ("program_name", before.name != after.name),
        ("description", before.description != after.description),
        ("unit_price", before.unit_price != after.unit_price),
        ("scale", before.scale != after.scale),
        ("program_owner", before.owner != after.owner),
        ("implementer", before.implementer != after.implementer),
        ("ended", before.ended != after.ended),
    ]
    .into_iter()
    .filter(|(_, changed)| *changed)
    .map(|(field, _)| field.to_owned())
    .collect()
}

/// The largest figure that may be entered.
pub const MAX_FIGURE: i64 = 1_000_000_000_000;

/// A figure as a program manager types it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureInput {
    /// The indicator's code.
    pub indicator: String,
    /// The fiscal year, as typed (2024, 令和6年度, R6).
    pub year: String,
    /// `actual`, `plan` or `target`.
    pub kind: String,
    /// The part it is of; empty for the total.
    pub breakdown: String,
    /// The number (commas and full-width digits read).
    pub value: String,
    /// The upper end of a range; empty when it is none.
    pub max: String,
}

/// Reads a whole number as offices type it: full width, with commas between thousands.
fn whole_number(raw: &str) -> Result<Option<i64>, ()> {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = raw.nfkc().filter(|c| !c.is_whitespace() && *c != ',').collect();
    if folded.is_empty() {
        return Ok(None);
    }
    match folded.parse::<i64>() {
        Ok(n) if (0..=MAX_FIGURE).contains(&n) => Ok(Some(n)),
        _ => Err(()),
    }
}

impl FigureInput {
    /// Checks a figure against the registry, in `current` (today's fiscal year): the indicator
    /// exists and is entered (a computed indicator's actuals are counted, not typed; its target
    /// may be set), an actual is for this year or the last (earlier years are closed), a plan or
    /// target for this year or the next, and the number is a whole number from 0, the upper end
    /// of a range not below it.
    pub fn validate(&self, registry: &Registry, current: FiscalYear) -> Result<Figure, Problems> {
        let mut p = Problems::new();
        let indicator = match self.indicator.trim() {
            "" => {
                p.add("indicator", "required_choice");
                None
            }
            code => {
                let found = registry.indicators.iter().find(|i| i.code == code);
                if found.is_none() {
                    p.add("indicator", "unknown_indicator");
                }
                found
            }
        };
        let kind = match self.kind.trim() {
            "" => {
                p.add("figure_kind", "required_choice");
                None
            }
            raw => FigureKind::parse(raw).or_else(|| {
                p.add("figure_kind", "unknown_code");
                None
            }),
        };
        let year = match FiscalYear::parse(&self.year) {
            Ok(y) => Some(y),
            Err(code) => {
                p.add("year", code);
                None
            }
        };
        if let (Some(i), Some(FigureKind::Actual)) = (indicator, kind)
            && i.source == Source::Computed
        {
            p.add("indicator", "computed_indicator");
        }
        if let (Some(y), Some(k)) = (year, kind) {
            let open = match k {
                FigureKind::Actual => current.previous() <= y && y <= current,
                FigureKind::Plan | FigureKind::Target => current <= y && y <= FiscalYear(current.0 + 1),
            };
            if !open {
                p.add("year", if y < current { "year_closed" } else { "year_not_open" });
            }
        }
        let breakdown = crate::validation::text_field(&mut p, "breakdown", &self.breakdown, 100, false);
        let value = match whole_number(&self.value) {
            Ok(Some(n)) => Some(n),
            Ok(None) => {
                p.add("value", "required");
                None
            }
            Err(()) => {
                p.add("value", "figure_format");
                None
            }
        };
        let max = match whole_number(&self.max) {
            Ok(m) => m,
            Err(()) => {
                p.add("max", "figure_format");
                None
            }
        };
        if let (Some(v), Some(m)) = (value, max)
            && m < v
        {
            p.add("max", "range_order");
        }
        match (indicator, kind, year, value) {
            (Some(i), Some(kind), Some(year), Some(value)) if p.is_empty() => Ok(Figure {
                indicator: i.code.clone(),
                year,
                kind,
                breakdown: breakdown.unwrap_or_default(),
                value,
                max,
            }),
            _ => Err(p),
        }
    }
}

/// Checks a registry as loaded: codes unique and well formed, every indicator's program known,
/// every figure's indicator known, viewpoints 1–5 and actions 1–10 and a program's action the one
/// its code names, a 【再掲】 naming a program that exists.
pub fn check_registry(registry: &Registry) -> Result<(), Problems> {
    let mut p = Problems::new();
    let mut seen = std::collections::HashSet::new();
    for program in &registry.programs {
        if !seen.insert(program.code.clone())
            || !(1..=5).contains(&program.viewpoint)
            || !(1..=10).contains(&program.action)
            || program.code.action() != program.action
        {
            p.add("programs", "program_invalid");
        }
        if program.repeats.as_ref().is_some_and(|r| !registry.programs.iter().any(|q| &q.code == r)) {
            p.add("programs", "repeats_unknown");
        }
    }
    let mut indicators = std::collections::HashSet::new();
    for i in &registry.indicators {
        if !indicators.insert(i.code.as_str()) || !seen.contains(&i.program) {
            p.add("indicators", "indicator_invalid");
        }
    }
    if registry.figures.iter().any(|f| !indicators.contains(f.indicator.as_str())) {
        p.add("figures", "unknown_indicator");
    }
    p.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years_are_named_as_the_government_names_them() {
        assert_eq!(FiscalYear(2024).wareki(), "令和6年度");
        assert_eq!(FiscalYear(2019).wareki(), "令和元年度");
        assert_eq!(FiscalYear(2018).wareki(), "平成30年度");
        assert_eq!(FiscalYear(1989).wareki(), "平成元年度");
        assert_eq!(FiscalYear::of(time::macros::date!(2025 - 03 - 31)), FiscalYear(2024));
        assert_eq!(FiscalYear::of(time::macros::date!(2025 - 04 - 01)), FiscalYear(2025));
        for typed in ["2024", "令和6年度", "令和6", "R6", "２０２４年度", "R6年度"] {
            assert_eq!(FiscalYear::parse(typed), Ok(FiscalYear(2024)), "{typed}");
        }
        assert_eq!(FiscalYear::parse("令和元年度"), Ok(FiscalYear(2019)));
        assert_eq!(FiscalYear::parse("来年"), Err("fiscal_year_format"));
        assert_eq!(FiscalYear::parse("1800"), Err("fiscal_year_range"));
        assert_eq!(FiscalYear::parse(""), Err("required"));
    }

    #[test]
    fn program_codes_are_numbers_or_letters_within_an_action() {
        for ok in ["1-1", "9-6", "10-2", "1-A", "7-B"] {
            assert!(ProgramCode::parse(ok).is_some(), "{ok}");
        }
        for bad in ["", "1", "1-", "-1", "01-1", "1-01", "1-a", "1-AB", "0-1", "1-0"] {
            assert!(ProgramCode::parse(bad).is_none(), "{bad}");
        }
        let mut codes: Vec<ProgramCode> =
            ["1-A", "10-1", "1-2", "1-1"].iter().filter_map(|c| ProgramCode::parse(c)).collect();
        codes.sort_by_key(ProgramCode::sort_key);
        assert_eq!(codes.iter().map(ProgramCode::as_str).collect::<Vec<_>>(), ["1-1", "1-2", "1-A", "10-1"]);
    }

    #[test]
    fn numbers_are_read_as_the_document_writes_them() {
        assert_eq!(numbers_in("51区市町で整備 (23区・26市・2町)"), [51, 23, 26, 2]);
        assert_eq!(numbers_in("延べ5,549日、1,000件"), [5549, 1000]);
        assert_eq!(numbers_in("１０～３０名"), [10, 30]);
        assert_eq!(numbers_in("都1/2 補助, 12,34"), [1, 2, 12, 34]);
        assert!(numbers_in("/").is_empty());
    }

    fn program(code: &str, viewpoint: u8) -> Program {
        let code = ProgramCode::parse(code).unwrap();
        Program {
            action: code.action(),
            code,
            viewpoint,
            name: "事業".into(),
            description: String::new(),
            unit_price: String::new(),
            scale: String::new(),
            owner: "東京都".into(),
            implementer: String::new(),
            repeats: None,
            ended: String::new(),
        }
    }

    fn indicator(code: &str, name: &str, unit: &str, source: Source) -> Indicator {
        let program = ProgramCode::parse(code.split_once('.').map_or(code, |(p, _)| p)).unwrap();
        Indicator { code: code.into(), program, name: name.into(), unit: unit.into(), breakdown: String::new(), source }
    }

    fn figure(indicator: &str, year: i32, kind: FigureKind, value: i64) -> Figure {
        Figure { indicator: indicator.into(), year: FiscalYear(year), kind, breakdown: String::new(), value, max: None }
    }

    #[test]
    fn a_report_lays_out_three_years_of_actuals_and_the_years_plan_with_its_achievement() {
        let registry = Registry {
            programs: vec![program("1-1", 1), program("1-2", 1), program("3-1", 2)],
            indicators: vec![indicator("3-1.companies", "開拓企業数", "社", Source::Entered)],
            cells: vec![
                Cell {
                    program: ProgramCode::parse("3-1").unwrap(),
                    year: FiscalYear(2023),
                    kind: FigureKind::Actual,
                    text: "152社".into(),
                },
                Cell {
                    program: ProgramCode::parse("3-1").unwrap(),
                    year: FiscalYear(2024),
                    kind: FigureKind::Plan,
                    text: "開拓を続ける".into(),
                },
            ],
            figures: vec![
                figure("3-1.companies", 2023, FigureKind::Actual, 152),
                figure("3-1.companies", 2025, FigureKind::Target, 200),
                figure("3-1.companies", 2025, FigureKind::Actual, 150),
            ],
        };
        assert_eq!(check_registry(&registry), Ok(()));
        let r = report(&registry, FiscalYear(2025));
        assert_eq!(r.viewpoints.iter().map(|(v, a)| (*v, a.len())).collect::<Vec<_>>(), [(1, 1), (2, 1)]);
        let row = &r.viewpoints[1].1[0].1[0];
        assert_eq!(row.actuals.each_ref().map(|c| c.year.0), [2022, 2023, 2024]);
        assert!(row.actuals[0].is_missing());
        assert_eq!(row.actuals[1].text.as_deref(), Some("152社"));
        assert_eq!(row.actuals[1].figures[0].value, 152);
        assert!(row.actuals[2].is_missing(), "a year's plan is not its actual");
        assert_eq!(row.achievement[0].percent, 75);
        assert!(r.has_data());
        assert!(!report(&registry, FiscalYear(2040)).has_data(), "a year with nothing recorded");
    }

    #[test]
    fn a_figure_is_entered_only_where_it_can_be_and_as_a_number() {
        let registry = Registry {
            programs: vec![program("3-1", 2), program("1-1", 1)],
            indicators: vec![
                indicator("3-1.companies", "開拓企業数", "社", Source::Entered),
                indicator("1-1.municipalities", "区市町村", "区市町村", Source::Computed),
            ],
            ..Registry::default()
        };
        let current = FiscalYear(2026);
        let input = |indicator: &str, year: &str, kind: &str, value: &str, max: &str| FigureInput {
            indicator: indicator.into(),
            year: year.into(),
            kind: kind.into(),
            breakdown: String::new(),
            value: value.into(),
            max: max.into(),
        };
        let ok = input("3-1.companies", "令和8年度", "actual", "１，２３４", "").validate(&registry, current).unwrap();
        assert_eq!((ok.year, ok.value, ok.max), (FiscalYear(2026), 1234, None));
        let codes = |i: FigureInput| -> Vec<(&'static str, &'static str)> {
            i.validate(&registry, current).unwrap_err().iter().map(|p| (p.field, p.code)).collect()
        };
        assert_eq!(codes(input("9-9.none", "2026", "actual", "1", "")), [("indicator", "unknown_indicator")]);
        assert_eq!(
            codes(input("1-1.municipalities", "2026", "actual", "51", "")),
            [("indicator", "computed_indicator")]
        );
        assert!(input("1-1.municipalities", "2027", "target", "62", "").validate(&registry, current).is_ok());
        assert_eq!(codes(input("3-1.companies", "2023", "actual", "1", "")), [("year", "year_closed")]);
        assert_eq!(codes(input("3-1.companies", "2027", "actual", "1", "")), [("year", "year_not_open")]);
        assert_eq!(codes(input("3-1.companies", "2025", "target", "1", "")), [("year", "year_closed")]);
        assert_eq!(codes(input("3-1.companies", "2026", "plan", "三", "")), [("value", "figure_format")]);
        assert_eq!(codes(input("3-1.companies", "2026", "plan", "-1", "")), [("value", "figure_format")]);
        assert_eq!(codes(input("3-1.companies", "2026", "plan", "30", "10")), [("max", "range_order")]);
        assert_eq!(
            codes(FigureInput::default()),
            [
                ("indicator", "required_choice"),
                ("figure_kind", "required_choice"),
                ("year", "required"),
                ("value", "required")
            ]
        );
    }

    #[test]
    fn a_program_is_edited_but_keeps_its_code_and_place() {
        let before = program("3-1", 2);
        let mut input = ProgramInput::of(&before);
        input.owner = " 東京都教育委員会 ".into();
        input.ended = "令和7年度終了".into();
        let after = input.apply(&before).unwrap();
        assert_eq!((after.code.as_str(), after.viewpoint, after.action), ("3-1", 2, 3));
        assert_eq!(after.owner, "東京都教育委員会");
        assert_eq!(changed_fields(&before, &after), ["program_owner", "ended"]);
        let blank = ProgramInput { name: " ".into(), owner: String::new(), ..ProgramInput::default() };
        let codes: Vec<(&str, &str)> = blank.apply(&before).unwrap_err().iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(codes, [("program_name", "required"), ("program_owner", "required")]);
    }

    #[test]
    fn a_registry_with_a_stray_figure_or_a_program_in_the_wrong_action_is_refused() {
        let mut wrong = program("3-1", 2);
        wrong.action = 4;
        let registry = Registry {
            programs: vec![wrong],
            figures: vec![figure("9-9.nothing", 2024, FigureKind::Actual, 1)],
            ..Registry::default()
        };
        let codes: Vec<&str> = check_registry(&registry).unwrap_err().iter().map(|p| p.code).collect();
        assert_eq!(codes, ["program_invalid", "unknown_indicator"]);
    }
}
