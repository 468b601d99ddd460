//! The legal employment quota (法定雇用率, 障害者雇用促進法 第43条) and the levy system around it
//! (障害者雇用納付金制度): where an employer stands on a given day, month by month over a fiscal
//! year, and what one more hire would change.
//!
//! The rules are dated data, not code branches (`data/quota_*.csv`, see `data/README.md`): the
//! rate of each kind of employer, how one worker counts by category and weekly hours, the monthly
//! amounts of 納付金・調整金・報奨金 and the terms that decide which applies. The next change of the
//! law is a new row with its first day.
//!
//! Every count is kept in halves (a short-time worker is 0.5) and every rate in hundredths of a
//! percent, so that nothing is rounded by floating point: the legal number is truncated to whole
//! persons and the actual rate to two decimals, as the 6月1日 report (障害者雇用状況報告書) writes them.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::account::AccountId;
use crate::employer::EmployerId;
use crate::person::QuotaCategory;
use crate::validation::{Problem, Problems, text_field};

const RATES_CSV: &str = include_str!("../data/quota_rates.csv");
const WEIGHTS_CSV: &str = include_str!("../data/quota_weights.csv");
const PAYMENTS_CSV: &str = include_str!("../data/quota_payments.csv");
const TERMS_CSV: &str = include_str!("../data/quota_terms.csv");

/// The most hours a week has.
pub const MAX_WEEKLY_MINUTES: u32 = 168 * 60;

/// Limits of a roster.
pub mod limits {
    /// Workers with disabilities entered on one roster.
    pub const WORKERS: usize = 2_000;
    /// Months of headcount kept on one roster (twenty years).
    pub const MONTHS: usize = 240;
    /// Regular workers of one month.
    pub const HEADCOUNT: u32 = 9_999_999;
    /// Characters of a worker's label.
    pub const LABEL: u32 = 40;
}

/// The kinds of employer the law gives a rate (the CSV's `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployerKind {
    /// 民間企業.
    Private,
    /// 国・地方公共団体等.
    Public,
    /// 都道府県等の教育委員会.
    Education,
}

impl EmployerKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::Private, Self::Public, Self::Education];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Public => "public",
            Self::Education => "education",
        }
    }

    /// The kind with this code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code.trim())
    }
}

impl QuotaCategory {
    /// Every category, in the order of the report form.
    pub const ALL: [Self; 5] =
        [Self::SeverePhysical, Self::Physical, Self::SevereIntellectual, Self::Intellectual, Self::Mental];

    /// The stable code (the CSV's `category`).
    pub fn code(self) -> &'static str {
        match self {
            Self::SeverePhysical => "severe_physical",
            Self::Physical => "physical",
            Self::SevereIntellectual => "severe_intellectual",
            Self::Intellectual => "intellectual",
            Self::Mental => "mental",
        }
    }

    /// The category with this code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

/// What the rules are asked to count: a regular worker for the denominator, or a worker with a
/// disability of a category for the numerator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A regular worker (常用労働者): 30h+ counts 1, 20–30h 0.5.
    Worker,
    /// A worker with a disability of this category.
    Disabled(QuotaCategory),
}

impl Counted {
    fn code(self) -> &'static str {
        match self {
            Self::Worker => "worker",
            Self::Disabled(c) => c.code(),
        }
    }
}

/// A problem with the rules themselves: the date is before the first rule, or (a data error a
/// test keeps out) no rule covers the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleGap {
    /// The date is before the first rate of the data.
    BeforeRules,
    /// No rule of the data covers it.
    NoRule,
}

impl RuleGap {
    /// The problem code.
    pub fn code(self) -> &'static str {
        match self {
            Self::BeforeRules => "date_before_rules",
            Self::NoRule => "no_rule",
        }
    }
}

/// A date span of a rule: from its first day (none: since before the data begins) to its last
/// (none: still in force).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First day.
    pub from: Option<Date>,
    /// Last day.
    pub to: Option<Date>,
}

impl Span {
    /// The span holds `on`.
    pub fn holds(self, on: Date) -> bool {
        self.from.is_none_or(|f| f <= on) && self.to.is_none_or(|t| on <= t)
    }
}

/// A rate in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Of which employers.
    pub kind: EmployerKind,
    /// When.
    pub span: Span,
    /// In hundredths of a percent (2.7% is 270).
    pub hundredths: u32,
}

/// How one worker counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weight {
    /// Of whom (`worker` or a category's code).
    pub category: &'static str,
    /// Weekly minutes, at least.
    pub from_minutes: u32,
    /// Weekly minutes, fewer than (none: no upper end).
    pub to_minutes: Option<u32>,
    /// Counts, in halves.
    pub halves: u32,
    /// When.
    pub span: Span,
    /// `verified`, or how far it is not (`partial`: a narrower rule of the time is not modelled).
    pub status: &'static str,
}

/// The schemes of the levy system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// 障害者雇用納付金: paid per person short of the legal number (employers over 100 workers).
    Levy,
    /// 障害者雇用調整金: received per person above it (employers over 100 workers).
    Adjustment,
    /// 報奨金: received per person above a threshold (employers of 100 or fewer).
    Reward,
}

impl Scheme {
    fn code(self) -> &'static str {
        match self {
            Self::Levy => "levy",
            Self::Adjustment => "adjustment",
            Self::Reward => "reward",
        }
    }
}

/// A monthly amount of a scheme in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    /// The scheme.
    pub scheme: Scheme,
    /// When (by the month counted).
    pub span: Span,
    /// Yen per person and month.
    pub yen: u64,
    /// Person-months of a fiscal year past which the lower amount applies, if any.
    pub above_person_months: Option<u32>,
    /// The lower amount.
    pub yen_above: Option<u64>,
}

/// The terms that decide which scheme applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    /// The levy and the adjustment are for employers with more regular workers than this.
    pub levy_workers_over: u32,
    /// … in at least this many months of the fiscal year.
    pub levy_months_at_least: u32,
    /// The reward's threshold: this percent of the year's regular workers summed over the months…
    pub reward_threshold_percent: u32,
    /// … or this many person-months, whichever is more.
    pub reward_threshold_min_person_months: u32,
}

