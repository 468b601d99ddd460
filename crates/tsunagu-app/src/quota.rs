//! The employer's legal-quota position (法定雇用率): its roster — regular workers by month and the
//! workers with disabilities it entered — and the persons Tsunagu placed there, counted by the
//! rules in force ([`tsunagu_domain::quota`]) on a day, month by month over the fiscal year, and
//! with one more hire.
//!
//! Who sees it: the employer's own account, and the staff and program managers who see employers
//! (Hello Work's 雇用率達成指導, the agencies that develop the company). Who writes the roster: the
//! employer's account and the staff who edit employers; every write is one audited commit.
//!
//! A person placed through Tsunagu counts from their certificate only where their consent in
//! force lets the employer see their disability (職業紹介 or 職場定着): each such read is
//! audited on the person's record and, for the employer's own account, recorded as a provision of
//! the certificate (第三者提供記録). A placement without that consent is left for the employer to
//! enter as any other worker, and the page says how many there are.

use time::Date;
use tsunagu_domain::Problems;
use tsunagu_domain::access::{Action, Basis, Relations, Request, Viewer, decide};
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::{Consent, DataCategory, Purpose};
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::person::{PersonId, QuotaCategory};
use tsunagu_domain::quota::{
    self, Counted, EmployerKind, Headcount, HeadcountInput, MonthHeadcount, Position, Roster, RosterFields,
    RosterWorker, Worker, WorkerInput, Year,
};
use tsunagu_store::{Change, Commit, StoreError};

use crate::employers::EmployerReads;
use crate::persons::invalid;
use crate::{App, AppError};

/// A worker placed through Tsunagu, counted from their certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedWorker {
    /// The person.
    pub person: PersonId,
    /// As the rules see them.
    pub worker: Worker,
    /// First day.
    pub since: Date,
    /// Last day, if it ended.
    pub until: Option<Date>,
}

impl PlacedWorker {
    fn employed_on(&self, on: Date) -> bool {
        self.since <= on && self.until.is_none_or(|u| on <= u)
    }
}

/// What the quota page shows.
#[derive(Debug, Clone)]
pub struct QuotaView {
    /// The employer.
    pub employer: EmployerId,
    /// Its name.
    pub employer_name: String,
    /// The roster (empty before the first write) and its version (0 before it).
    pub roster: RosterFields,
    /// The roster's version.
    pub version: i64,
    /// Placed workers counted.
    pub placed: Vec<PlacedWorker>,
    /// Placements in the year not counted for want of the person's consent (those whose consent
    /// lets the employer see them but who hold no certificate do not count at all).
    pub placed_uncounted: usize,
    /// The day asked.
    pub on: Date,
    /// The month whose headcount is in force on that day, if any was entered.
    pub headcount_month: Option<Date>,
    /// Where the employer stands that day.
    pub position: Position,
    /// That day's workers with disabilities by category and band of hours.
    pub lines: Vec<quota::Line>,
    /// The fiscal year of that day.
    pub year: Year,
    /// The viewer may write the roster.
    pub may_edit: bool,
}

impl QuotaView {
    /// The months of the year without a headcount entered on or before them (left out of it).
    pub fn months_without_headcount(&self) -> impl Iterator<Item = Date> + '_ {
        quota::fiscal_months(self.year.fiscal_year)
            .into_iter()
            .zip(&self.year.months)
            .filter_map(|(m, p)| p.is_none().then_some(m))
    }

    /// Where the employer would stand on the view's day with one more hire.
    pub fn with_hire(&self, hire: Worker) -> Result<Position, Problems> {
        let mut headcount = headcount_on(&self.roster, self.on);
        let rules = quota::rules();
        let full = rules.weight(Counted::Worker, hire.weekly_minutes, self.on).map(|w| w.halves).unwrap_or(0);
        match full {
            2 => headcount.full_time += 1,
            1 => headcount.short_time += 1,
            _ => {}
        }
        let mut workers = workers_on(&self.roster, &self.placed, self.on);
        workers.push(hire);
        quota::position(EmployerKind::Private, self.on, headcount, &workers).map_err(one_problem)
    }
}

/// The workers employed on `on`: entered and placed.
fn workers_on(roster: &RosterFields, placed: &[PlacedWorker], on: Date) -> Vec<Worker> {
    let entered = roster.workers.iter().filter(|w| w.employed_on(on)).map(|w| w.worker);
    entered.chain(placed.iter().filter(|p| p.employed_on(on)).map(|p| p.worker)).collect()
}