/// The rules, read once from the data files.
#[derive(Debug)]
pub struct Rules {
    /// Rates.
    pub rates: Vec<Rate>,
    /// Weights.
    pub weights: Vec<Weight>,
    /// Payments.
    pub payments: Vec<Payment>,
    /// Terms.
    pub terms: Terms,
}

fn date(raw: &str) -> Option<Date> {
    crate::calendar::parse_date(raw)
}

fn span(from: &str, to: &str) -> Span {
    Span { from: date(from), to: date(to) }
}

/// A percent of the data (`2.7`, `3.0`) in hundredths: 270.
fn hundredths(raw: &str) -> Option<u32> {
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(whole.parse::<u32>().ok()? * 100 + format!("{frac:0<2}").parse::<u32>().ok()?)
}

/// A count of the data (`1`, `0.5`) in halves.
fn halves(raw: &str) -> Option<u32> {
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
    let whole: u32 = whole.parse().ok()?;
    match frac {
        "" | "0" => Some(whole * 2),
        "5" => Some(whole * 2 + 1),
        _ => None,
    }
}

impl Rules {
    fn load() -> Rules {
        let rates = crate::shipped::rows(RATES_CSV)
            .filter_map(|mut c| {
                let kind = EmployerKind::parse(c.next()?)?;
                let (from, to) = (c.next()?, c.next()?);
                Some(Rate { kind, span: span(from, to), hundredths: hundredths(c.next()?)? })
            })
            .collect();
        let weights = crate::shipped::rows(WEIGHTS_CSV)
            .filter_map(|mut c| {
                let category = c.next()?;
                let from_minutes = c.next()?.parse::<u32>().ok()? * 60;
                let to_minutes = match c.next()? {
                    "" => None,
                    h => Some(h.parse::<u32>().ok()? * 60),
                };
                let halves = halves(c.next()?)?;
                let (from, to) = (c.next()?, c.next()?);
                Some(Weight { category, from_minutes, to_minutes, halves, span: span(from, to), status: c.next()? })
            })
            .collect();
        let payments = crate::shipped::rows(PAYMENTS_CSV)
            .filter_map(|mut c| {
                let code = c.next()?;
                let scheme =
                    [Scheme::Levy, Scheme::Adjustment, Scheme::Reward].into_iter().find(|s| s.code() == code)?;
                let (from, to) = (c.next()?, c.next()?);
                Some(Payment {
                    scheme,
                    span: span(from, to),
                    yen: c.next()?.parse().ok()?,
                    above_person_months: c.next()?.parse().ok(),
                    yen_above: c.next()?.parse().ok(),
                })
            })
            .collect();
        let term = |name: &str| {
            crate::shipped::rows(TERMS_CSV)
                .find_map(|mut c| (c.next() == Some(name)).then(|| c.next()?.parse::<u32>().ok()).flatten())
                .unwrap_or(0)
        };
        let terms = Terms {
            levy_workers_over: term("levy_workers_over"),
            levy_months_at_least: term("levy_months_at_least"),
            reward_threshold_percent: term("reward_threshold_percent"),
            reward_threshold_min_person_months: term("reward_threshold_min_person_months"),
        };
        Rules { rates, weights, payments, terms }
    }

    /// The rate for `kind` on `on`.
    pub fn rate(&self, kind: EmployerKind, on: Date) -> Result<&Rate, RuleGap> {
        if self.rates.iter().filter_map(|r| r.span.from).all(|first| on < first) {
            return Err(RuleGap::BeforeRules);
        }
        self.rates.iter().find(|r| r.kind == kind && r.span.holds(on)).ok_or(RuleGap::NoRule)
    }

    /// How one worker of `counted` working `minutes` a week counts on `on`, in halves.
    pub fn weight(&self, counted: Counted, minutes: u32, on: Date) -> Result<&Weight, RuleGap> {
        self.rate(EmployerKind::Private, on)?;
        self.weights
            .iter()
            .find(|w| {
                w.category == counted.code()
                    && w.span.holds(on)
                    && w.from_minutes <= minutes
                    && w.to_minutes.is_none_or(|t| minutes < t)
            })
            .ok_or(RuleGap::NoRule)
    }

    /// The monthly amount of `scheme` for the month of `on`.
    pub fn payment(&self, scheme: Scheme, on: Date) -> Option<&Payment> {
        self.payments.iter().find(|p| p.scheme == scheme && p.span.holds(on))
    }
}

/// The rules of the data files.
pub fn rules() -> &'static Rules {
    static RULES: LazyLock<Rules> = LazyLock::new(Rules::load);
    &RULES
}

/// A worker with a disability as the rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worker {
    /// Category.
    pub category: QuotaCategory,
    /// Scheduled weekly working time (所定労働時間), in minutes.
    pub weekly_minutes: u32,
}

/// The regular workers of a month, counted as the report form asks: those working 30 hours a week
/// or more, and those working 20 to 30 (短時間労働者). Workers with disabilities are among them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headcount {
    /// 30 hours or more.
    pub full_time: u32,
    /// 20 to under 30 hours.
    pub short_time: u32,
}

/// Which way money goes, in yen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "scheme", content = "yen", rename_all = "snake_case")]
pub enum Money {
    /// 納付金 to pay.
    Levy(u64),
    /// 調整金 to receive.
    Adjustment(u64),
    /// 報奨金 to receive.
    Reward(u64),
    /// Nothing either way (short of the reward's threshold, or a public employer).
    Nothing,
}

/// Where an employer stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The day.
    pub on: Date,
    /// The rate in force, in hundredths of a percent.
    pub rate_hundredths: u32,
    /// Regular workers as the law counts them, in halves.
    pub workers_halves: u32,
    /// Workers with disabilities as the law counts them, in halves.
    pub counted_halves: u32,
    /// The legal number (法定雇用障害者数): workers × rate, truncated to whole persons.
    pub legal: u32,
    /// The actual rate (実雇用率) in hundredths of a percent, truncated; none without workers.
    pub actual_hundredths: Option<u32>,
    /// Short of the legal number, in halves.
    pub shortfall_halves: u32,
    /// Above it, in halves.
    pub excess_halves: u32,
    /// The month's amount, were it the whole year's only month: the levy or adjustment for an
    /// employer over the size term that month, the reward's share otherwise (an indication; the
    /// year decides, see [`Year`]).
    pub monthly: Money,
}