/// The headcount in force on `on` (none entered: no workers).
fn headcount_on(roster: &RosterFields, on: Date) -> Headcount {
    roster.headcount_on(on).map(|h| h.headcount).unwrap_or_default()
}

/// The category that counts most for a holder of these certificates at these hours.
fn best_category(
    certificates: &[tsunagu_domain::person::Certificate],
    minutes: u32,
    on: Date,
) -> Option<QuotaCategory> {
    let rules = quota::rules();
    certificates
        .iter()
        .map(|c| c.quota_category())
        .max_by_key(|c| rules.weight(Counted::Disabled(*c), minutes, on).map(|w| w.halves).unwrap_or(0))
}

/// The roster's edits, each one audited commit.
#[derive(Debug, Clone)]
pub enum RosterEdit {
    /// Sets a month's headcount.
    SetHeadcount(HeadcountInput),
    /// Removes a month's headcount.
    RemoveHeadcount(String),
    /// Adds a worker.
    AddWorker(WorkerInput),
    /// Removes the worker at this place of the list (1-based, as shown).
    RemoveWorker(usize),
    /// Replaces the roster whole (the API).
    Replace {
        /// Months.
        headcounts: Vec<HeadcountInput>,
        /// Workers.
        workers: Vec<WorkerInput>,
    },
}

impl App {
    /// The viewer may count a roster it sends: whoever sees employers, and an employer's account.
    pub fn may_count_quota(actor: &Account) -> bool {
        Self::may_see_employers(actor) || Self::own_employer(actor).is_some()
    }

    /// The viewer may see employer `id`'s quota position.
    pub fn may_see_quota(actor: &Account, id: EmployerId) -> bool {
        Self::may_see_employers(actor) || Self::own_employer(actor) == Some(id)
    }

    /// The employer's quota position on `on`, with its fiscal year by month. Reads of placed
    /// persons' certificates are audited before anything is shown.
    pub async fn quota(&self, actor: &Account, id: EmployerId, on: Date) -> Result<QuotaView, AppError> {
        if !Self::may_see_quota(actor, id) {
            return Err(AppError::Forbidden);
        }
        let employer = self
            .store
            .employer_ref(tsunagu_store::EmployerLookup::Id(id))
            .await
            .map_err(AppError::Store)?
            .ok_or(AppError::NotFound)?;
        let roster = self.store.quota_roster(id).await.map_err(AppError::Store)?;
        let (fields, version) = roster.map(|r| (r.fields, r.version)).unwrap_or_default();
        let fiscal_year = quota::fiscal_year_of(on);
        let months = quota::fiscal_months(fiscal_year);
        let (first, last) = (months.first().copied().unwrap_or(on), months.last().copied().unwrap_or(on));
        let year_end = last.replace_day(28).unwrap_or(last);
        let (placed, placed_uncounted) = self.placed_workers(actor, id, first.min(on), year_end.max(on)).await?;
        let invalid_rule = |p| AppError::Invalid(one_problem(p));
        let day_workers = workers_on(&fields, &placed, on);
        let position = quota::position(EmployerKind::Private, on, headcount_on(&fields, on), &day_workers)
            .map_err(invalid_rule)?;
        let lines = quota::breakdown(&day_workers, on).map_err(invalid_rule)?;
        let month_rosters: Vec<Option<(Headcount, Vec<Worker>)>> = months
            .iter()
            .map(|m| fields.headcount_on(*m).map(|h| (h.headcount, workers_on(&fields, &placed, *m))))
            .collect();
        let year = quota::year(EmployerKind::Private, fiscal_year, &month_rosters).map_err(invalid_rule)?;
        let view = QuotaView {
            employer: id,
            employer_name: employer.name,
            headcount_month: fields.headcount_on(on).map(|h| h.month),
            roster: fields,
            version,
            placed,
            placed_uncounted,
            on,
            position,
            lines,
            year,
            may_edit: Self::may_edit_employer(actor, id),
        };
        Ok(view)
    }