impl Position {
    /// The legal number is met.
    pub fn meets(&self) -> bool {
        self.shortfall_halves == 0
    }
}

/// A problem of a calculation: its field and code, as a [`Problem`].
fn gap(field: &'static str, g: RuleGap) -> Problem {
    Problem::new(field, g.code())
}

/// Counts a month's roster: where an employer of `kind` stands on `on`.
pub fn position(kind: EmployerKind, on: Date, headcount: Headcount, workers: &[Worker]) -> Result<Position, Problem> {
    let rules = rules();
    let rate = rules.rate(kind, on).map_err(|g| gap("as_of", g))?;
    let full = rules.weight(Counted::Worker, 30 * 60, on).map_err(|g| gap("as_of", g))?.halves;
    let short = rules.weight(Counted::Worker, 20 * 60, on).map_err(|g| gap("as_of", g))?.halves;
    let workers_halves =
        headcount.full_time.saturating_mul(full).saturating_add(headcount.short_time.saturating_mul(short));
    let mut counted_halves = 0u32;
    for w in workers {
        let weight =
            rules.weight(Counted::Disabled(w.category), w.weekly_minutes, on).map_err(|g| gap("workers", g))?;
        counted_halves = counted_halves.saturating_add(weight.halves);
    }
    let legal = legal_number(workers_halves, rate.hundredths);
    let actual_hundredths =
        (workers_halves > 0).then(|| (u64::from(counted_halves) * 10_000 / u64::from(workers_halves)) as u32);
    let shortfall_halves = (legal * 2).saturating_sub(counted_halves);
    let excess_halves = counted_halves.saturating_sub(legal * 2);
    let monthly = if kind != EmployerKind::Private {
        Money::Nothing
    } else if workers_halves > rules.terms.levy_workers_over * 2 {
        if shortfall_halves > 0 {
            Money::Levy(amount(rules.payment(Scheme::Levy, on), shortfall_halves, 1))
        } else {
            Money::Adjustment(amount(rules.payment(Scheme::Adjustment, on), excess_halves, 1))
        }
    } else {
        let threshold = reward_threshold(&rules.terms, u64::from(workers_halves), 1);
        let above = u64::from(counted_halves).saturating_sub(threshold);
        match amount(rules.payment(Scheme::Reward, on), above as u32, 1) {
            0 => Money::Nothing,
            yen => Money::Reward(yen),
        }
    };
    Ok(Position {
        on,
        rate_hundredths: rate.hundredths,
        workers_halves,
        counted_halves,
        legal,
        actual_hundredths,
        shortfall_halves,
        excess_halves,
        monthly,
    })
}

/// Workers (in halves) × rate, truncated to whole persons.
fn legal_number(workers_halves: u32, rate_hundredths: u32) -> u32 {
    (u64::from(workers_halves) * u64::from(rate_hundredths) / 20_000) as u32
}

/// The reward's threshold in halves over `months` months whose regular workers sum to
/// `workers_halves`: the terms' percent of them, truncated to whole persons, or the minimum
/// person-months (a twelfth of it a month), whichever is more.
fn reward_threshold(terms: &Terms, workers_halves: u64, months: u32) -> u64 {
    let by_share = workers_halves * u64::from(terms.reward_threshold_percent) / 200 * 2;
    let floor = u64::from(terms.reward_threshold_min_person_months) * 2 * u64::from(months) / 12;
    by_share.max(floor)
}

/// The yen for `halves` person-months under `payment` over `months` months, the lower amount
/// past its person-months (a year's threshold, a twelfth of it a month).
fn amount(payment: Option<&Payment>, halves: u32, months: u32) -> u64 {
    let Some(p) = payment else { return 0 };
    let halves = u64::from(halves);
    match (p.above_person_months, p.yen_above) {
        (Some(above), Some(lower)) => {
            let full = halves.min(u64::from(above) * 2 * u64::from(months) / 12);
            (full * p.yen + (halves - full) * lower) / 2
        }
        _ => halves * p.yen / 2,
    }
}

/// A fiscal year's months and what they come to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Year {
    /// The fiscal year (April of it to March of the next).
    pub fiscal_year: i32,
    /// Each month's position on its first day, April to March; none for a month without a roster.
    pub months: Vec<Option<Position>>,
    /// Regular workers summed over the months, in halves.
    pub workers_halves: u32,
    /// Workers with disabilities summed, in halves.
    pub counted_halves: u32,
    /// Legal numbers summed.
    pub legal: u32,
    /// Months in which the employer was over the size term.
    pub months_over_size: u32,
    /// The year's amount: person-months short or above netted over the year.
    pub money: Money,
}

impl Year {
    /// Person-months short of the legal numbers summed, in halves.
    pub fn shortfall_halves(&self) -> u32 {
        (self.legal * 2).saturating_sub(self.counted_halves)
    }

    /// Person-months above them, in halves.
    pub fn excess_halves(&self) -> u32 {
        self.counted_halves.saturating_sub(self.legal * 2)
    }
}

/// The first day of each month of fiscal year `fiscal_year`.
pub fn fiscal_months(fiscal_year: i32) -> Vec<Date> {
    (0..12)
        .filter_map(|i| {
            let (year, month) = if i < 9 { (fiscal_year, 4 + i) } else { (fiscal_year + 1, i - 8) };
            Date::from_calendar_date(year, Month::try_from(month as u8).ok()?, 1).ok()
        })
        .collect()
}

/// The fiscal year of `on`.
pub fn fiscal_year_of(on: Date) -> i32 {
    if u8::from(on.month()) >= 4 { on.year() } else { on.year() - 1 }
}

/// Counts a fiscal year from its months' rosters (`month_rosters` in order, April first). A
/// month without a roster (none entered yet) is left out of the sums, not counted as empty.
pub fn year(
    kind: EmployerKind,
    fiscal_year: i32,
    month_rosters: &[Option<(Headcount, Vec<Worker>)>],
) -> Result<Year, Problem> {
    let rules = rules();
    let mut months = Vec::with_capacity(12);
    for (i, first) in fiscal_months(fiscal_year).into_iter().enumerate() {
        months.push(match month_rosters.get(i).cloned().flatten() {
            Some((headcount, workers)) => Some(position(kind, first, headcount, &workers)?),
            None => {
                // The day must still be one the rules cover.
                rules.rate(kind, first).map_err(|g| gap("as_of", g))?;
                None
            }
        });
    }
    let counted = || months.iter().flatten();
    let workers_halves = counted().map(|m| m.workers_halves).fold(0u32, u32::saturating_add);
    let counted_halves = counted().map(|m| m.counted_halves).fold(0u32, u32::saturating_add);
    let legal = counted().map(|m| m.legal).fold(0u32, u32::saturating_add);
    let over = rules.terms.levy_workers_over * 2;
    let months_over_size = counted().filter(|m| m.workers_halves > over).count() as u32;
    let april = fiscal_months(fiscal_year).first().copied().unwrap_or(time::macros::date!(2021 - 04 - 01));
    let money = if kind != EmployerKind::Private || counted().next().is_none() {
        Money::Nothing
    } else if months_over_size >= rules.terms.levy_months_at_least {
        let short = (legal * 2).saturating_sub(counted_halves);
        if short > 0 {
            Money::Levy(amount(rules.payment(Scheme::Levy, april), short, 12))
        } else {
            let above = counted_halves.saturating_sub(legal * 2);
            Money::Adjustment(amount(rules.payment(Scheme::Adjustment, april), above, 12))
        }
    } else {
        let threshold = reward_threshold(&rules.terms, u64::from(workers_halves), 12);
        let above = u64::from(counted_halves).saturating_sub(threshold) as u32;
        match amount(rules.payment(Scheme::Reward, april), above, 12) {
            0 => Money::Nothing,
            yen => Money::Reward(yen),
        }
    };
    Ok(Year { fiscal_year, months, workers_halves, counted_halves, legal, months_over_size, money })
}

/// The bands of weekly hours the report form counts workers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// 30 hours or more.
    Full,
    /// 20 to under 30 (短時間労働者).
    Short,
    /// 10 to under 20 (特定短時間労働者).
    SpecificShort,
    /// Under 10: never counted.
    Under10,
}

impl Band {
    /// Every band, longest first.
    pub const ALL: [Self; 4] = [Self::Full, Self::Short, Self::SpecificShort, Self::Under10];

    /// The band of `minutes` a week.
    pub fn of(minutes: u32) -> Self {
        match minutes / 60 {
            30.. => Self::Full,
            20.. => Self::Short,
            10.. => Self::SpecificShort,
            _ => Self::Under10,
        }
    }

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Short => "short",
            Self::SpecificShort => "specific_short",
            Self::Under10 => "under_10",
        }
    }
}

/// A line of the report form: the workers of a category in a band of hours, and what they count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Category.
    pub category: QuotaCategory,
    /// Band.
    pub band: Band,
    /// Persons.
    pub persons: u32,
    /// What they count, in halves.
    pub counted_halves: u32,
}

/// The workers with disabilities of a day by category and band, as the 6月1日 report lists them:
/// every category × band, in the form's order (empty lines too).
pub fn breakdown(workers: &[Worker], on: Date) -> Result<Vec<Line>, Problem> {
    let rules = rules();
    let mut lines: Vec<Line> = QuotaCategory::ALL
        .iter()
        .flat_map(|c| Band::ALL.map(|band| Line { category: *c, band, persons: 0, counted_halves: 0 }))
        .collect();
    for w in workers {
        let halves =
            rules.weight(Counted::Disabled(w.category), w.weekly_minutes, on).map_err(|g| gap("as_of", g))?.halves;
        let band = Band::of(w.weekly_minutes);
        if let Some(line) = lines.iter_mut().find(|l| l.category == w.category && l.band == band) {
            line.persons += 1;
            line.counted_halves += halves;
        }
    }
    Ok(lines)
}

/// Halves as the report writes them: `3`, `2.5`.
pub fn halves_text(halves: u32) -> String {
    if halves.is_multiple_of(2) { (halves / 2).to_string() } else { format!("{}.5", halves / 2) }
}

/// Hundredths of a percent as the report writes them: `2.70`.
pub fn percent_text(hundredths: u32) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Weekly minutes as hours: `37.5`, `20`, `19.75`.
pub fn hours_text(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 {
        h.to_string()
    } else {
        let frac = format!("{:02}", m * 100 / 60);
        format!("{h}.{}", frac.trim_end_matches('0'))
    }
}

/// Parses weekly hours as typed (`37.5`, `３７．５`, `20`): a number of hours with up to two
/// decimals, from 0 to 168, to minutes (rounded to the minute).
pub fn parse_weekly_hours(raw: &str) -> Result<u32, &'static str> {
    let text: String = unicode_normalization::UnicodeNormalization::nfkc(raw.trim()).collect();
    let text = text.trim_end_matches("時間").trim();
    if text.is_empty() {
        return Err("required");
    }
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let numeric = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !numeric(whole) || !numeric(frac) || frac.len() > 2 || whole.len() > 4 {
        return Err(if text.starts_with('-') { "hours_out_of_range" } else { "not_a_number" });
    }
    let whole: u32 = whole.parse().map_err(|_| "not_a_number")?;
    let hundredths: u32 =
        if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| "not_a_number")? };
    let minutes = whole * 60 + (hundredths * 60 + 50) / 100;
    if minutes > MAX_WEEKLY_MINUTES || (whole > 168) {
        return Err("hours_out_of_range");
    }
    Ok(minutes)
}

/// The day a position is asked for, as typed (`as_of`; today when empty): a date the rules cover.
pub fn day_asked(raw: &str, today: Date) -> Result<Date, Problems> {
    let mut p = Problems::new();
    let day = match raw.trim() {
        "" => Some(today),
        raw => crate::person::date_field(&mut p, "as_of", raw, true),
    };
    match day {
        Some(d) if rules().rate(EmployerKind::Private, d).is_err() => {
            p.add("as_of", "date_before_rules");
            Err(p)
        }
        Some(d) => Ok(d),
        None => Err(p),
    }
}