    /// The persons placed at `employer` and employed at some time from `from` to `to`, counted
    /// where their consent lets the employer see their disability; and how many were not.
    async fn placed_workers(
        &self,
        actor: &Account,
        employer: EmployerId,
        from: Date,
        to: Date,
    ) -> Result<(Vec<PlacedWorker>, usize), AppError> {
        let placements = self.store.placements_at(employer).await.map_err(AppError::Store)?;
        let now = self.clock.now();
        let today = self.today();
        let viewer = Viewer { account: actor, block: None, employer: Some(employer), person: None };
        let mut placed = Vec::new();
        let mut uncounted = 0;
        let mut reads = EmployerReads::new(format!("employer_quota:{}", employer.0), &["certificates"]);
        let mut read_persons: Vec<PersonId> = Vec::new();
        for p in placements {
            let until = p.end.as_ref().map(|e| e.ended_on);
            if p.fields.starts_on > to || until.is_some_and(|u| u < from) {
                continue;
            }
            let Some(file) = self.store.person_file(p.person).await.map_err(AppError::Store)? else { continue };
            let consents: Vec<Consent> = file.consents.iter().map(|c| c.consent.clone()).collect();
            let relations = Relations { cases: &[], consents: &consents };
            let basis = [Purpose::Placement, Purpose::Retention].into_iter().find_map(|purpose| {
                let request =
                    Request { person: p.person, action: Action::Read, category: DataCategory::Disability, purpose };
                match decide(&viewer, request, relations, None, now, today) {
                    Ok(b @ Basis::Consent(_)) => Some(b),
                    _ => None,
                }
            });
            let minutes = u32::from(p.fields.hours) * 60;
            let Some(basis) = basis else {
                uncounted += 1;
                continue;
            };
            if !read_persons.contains(&p.person) {
                reads.push(self, actor, p.person, &file.person.prefecture, &basis);
                read_persons.push(p.person);
            }
            // Without a certificate a worker does not count toward the quota at all.
            let certificates = &file.person.fields.certificates;
            if let Some(category) = best_category(certificates, minutes, p.fields.starts_on.max(from)) {
                let worker = Worker { category, weekly_minutes: minutes };
                placed.push(PlacedWorker { person: p.person, worker, since: p.fields.starts_on, until });
            }
        }
        reads.commit(self).await?;
        Ok((placed, uncounted))
    }