/// A month's regular workers as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthHeadcount {
    /// The month's first day.
    pub month: Date,
    /// Its headcount.
    pub headcount: Headcount,
}

/// A worker with a disability entered by the employer (one not placed through Tsunagu, or whose
/// record the employer may not see). Named by a label of the employer's own (a staff number),
/// never by a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterWorker {
    /// The employer's label.
    pub label: String,
    /// As the rules see them.
    pub worker: Worker,
    /// Employed since.
    pub since: Date,
    /// Last day, if they left.
    pub until: Option<Date>,
}

impl RosterWorker {
    /// Employed on `on`.
    pub fn employed_on(&self, on: Date) -> bool {
        self.since <= on && self.until.is_none_or(|u| on <= u)
    }
}

/// What an employer's roster holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterFields {
    /// Headcounts by month, oldest first; one a month.
    pub headcounts: Vec<MonthHeadcount>,
    /// Workers with disabilities entered.
    pub workers: Vec<RosterWorker>,
}

impl RosterFields {
    /// The headcount in force on `on`: the latest month entered at or before it, and that month.
    pub fn headcount_on(&self, on: Date) -> Option<&MonthHeadcount> {
        self.headcounts.iter().filter(|h| h.month <= on).max_by_key(|h| h.month)
    }

    /// Sets a month's headcount (replacing one already entered for it), keeping them in order.
    pub fn set_headcount(&mut self, entry: MonthHeadcount) {
        self.headcounts.retain(|h| h.month != entry.month);
        self.headcounts.push(entry);
        self.headcounts.sort_by_key(|h| h.month);
    }
}

/// An employer's roster for the quota, as stored: one an employer, written whole on its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    /// The employer.
    pub employer: EmployerId,
    /// The employer's prefecture.
    pub prefecture: String,
    /// What it holds.
    pub fields: RosterFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// Last write.
    pub updated_at: OffsetDateTime,
}

/// A month's headcount as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HeadcountInput {
    /// `2026-06`, or a date in the month.
    pub month: String,
    /// 30 hours or more.
    pub full_time: String,
    /// 20 to under 30 hours.
    pub short_time: String,
}

fn count_field(p: &mut Problems, field: &'static str, raw: &str) -> Option<u32> {
    let text: String = unicode_normalization::UnicodeNormalization::nfkc(raw.trim()).collect();
    let text = text.replace(',', "");
    match text.as_str() {
        "" => {
            p.add(field, "required");
            None
        }
        t if t.chars().all(|c| c.is_ascii_digit()) => match t.parse::<u32>() {
            Ok(n) if n <= limits::HEADCOUNT => Some(n),
            _ => {
                p.push(Problem { field, code: "too_large", limit: Some(limits::HEADCOUNT) });
                None
            }
        },
        _ => {
            p.add(field, "not_a_number");
            None
        }
    }
}

impl Headcount {
    /// The two counts as typed (`1,000`, full-width digits), each a problem of its field.
    pub fn typed(p: &mut Problems, full_time: &str, short_time: &str) -> Option<Headcount> {
        let full_time = count_field(p, "full_time", full_time);
        let short_time = count_field(p, "short_time", short_time);
        Some(Headcount { full_time: full_time?, short_time: short_time? })
    }
}

/// `2026-06` or `2026-06-15` → 2026-06-01.
pub fn parse_month(raw: &str) -> Option<Date> {
    let text: String = unicode_normalization::UnicodeNormalization::nfkc(raw.trim()).collect();
    let day = crate::calendar::parse_date(&text).or_else(|| crate::calendar::parse_date(&format!("{text}-01")))?;
    day.replace_day(1).ok()
}

impl HeadcountInput {
    /// Checks it: a month the rules cover, and counts.
    pub fn validate(&self) -> Result<MonthHeadcount, Problems> {
        let mut p = Problems::new();
        let month = match parse_month(&self.month) {
            None if self.month.trim().is_empty() => {
                p.add("month", "required");
                None
            }
            None => {
                p.add("month", "month_format");
                None
            }
            Some(m) if rules().rate(EmployerKind::Private, m) == Err(RuleGap::BeforeRules) => {
                // A month counts from its first day; the first rate began on 1 March 2021.
                p.add("month", "date_before_rules");
                None
            }
            Some(m) => Some(m),
        };
        let headcount = Headcount::typed(&mut p, &self.full_time, &self.short_time);
        match (month, headcount) {
            (Some(month), Some(headcount)) if p.is_empty() => Ok(MonthHeadcount { month, headcount }),
            _ => Err(p),
        }
    }
}

/// A worker with a disability as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WorkerInput {
    /// The employer's label.
    pub worker_label: String,
    /// A category's code.
    pub quota_category: String,
    /// Weekly hours.
    pub weekly_hours: String,
    /// Employed since.
    pub employed_from: String,
    /// Left on (may be empty).
    #[serde(default)]
    pub left_on: String,
}

impl WorkerInput {
    /// Checks it.
    pub fn validate(&self) -> Result<RosterWorker, Problems> {
        let mut p = Problems::new();
        let label = text_field(&mut p, "worker_label", &self.worker_label, limits::LABEL, true);
        let category = match self.quota_category.trim() {
            "" => {
                p.add("quota_category", "required");
                None
            }
            code => {
                let c = QuotaCategory::parse(code);
                if c.is_none() {
                    p.add("quota_category", "unknown_quota_category");
                }
                c
            }
        };
        let weekly_minutes = parse_weekly_hours(&self.weekly_hours).map_err(|code| p.add("weekly_hours", code)).ok();
        let since = crate::person::date_field(&mut p, "employed_from", &self.employed_from, true);
        let until = crate::person::date_field(&mut p, "left_on", &self.left_on, false);
        if let (Some(s), Some(u)) = (since, until)
            && u < s
        {
            p.add("left_on", "left_before_hired");
        }
        match (label, category, weekly_minutes, since) {
            (Some(label), Some(category), Some(weekly_minutes), Some(since)) if p.is_empty() => {
                Ok(RosterWorker { label, worker: Worker { category, weekly_minutes }, since, until })
            }
            _ => Err(p),
        }
    }