    /// Applies `edit` to employer `id`'s roster read at `version` (0 before the first write): one
    /// audited commit. A roster changed since is refused (`roster_changed`).
    pub async fn edit_quota_roster(
        &self,
        actor: &Account,
        id: EmployerId,
        version: i64,
        edit: RosterEdit,
    ) -> Result<i64, AppError> {
        if !Self::may_edit_employer(actor, id) {
            return Err(AppError::Forbidden);
        }
        let (employer, _) = self.store.employer(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let stored = self.store.quota_roster(id).await.map_err(AppError::Store)?;
        if stored.as_ref().map_or(0, |r| r.version) != version {
            return Err(invalid("version", "roster_changed"));
        }
        let mut fields = stored.as_ref().map(|r| r.fields.clone()).unwrap_or_default();
        let changed: &str = match edit {
            RosterEdit::SetHeadcount(input) => {
                let entry = input.validate().map_err(AppError::Invalid)?;
                if !fields.headcounts.iter().any(|h| h.month == entry.month)
                    && fields.headcounts.len() >= quota::limits::MONTHS
                {
                    return Err(invalid("month", "too_many_months"));
                }
                fields.set_headcount(entry);
                "headcounts"
            }
            RosterEdit::RemoveHeadcount(month) => {
                let month = quota::parse_month(&month).ok_or_else(|| invalid("month", "month_format"))?;
                let before = fields.headcounts.len();
                fields.headcounts.retain(|h| h.month != month);
                if fields.headcounts.len() == before {
                    return Err(AppError::NotFound);
                }
                "headcounts"
            }
            RosterEdit::AddWorker(input) => {
                let worker = input.validate().map_err(AppError::Invalid)?;
                if fields.workers.len() >= quota::limits::WORKERS {
                    return Err(invalid("worker_label", "too_many_workers"));
                }
                fields.workers.push(worker);
                "workers"
            }
            RosterEdit::RemoveWorker(place) => {
                if place == 0 || place > fields.workers.len() {
                    return Err(AppError::NotFound);
                }
                fields.workers.remove(place - 1);
                "workers"
            }
            RosterEdit::Replace { headcounts, workers } => {
                fields = replaced(&headcounts, &workers).map_err(AppError::Invalid)?;
                "roster"
            }
        };
        let roster = Roster {
            employer: id,
            prefecture: employer.prefecture,
            fields,
            recorded_by: actor.id,
            version: version + 1,
            updated_at: self.clock.now(),
        };
        let action = if stored.is_some() { AuditAction::Update } else { AuditAction::Create };
        let basis = if Self::may_add_employers(actor) { "staff" } else { "own_company" };
        let event = self.event(actor, action, format!("quota_roster:{}", id.0), vec![changed.into()], basis.into());
        let expected = stored.map(|r| r.version);
        let change = Change::SaveQuotaRoster { roster: Box::new(roster), expected };
        match self.store.commit(Commit::new(event).with(change)).await {
            Ok(_) => Ok(version + 1),
            Err(StoreError::Conflict { .. } | StoreError::Duplicate { .. }) => {
                Err(invalid("version", "roster_changed"))
            }
            Err(e) => Err(AppError::Store(e)),
        }
    }

    /// The fiscal year of `on` as a workbook in the layout of the report's summary lines: a line
    /// a month, then the year's totals and its amount.
    pub async fn quota_xlsx(&self, actor: &Account, id: EmployerId, on: Date) -> Result<Vec<u8>, AppError> {
        let view = self.quota(actor, id, on).await?;
        quota_workbook(&view).map_err(|e| AppError::Store(StoreError::backend(e)))
    }
}

fn one_problem(p: tsunagu_domain::validation::Problem) -> Problems {
    let mut problems = Problems::new();
    problems.push(p);
    problems
}

/// A whole roster as sent: every month and worker checked, their problems named by place
/// (`headcounts[2].full_time`, as the API's lists are read).
fn replaced(headcounts: &[HeadcountInput], workers: &[WorkerInput]) -> Result<RosterFields, Problems> {
    let mut p = Problems::new();
    if headcounts.len() > quota::limits::MONTHS {
        p.add("headcounts", "too_many_months");
    }
    if workers.len() > quota::limits::WORKERS {
        p.add("workers", "too_many_workers");
    }
    let mut fields = RosterFields::default();
    for h in headcounts {
        match h.validate() {
            Ok(entry) if fields.headcounts.iter().any(|e: &MonthHeadcount| e.month == entry.month) => {
                p.add("headcounts", "month_twice")
            }
            Ok(entry) => fields.set_headcount(entry),
            Err(problems) => p.extend(problems),
        }
    }
    for w in workers {
        match w.validate() {
            Ok(worker) => fields.workers.push(worker),
            Err(problems) => p.extend(problems),
        }
    }
    p.into_result(fields)
}

/// The headings of the workbook's lines.
pub const QUOTA_COLUMNS: [&str; 9] = [
    "月",
    "常用労働者数",
    "障害者数(カウント)",
    "法定雇用率(%)",
    "法定雇用障害者数",
    "実雇用率(%)",
    "不足数",
    "超過数",
    "月額の目安(円)",
];

fn halves(h: u32) -> f64 {
    f64::from(h) / 2.0
}

fn money_cell(m: quota::Money) -> (f64, &'static str) {
    match m {
        quota::Money::Levy(yen) => (-(yen as f64), "納付金"),
        quota::Money::Adjustment(yen) => (yen as f64, "調整金"),
        quota::Money::Reward(yen) => (yen as f64, "報奨金"),
        quota::Money::Nothing => (0.0, ""),
    }
}

fn quota_workbook(view: &QuotaView) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.00");
    let number = Format::new().set_num_format("#,##0.0");
    let yen = Format::new().set_num_format("#,##0;[Red]-#,##0");
    sheet.set_name(format!("{}年度", view.year.fiscal_year))?;
    sheet.write_string_with_format(0, 0, &view.employer_name, &bold)?;
    sheet.write_string(
        1,
        0,
        format!("{}年度 (令和{}年度) 法定雇用率の状況", view.year.fiscal_year, view.year.fiscal_year - 2018),
    )?;
    for (c, h) in QUOTA_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &bold)?;
    }
    let mut row = 4u32;
    for (first, m) in quota::fiscal_months(view.year.fiscal_year).into_iter().zip(&view.year.months) {
        sheet.write_string(row, 0, format!("{}年{}月", first.year(), u8::from(first.month())))?;
        let Some(m) = m else {
            sheet.write_string(row, 1, "未入力")?;
            row += 1;
            continue;
        };
        sheet.write_number_with_format(row, 1, halves(m.workers_halves), &number)?;
        sheet.write_number_with_format(row, 2, halves(m.counted_halves), &number)?;
        sheet.write_number_with_format(row, 3, f64::from(m.rate_hundredths) / 100.0, &percent)?;
        sheet.write_number(row, 4, f64::from(m.legal))?;
        if let Some(actual) = m.actual_hundredths {
            sheet.write_number_with_format(row, 5, f64::from(actual) / 100.0, &percent)?;
        }
        sheet.write_number_with_format(row, 6, halves(m.shortfall_halves), &number)?;
        sheet.write_number_with_format(row, 7, halves(m.excess_halves), &number)?;
        sheet.write_number_with_format(row, 8, money_cell(m.monthly).0, &yen)?;
        row += 1;
    }
    let y = &view.year;
    sheet.write_string_with_format(row, 0, "年度計", &bold)?;
    sheet.write_number_with_format(row, 1, halves(y.workers_halves), &number)?;
    sheet.write_number_with_format(row, 2, halves(y.counted_halves), &number)?;
    sheet.write_number(row, 4, f64::from(y.legal))?;
    sheet.write_number_with_format(row, 6, halves(y.shortfall_halves()), &number)?;
    sheet.write_number_with_format(row, 7, halves(y.excess_halves()), &number)?;
    let (amount, scheme) = money_cell(y.money);
    sheet.write_number_with_format(row, 8, amount, &yen)?;
    row += 2;
    let label =
        if scheme.is_empty() { "年度の額(目安)".to_owned() } else { format!("年度の{scheme}(目安)") };
    sheet.write_string_with_format(row, 0, &label, &bold)?;
    sheet.write_number_with_format(row, 1, amount, &yen)?;
    sheet.write_string(
        row + 1,
        0,
        "負の額は納付、正の額は受給。常用労働者数・障害者数は各月初日、短時間労働者は0.5で数えています。未入力の月は年度計に含めていません。",
    )?;
    sheet.set_freeze_panes(4, 1)?;
    sheet.autofit();
    lines_sheet(&mut book, view, &bold, &number)?;
    book.save_to_buffer()
}