    /// The input that shows `w`.
    pub fn from_worker(w: &RosterWorker) -> Self {
        Self {
            worker_label: w.label.clone(),
            quota_category: w.worker.category.code().to_owned(),
            weekly_hours: hours_text(w.worker.weekly_minutes),
            employed_from: w.since.to_string(),
            left_on: w.until.map(|u| u.to_string()).unwrap_or_default(),
        }
    }
}

/// A worker as typed for a calculation: a category and hours.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CountInput {
    /// A category's code.
    pub category: String,
    /// Weekly hours.
    pub weekly_hours: String,
}

impl CountInput {
    /// Checks it, naming problems `field` (a form's field or a list's).
    pub fn validate(
        &self,
        p: &mut Problems,
        category_field: &'static str,
        hours_field: &'static str,
    ) -> Option<Worker> {
        let category = QuotaCategory::parse(&self.category);
        if category.is_none() {
            p.add(category_field, if self.category.trim().is_empty() { "required" } else { "unknown_quota_category" });
        }
        let minutes = parse_weekly_hours(&self.weekly_hours).map_err(|code| p.add(hours_field, code)).ok();
        Some(Worker { category: category?, weekly_minutes: minutes? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use QuotaCategory::*;
    use time::macros::date;

    /// Every first and last day of a rule, and the day on either side of it.
    fn edges() -> Vec<Date> {
        let r = rules();
        let spans = r.rates.iter().map(|x| x.span).chain(r.weights.iter().map(|w| w.span));
        let mut days: Vec<Date> = spans
            .flat_map(|s| [s.from, s.to])
            .flatten()
            .flat_map(|d| [d.previous_day(), Some(d), d.next_day()])
            .flatten()
            .filter(|d| *d >= date!(2021 - 03 - 01))
            .collect();
        days.push(date!(2099 - 12 - 31));
        days.sort();
        days.dedup();
        days
    }

    #[test]
    fn exactly_one_rule_covers_every_day_hour_and_category() {
        let r = rules();
        assert_eq!(r.rates.len(), 9, "every row of the rates file reads");
        assert_eq!(r.weights.len(), WEIGHTS_CSV.lines().count() - 1, "every row of the weights file reads");
        assert_eq!(r.payments.len(), PAYMENTS_CSV.lines().count() - 1, "every row of the payments file reads");
        assert!(r.terms.levy_workers_over > 0 && r.terms.levy_months_at_least > 0);
        let counted = [Counted::Worker].into_iter().chain(QuotaCategory::ALL.map(Counted::Disabled));
        let counted: Vec<Counted> = counted.collect();
        for on in edges() {
            for kind in EmployerKind::ALL {
                assert_eq!(r.rates.iter().filter(|x| x.kind == kind && x.span.holds(on)).count(), 1, "{kind:?} {on}");
            }
            for c in &counted {
                for minutes in (0..=MAX_WEEKLY_MINUTES).step_by(15) {
                    let matching = r.weights.iter().filter(|w| {
                        w.category == c.code()
                            && w.span.holds(on)
                            && w.from_minutes <= minutes
                            && w.to_minutes.is_none_or(|t| minutes < t)
                    });
                    assert_eq!(matching.count(), 1, "{c:?} {minutes} min on {on}");
                }
            }
        }
    }

    #[test]
    fn rates_change_on_their_first_day_for_every_kind() {
        use EmployerKind::*;
        let cases = [
            (Private, date!(2024 - 03 - 31), 230),
            (Private, date!(2024 - 04 - 01), 250),
            (Private, date!(2026 - 06 - 30), 250),
            (Private, date!(2026 - 07 - 01), 270),
            (Public, date!(2024 - 03 - 31), 260),
            (Public, date!(2024 - 04 - 01), 280),
            (Public, date!(2026 - 07 - 01), 300),
            (Education, date!(2024 - 03 - 31), 250),
            (Education, date!(2024 - 04 - 01), 270),
            (Education, date!(2026 - 07 - 01), 290),
        ];
        for (kind, on, hundredths) in cases {
            assert_eq!(rules().rate(kind, on).map(|r| r.hundredths), Ok(hundredths), "{kind:?} on {on}");
        }
        assert_eq!(rules().rate(Private, date!(2021 - 02 - 28)).map(|r| r.hundredths), Err(RuleGap::BeforeRules));
        assert_eq!(rules().rate(Private, date!(2021 - 03 - 01)).map(|r| r.hundredths), Ok(230));
    }

    /// The counting table (雇用率カウント), every category × hours band, on either side of each
    /// change: 30h+ 1 (重度 2); 20–30h 0.5 (重度 1; 精神 1 from 2023-04-01); 10–20h 0.5 for 重度
    /// and 精神 from 2024-04-01, otherwise 0; under 10h 0.
    #[test]
    fn each_worker_counts_as_the_table_says_on_either_side_of_each_change() {
        // (category, [30h+, 20–30h, 10–20h, <10h]) before 2023-04, 2023-04 … 2024-03, from 2024-04.
        let table: [(QuotaCategory, [[u32; 4]; 3]); 5] = [
            (SeverePhysical, [[4, 2, 0, 0], [4, 2, 0, 0], [4, 2, 1, 0]]),
            (Physical, [[2, 1, 0, 0], [2, 1, 0, 0], [2, 1, 0, 0]]),
            (SevereIntellectual, [[4, 2, 0, 0], [4, 2, 0, 0], [4, 2, 1, 0]]),
            (Intellectual, [[2, 1, 0, 0], [2, 1, 0, 0], [2, 1, 0, 0]]),
            (Mental, [[2, 1, 0, 0], [2, 2, 0, 0], [2, 2, 1, 0]]),
        ];
        let periods = [
            [date!(2021 - 03 - 01), date!(2023 - 03 - 31)],
            [date!(2023 - 04 - 01), date!(2024 - 03 - 31)],
            [date!(2024 - 04 - 01), date!(2026 - 07 - 01)],
        ];
        // Each band's lowest and highest quarter hour.
        let bands = [[30 * 60, 168 * 60], [20 * 60, 30 * 60 - 15], [10 * 60, 20 * 60 - 15], [0, 10 * 60 - 15]];
        for (category, by_period) in table {
            for (days, expected) in periods.iter().zip(by_period) {
                for on in days {
                    for (minutes, halves) in bands.iter().zip(expected) {
                        for m in minutes {
                            let got = rules().weight(Counted::Disabled(category), *m, *on).map(|w| w.halves);
                            assert_eq!(got, Ok(halves), "{category:?} {} h on {on}", hours_text(*m));
                        }
                    }
                }
            }
        }
        for on in [date!(2021 - 03 - 01), date!(2026 - 07 - 01)] {
            let worker = |m| rules().weight(Counted::Worker, m, on).map(|w| w.halves);
            assert_eq!(
                [worker(40 * 60), worker(30 * 60), worker(29 * 60 + 45), worker(20 * 60), worker(19 * 60)],
                [Ok(2), Ok(2), Ok(1), Ok(1), Ok(0)]
            );
        }
    }

    fn private(on: Date, full_time: u32, short_time: u32, workers: &[(QuotaCategory, u32)]) -> Position {
        let workers: Vec<Worker> = workers
            .iter()
            .map(|(category, hours)| Worker { category: *category, weekly_minutes: hours * 60 })
            .collect();
        position(EmployerKind::Private, on, Headcount { full_time, short_time }, &workers).expect("counts")
    }

    /// The legal number is the workers times the rate, any fraction of a person dropped: the
    /// smallest employer that must employ one is 43.5 workers at 2.3%, 40 at 2.5%, 37.5 at 2.7%
    /// (the published table of the obligation's threshold).
    #[test]
    fn the_legal_number_is_truncated_and_the_obligation_starts_where_the_law_says() {
        let cases = [
            (date!(2024 - 03 - 31), 43, 1, 1),
            (date!(2024 - 03 - 31), 43, 0, 0),
            (date!(2024 - 04 - 01), 40, 0, 1),
            (date!(2024 - 04 - 01), 39, 1, 0),
            (date!(2026 - 07 - 01), 37, 1, 1),
            (date!(2026 - 07 - 01), 37, 0, 0),
            (date!(2026 - 06 - 30), 100, 0, 2),
            (date!(2026 - 07 - 01), 100, 0, 2),
            (date!(2026 - 07 - 01), 1000, 0, 27),
            (date!(2026 - 07 - 01), 999, 0, 26),
        ];
        for (on, full, short, legal) in cases {
            assert_eq!(private(on, full, short, &[]).legal, legal, "{full} + {short}×0.5 workers on {on}");
        }
    }

    /// A worked example: 1,000 full-time and 100 short-time workers (1,050 as counted); ten 重度
    /// 身体 at 40 h (20), five 知的 at 30 h (5), four 精神 at 25 h (4), two 重度知的 at 15 h (1):
    /// 30 counted against a legal number of 26 (2.5%), an actual rate of 2.85% (2.857…
    /// truncated), four above: 116,000 yen of 調整金 for the month. From July 2026 (2.7%) the
    /// legal number is 28.
    #[test]
    fn a_company_over_a_hundred_workers_counts_as_the_report_form_does() {
        let roster = [
            [(SeverePhysical, 40); 10].as_slice(),
            &[(Intellectual, 30); 5],
            &[(Mental, 25); 4],
            &[(SevereIntellectual, 15); 2],
        ]
        .concat();
        let june = private(date!(2026 - 06 - 01), 1000, 100, &roster);
        assert_eq!((june.workers_halves, june.counted_halves, june.legal), (2100, 60, 26));
        assert_eq!(june.actual_hundredths.map(percent_text), Some("2.85".to_owned()));
        assert_eq!((june.shortfall_halves, june.excess_halves), (0, 8));
        assert_eq!(june.monthly, Money::Adjustment(116_000));
        let july = private(date!(2026 - 07 - 01), 1000, 100, &roster);
        assert_eq!((july.legal, july.excess_halves), (28, 4));
        // Before 2024-04 the two at 15 h did not count, and the 2.3% rate made the number 24.
        let march_2024 = private(date!(2024 - 03 - 01), 1000, 100, &roster);
        assert_eq!((march_2024.counted_halves, march_2024.legal), (58, 24));
        assert_eq!(march_2024.monthly, Money::Adjustment(5 * 27_000));
        // One short: 50,000 yen a month.
        let short = private(date!(2026 - 07 - 01), 1000, 100, &[(SeverePhysical, 40); 13]);
        assert_eq!((short.shortfall_halves, short.monthly), (4, Money::Levy(100_000)));
        let half_short = private(
            date!(2026 - 07 - 01),
            1000,
            100,
            &[[(SeverePhysical, 40); 13].as_slice(), &[(Physical, 20)]].concat(),
        );
        assert_eq!((half_short.shortfall_halves, half_short.monthly), (3, Money::Levy(75_000)));
    }

    fn months(full_time: u32, workers: &[(QuotaCategory, u32)]) -> Vec<Option<(Headcount, Vec<Worker>)>> {
        let w: Vec<Worker> = workers
            .iter()
            .map(|(category, hours)| Worker { category: *category, weekly_minutes: hours * 60 })
            .collect();
        vec![Some((Headcount { full_time, short_time: 0 }, w)); 12]
    }

    #[test]
    fn a_year_nets_its_months_and_follows_the_rate_that_changes_within_it() {
        // 300 workers: a legal number of 7 (2.5%) until June 2026, 8 (2.7%) from July; seven
        // employed: nine months one short, 450,000 yen of 納付金.
        let y = year(EmployerKind::Private, 2026, &months(300, &[(Physical, 40); 7])).expect("counts");
        let legal: Vec<u32> = y.months.iter().flatten().map(|m| m.legal).collect();
        assert_eq!(legal, [7, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8]);
        assert_eq!(y.months_over_size, 12);
        assert_eq!(y.money, Money::Levy(450_000));
        // Above the legal number by 14 a month, 168 person-months: from FY2024 the first 120 at
        // 29,000 and the rest at 23,000; in FY2023 all at 27,000.
        let y = year(EmployerKind::Private, 2024, &months(1000, &[(Physical, 40); 39])).expect("counts");
        assert_eq!((y.legal, y.counted_halves / 2), (25 * 12, 39 * 12));
        assert_eq!(y.money, Money::Adjustment(120 * 29_000 + 48 * 23_000));
        let y = year(EmployerKind::Private, 2023, &months(1000, &[(Physical, 40); 37])).expect("counts");
        assert_eq!(y.money, Money::Adjustment(14 * 12 * 27_000));
        // Months short and months above net over the year.
        let mut mixed = months(1000, &[(Physical, 40); 23]);
        for m in mixed.iter_mut().skip(6).flatten() {
            m.1 = vec![Worker { category: Physical, weekly_minutes: 40 * 60 }; 28];
        }
        let y = year(EmployerKind::Private, 2024, &mixed).expect("counts");
        assert_eq!(y.money, Money::Adjustment(3 * 6 * 29_000 - 2 * 6 * 29_000));
    }

    #[test]
    fn a_small_employer_earns_the_reward_above_its_threshold() {
        // 50 workers: the threshold is 72 person-months (4% of 600 is 24).
        let y = year(EmployerKind::Private, 2024, &months(50, &[(Physical, 40); 10])).expect("counts");
        assert_eq!(y.months_over_size, 0);
        assert_eq!(y.money, Money::Reward(48 * 21_000));
        // Past 420 person-months the lower amount.
        let y = year(EmployerKind::Private, 2024, &months(50, &[(Physical, 40); 50])).expect("counts");
        assert_eq!(y.money, Money::Reward(420 * 21_000 + 108 * 16_000));
        let y = year(EmployerKind::Private, 2023, &months(50, &[(Physical, 40); 50])).expect("counts");
        assert_eq!(y.money, Money::Reward(528 * 21_000));
        // At the threshold, nothing.
        let y = year(EmployerKind::Private, 2024, &months(50, &[(Physical, 40); 6])).expect("counts");
        assert_eq!(y.money, Money::Nothing);
        // A public employer has a rate but no levy.
        let y = year(EmployerKind::Public, 2024, &months(1000, &[(Physical, 40); 6])).expect("counts");
        assert_eq!((y.months[0].map(|m| m.legal), y.money), (Some(28), Money::Nothing));
        // Months not entered are left out, not counted as having no workers.
        let mut partial = months(300, &[(Physical, 40); 7]);
        partial[..3].fill(None);
        let y = year(EmployerKind::Private, 2026, &partial).expect("counts");
        assert_eq!((y.months.iter().flatten().count(), y.legal, y.money), (9, 72, Money::Levy(450_000)));
    }

    #[test]
    fn the_report_lines_count_each_category_in_its_band() {
        let workers = [(SeverePhysical, 40), (SeverePhysical, 15), (Mental, 25), (Mental, 25), (Physical, 8)]
            .map(|(category, hours)| Worker { category, weekly_minutes: hours * 60 });
        let lines = breakdown(&workers, date!(2026 - 06 - 01)).expect("counts");
        assert_eq!(lines.len(), 20, "every category in every band");
        let line = |c, b| lines.iter().find(|l| l.category == c && l.band == b).map(|l| (l.persons, l.counted_halves));
        assert_eq!(line(SeverePhysical, Band::Full), Some((1, 4)));
        assert_eq!(line(SeverePhysical, Band::SpecificShort), Some((1, 1)));
        assert_eq!(line(Mental, Band::Short), Some((2, 4)));
        assert_eq!(line(Physical, Band::Under10), Some((1, 0)));
        assert_eq!(line(Intellectual, Band::Full), Some((0, 0)));
        let total: u32 = lines.iter().map(|l| l.counted_halves).sum();
        let whole = position(
            EmployerKind::Private,
            date!(2026 - 06 - 01),
            Headcount { full_time: 100, short_time: 0 },
            &workers,
        );
        assert_eq!(Some(total), whole.ok().map(|p| p.counted_halves), "the lines add up to the position's count");
    }

    #[test]
    fn hours_read_as_typed_and_out_of_range_is_refused() {
        let cases = [
            ("37.5", Ok(2250)),
            ("３７．５", Ok(2250)),
            ("20", Ok(1200)),
            ("19.75", Ok(1185)),
            ("0", Ok(0)),
            ("168", Ok(10080)),
            ("30時間", Ok(1800)),
            ("168.5", Err("hours_out_of_range")),
            ("169", Err("hours_out_of_range")),
            ("-1", Err("hours_out_of_range")),
            ("99999", Err("not_a_number")),
            ("abc", Err("not_a_number")),
            ("1.234", Err("not_a_number")),
            ("", Err("required")),
        ];
        for (raw, expected) in cases {
            assert_eq!(parse_weekly_hours(raw), expected, "{raw:?}");
        }
        assert_eq!(hours_text(2250), "37.5");
        assert_eq!(hours_text(1185), "19.75");
    }

    #[test]
    fn bad_input_gets_a_problem_per_field() {
        let w = WorkerInput {
            worker_label: "".into(),
            quota_category: "blind".into(),
            weekly_hours: "200".into(),
            employed_from: "2026-05-01".into(),
            left_on: "2026-04-01".into(),
        };
        let problems = w.validate().expect_err("refused");
        let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(
            codes,
            [
                ("worker_label", "required"),
                ("quota_category", "unknown_quota_category"),
                ("weekly_hours", "hours_out_of_range"),
                ("left_on", "left_before_hired")
            ]
        );
        let h = HeadcountInput { month: "2021-02".into(), full_time: "x".into(), short_time: "".into() };
        let codes: Vec<(&str, &str)> = h.validate().expect_err("refused").iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(codes, [("month", "date_before_rules"), ("full_time", "not_a_number"), ("short_time", "required")]);
        let ok =
            HeadcountInput { month: "２０２６-０６".into(), full_time: "1,000".into(), short_time: "0".into() };
        assert_eq!(ok.validate().map(|m| (m.month, m.headcount.full_time)), Ok((date!(2026 - 06 - 01), 1000)));
        let before = position(EmployerKind::Private, date!(2020 - 06 - 01), Headcount::default(), &[]);
        assert_eq!(before.map(|p| p.legal), Err(Problem::new("as_of", "date_before_rules")));
    }
}