/// The names of the categories and bands on the workbook's second sheet.
fn category_name(c: QuotaCategory) -> &'static str {
    match c {
        QuotaCategory::SeverePhysical => "重度身体障害者",
        QuotaCategory::Physical => "身体障害者（重度以外）",
        QuotaCategory::SevereIntellectual => "重度知的障害者",
        QuotaCategory::Intellectual => "知的障害者（重度以外）",
        QuotaCategory::Mental => "精神障害者",
    }
}

fn band_name(b: quota::Band) -> &'static str {
    match b {
        quota::Band::Full => "週30時間以上",
        quota::Band::Short => "週20時間以上30時間未満",
        quota::Band::SpecificShort => "週10時間以上20時間未満",
        quota::Band::Under10 => "週10時間未満",
    }
}

/// The day's workers with disabilities by category and band, as the 6月1日 report lists them:
/// the persons and what they count.
fn lines_sheet(
    book: &mut rust_xlsxwriter::Workbook,
    view: &QuotaView,
    bold: &rust_xlsxwriter::Format,
    number: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name("区分ごと")?;
    let on = view.on;
    sheet.write_string_with_format(0, 0, &view.employer_name, bold)?;
    let title = format!("{}年{}月{}日現在 区分と週の所定労働時間ごとの人数", on.year(), u8::from(on.month()), on.day());
    sheet.write_string(1, 0, title)?;
    for (c, h) in ["区分", "週の所定労働時間", "人数", "カウント"].iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, bold)?;
    }
    let mut row = 4u32;
    for line in &view.lines {
        sheet.write_string(row, 0, category_name(line.category))?;
        sheet.write_string(row, 1, band_name(line.band))?;
        sheet.write_number(row, 2, f64::from(line.persons))?;
        sheet.write_number_with_format(row, 3, halves(line.counted_halves), number)?;
        row += 1;
    }
    let p = &view.position;
    let totals = [
        ("障害者数（カウント）計", halves(p.counted_halves)),
        ("常用労働者数", halves(p.workers_halves)),
        ("法定雇用障害者数", f64::from(p.legal)),
        ("不足数", halves(p.shortfall_halves)),
    ];
    for (label, value) in totals {
        sheet.write_string_with_format(row, 0, label, bold)?;
        sheet.write_number_with_format(row, 3, value, number)?;
        row += 1;
    }
    if let Some(actual) = p.actual_hundredths {
        let percent = rust_xlsxwriter::Format::new().set_num_format("0.00");
        sheet.write_string_with_format(row, 0, "実雇用率(%)", bold)?;
        sheet.write_number_with_format(row, 3, f64::from(actual) / 100.0, &percent)?;
    }
    sheet.autofit();
    Ok(())
}

/// The roster's workers as the form lists them, with the place [`RosterEdit::RemoveWorker`] names.
pub fn numbered(workers: &[RosterWorker]) -> impl Iterator<Item = (usize, &RosterWorker)> {
    workers.iter().enumerate().map(|(i, w)| (i + 1, w))
}
