//! Trial employment (トライアル雇用): a person hired on trial by an employer through Hello Work,
//! the weekly hours planned and worked, how it ended, and the grants decided for it.
//!
//! Two courses of the トライアル雇用助成金 are recorded:
//!
//! - 障害者トライアルコース (standard): up to three months, up to six for a person with a mental
//!   disability, at the regular employment's 20 hours a week or more (常用雇用, as program 9-5
//!   describes it).
//! - 障害者短時間トライアルコース (short-time): for a person with a mental or developmental
//!   disability, starting at 10 to under 20 hours a week and planned to reach 20 or more within
//!   a trial of 3 to 12 months.
//!
//! The plan is the hours at the start and each planned rise; the hours actually worked are
//! logged week by week, and a trial whose latest weeks fall short of the plan is flagged. Program
//! 9-5 counts the grant decisions (支給決定) on short-time trials per fiscal year.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

use crate::account::AccountId;
use crate::coaching::{add_months, week_of};
use crate::directory::AgencyId;
use crate::employer::EmployerId;
use crate::person::{PersonId, date_field};
use crate::program::FiscalYear;
use crate::validation::{Problem, Problems, text_field};

/// A trial's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TrialId(pub uuid::Uuid);

/// The course of the grant the trial is run under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrialCourse {
    /// 障害者トライアルコース.
    Standard,
    /// 障害者短時間トライアルコース.
    ShortTime,
}

impl TrialCourse {
    /// Every course, in the order forms list them.
    pub const ALL: [Self; 2] = [Self::Standard, Self::ShortTime];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::ShortTime => "short_time",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == raw.trim())
    }

    /// The longest trial, in months, for a person with (`mental`) or without a mental disability.
    pub fn max_months(self, mental: bool) -> u8 {
        match (self, mental) {
            (Self::Standard, false) => 3,
            (Self::Standard, true) => 6,
            (Self::ShortTime, _) => 12,
        }
    }

    /// The most the grant pays a month, in yen. The standard course's ¥80,000 for a person with
    /// a mental disability is the figure for the first three months; the split after them is not
    /// yet confirmed against the ministry's page, so the higher figure bounds every month.
    pub fn monthly_grant_max(self, mental: bool) -> u32 {
        match (self, mental) {
            (Self::Standard, true) => 80_000,
            _ => 40_000,
        }
    }
}

/// The shortest short-time trial, in months.
pub const SHORT_TIME_MIN_MONTHS: u8 = 3;
/// The weekly hours of regular employment (常用雇用) a short-time trial is planned to reach, in minutes.
pub const REGULAR_WEEK_MINUTES: u16 = 20 * 60;
/// The fewest weekly hours a short-time trial starts at, in minutes.
pub const SHORT_TIME_START_MIN: u16 = 10 * 60;
/// The most weekly hours a trial plans, in minutes (the legal working week).
pub const PLANNED_WEEK_MAX: u16 = 40 * 60;
/// The most hours a week logged as worked, in minutes.
pub const WORKED_WEEK_MAX: u16 = 60 * 60;
/// The most planned rises after the start.
pub const MAX_RISES: usize = 3;

/// From `from` on, the person is planned to work `minutes` a week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursStep {
    /// The first day.
    pub from: Date,
    /// Weekly minutes.
    pub minutes: u16,
}

/// How a trial ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrialOutcome {
    /// 常用雇用へ移行: the employer keeps the person on.
    Hired,
    /// 常用雇用に至らず.
    NotHired,
}

impl TrialOutcome {
    /// Both, in the order forms list them.
    pub const ALL: [Self; 2] = [Self::Hired, Self::NotHired];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Hired => "hired",
            Self::NotHired => "not_hired",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == raw.trim())
    }
}

/// A grant decided for the trial (支給決定).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantDecision {
    /// The day of the decision.
    pub decided_on: Date,
    /// The months it pays for.
    pub months: u8,
    /// The amount, in yen.
    pub amount_yen: u32,
}

/// A trial's plan, how it ended and its grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialFields {
    /// The employer.
    pub employer: EmployerId,
    /// The course.
    pub course: TrialCourse,
    /// 仕事内容.
    pub job: String,
    /// The first day.
    pub starts_on: Date,
    /// The last day planned.
    pub planned_until: Date,
    /// The weekly hours from the start, then each planned rise, in order of day.
    pub steps: Vec<HoursStep>,
    /// The day it ended, once it did.
    pub ended_on: Option<Date>,
    /// How it ended.
    pub outcome: Option<TrialOutcome>,
    /// A note on the outcome.
    pub outcome_note: String,
    /// The grants decided, in the order recorded.
    pub grants: Vec<GrantDecision>,
}

/// A trial: personal data of the person on trial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trial {
    /// Id.
    pub id: TrialId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The person.
    pub person: PersonId,
    /// The agency that arranged it and keeps its record.
    pub agency: AgencyId,
    /// Plan, outcome, grants.
    pub fields: TrialFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

impl Trial {
    /// The last day: the day it ended, else the planned one.
    pub fn last_day(&self) -> Date {
        self.fields.ended_on.unwrap_or(self.fields.planned_until)
    }

    /// The weekly minutes planned in the week of Monday `monday`: the step in force on its last
    /// day of the trial (a rise in the week counts for the week).
    pub fn planned_minutes(&self, monday: Date) -> u16 {
        let day = (monday + Duration::days(6)).min(self.last_day()).max(self.fields.starts_on);
        let steps = &self.fields.steps;
        steps.iter().rev().find(|s| s.from <= day).or(steps.first()).map_or(0, |s| s.minutes)
    }

    /// The day the plan reaches the regular 20 hours a week, if it does.
    pub fn reaches_regular_on(&self) -> Option<Date> {
        self.fields.steps.iter().find(|s| s.minutes >= REGULAR_WEEK_MINUTES).map(|s| s.from)
    }

    /// The Mondays of the trial's weeks up to `today`'s, in order.
    pub fn weeks_until(&self, today: Date) -> Vec<Date> {
        let last = week_of(self.last_day().min(today));
        let mut monday = week_of(self.fields.starts_on);
        let mut out = Vec::new();
        while monday <= last {
            out.push(monday);
            monday += Duration::days(7);
        }
        out
    }

    /// The total of the grants decided.
    pub fn granted_yen(&self) -> u64 {
        self.fields.grants.iter().map(|g| u64::from(g.amount_yen)).sum()
    }
}

/// The hours worked in a week of a trial, as logged from the employer's timesheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrialWeek {
    /// The trial.
    pub trial: TrialId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The person.
    pub person: PersonId,
    /// The week's Monday.
    pub week_of: Date,
    /// Minutes worked.
    pub minutes: u16,
    /// Who logged it.
    pub recorded_by: AccountId,
    /// When.
    pub recorded_at: OffsetDateTime,
}

/// Weekly hours as typed: `18`, `17.5` (hours), `17:30`, `17時間30分`, full-width digits read as
/// such. In minutes; `None` when it is none of these.
pub fn parse_hours(raw: &str) -> Option<u16> {
    use unicode_normalization::UnicodeNormalization;
    let s: String = raw.nfkc().filter(|c| !c.is_whitespace()).collect();
    if s.contains(':') || s.contains('時') || s.ends_with('分') {
        return crate::coaching::parse_minutes(&s);
    }
    let s = s.strip_suffix('h').unwrap_or(&s);
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 2 {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: u16 = whole.parse().ok()?;
    let hundredths: u32 = format!("{fraction:0<2}").parse().ok()?;
    let minutes = (hundredths * 60 + 50) / 100;
    hours.checked_mul(60)?.checked_add(u16::try_from(minutes).ok()?)
}

/// The trial form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrialInput {
    /// The course's code.
    pub course: String,
    /// 仕事内容.
    pub job: String,
    /// The first day.
    pub starts_on: String,
    /// The last day planned.
    pub planned_until: String,
    /// Weekly hours at the start.
    pub start_hours: String,
    /// Up to three planned rises: the day…
    pub rise_on: [String; MAX_RISES],
    /// …and the weekly hours from then.
    pub rise_hours: [String; MAX_RISES],
    /// The day it ended.
    pub trial_ended_on: String,
    /// The outcome's code.
    pub outcome: String,
    /// A note on the outcome.
    pub outcome_note: String,
}

/// The longest job description.
pub const JOB_MAX: u32 = 200;
/// The longest outcome note.
pub const OUTCOME_NOTE_MAX: u32 = 1000;

/// The field names of the rises, in order.
pub const RISE_ON_FIELDS: [&str; MAX_RISES] = ["rise_on_1", "rise_on_2", "rise_on_3"];
/// The field names of the rises' hours, in order.
pub const RISE_HOURS_FIELDS: [&str; MAX_RISES] = ["rise_hours_1", "rise_hours_2", "rise_hours_3"];

fn hours_field(p: &mut Problems, field: &'static str, raw: &str, required: bool) -> Option<u16> {
    match raw.trim() {
        "" => {
            if required {
                p.add(field, "required");
            }
            None
        }
        raw => match parse_hours(raw) {
            Some(m) if m <= PLANNED_WEEK_MAX => Some(m),
            Some(_) => {
                p.push(Problem { field, code: "weekly_hours_range", limit: Some(u32::from(PLANNED_WEEK_MAX / 60)) });
                None
            }
            None => {
                p.add(field, "hours_format");
                None
            }
        },
    }
}

impl TrialInput {
    /// Checks the trial on `today` for a person with (`mental`) or without a mental disability,
    /// and with (`eligible_short_time`) or without a mental or developmental one: the course's
    /// length and hours, rises in order that only rise, a short-time plan that reaches 20 hours,
    /// an end not in the future with its outcome. The grants already decided are kept.
    pub fn validate(
        &self,
        today: Date,
        mental: bool,
        eligible_short_time: bool,
        employer: EmployerId,
        grants: Vec<GrantDecision>,
    ) -> Result<TrialFields, Problems> {
        let mut p = Problems::new();
        let course = match self.course.trim() {
            "" => {
                p.add("course", "required");
                None
            }
            raw => match TrialCourse::parse(raw) {
                Some(TrialCourse::ShortTime) if !eligible_short_time => {
                    p.add("course", "short_time_not_eligible");
                    None
                }
                Some(c) => Some(c),
                None => {
                    p.add("course", "unknown_code");
                    None
                }
            },
        };
        let job = text_field(&mut p, "job", &self.job, JOB_MAX, true);
        let starts_on = date_field(&mut p, "starts_on", &self.starts_on, true);
        let planned_until = date_field(&mut p, "planned_until", &self.planned_until, true);
        if let (Some(start), Some(until), Some(course)) = (starts_on, planned_until, course) {
            let max = course.max_months(mental);
            if until <= start {
                p.add("planned_until", "ends_before_start");
            } else if until >= add_months(start, max) {
                p.push(Problem { field: "planned_until", code: "trial_too_long", limit: Some(max.into()) });
            } else if course == TrialCourse::ShortTime
                && until < add_months(start, SHORT_TIME_MIN_MONTHS) - Duration::days(1)
            {
                p.push(Problem {
                    field: "planned_until",
                    code: "short_time_too_short",
                    limit: Some(SHORT_TIME_MIN_MONTHS.into()),
                });
            }
        }
        let start_minutes = hours_field(&mut p, "start_hours", &self.start_hours, true);
        match (course, start_minutes) {
            (Some(TrialCourse::ShortTime), Some(m)) if !(SHORT_TIME_START_MIN..REGULAR_WEEK_MINUTES).contains(&m) => {
                p.add("start_hours", "short_time_start_range");
            }
            (Some(TrialCourse::Standard), Some(m)) if m < REGULAR_WEEK_MINUTES => {
                p.add("start_hours", "standard_below_regular");
            }
            _ => {}
        }
        let mut steps = Vec::new();
        if let (Some(from), Some(minutes)) = (starts_on, start_minutes) {
            steps.push(HoursStep { from, minutes });
        }
        let mut complete = starts_on.is_some() && start_minutes.is_some();
        for i in 0..MAX_RISES {
            let (on_field, hours_field_name) = (RISE_ON_FIELDS[i], RISE_HOURS_FIELDS[i]);
            let (raw_on, raw_hours) = (self.rise_on[i].trim(), self.rise_hours[i].trim());
            if raw_on.is_empty() && raw_hours.is_empty() {
                continue;
            }
            let on = date_field(&mut p, on_field, raw_on, true);
            let minutes = hours_field(&mut p, hours_field_name, raw_hours, true);
            let (Some(on), Some(minutes)) = (on, minutes) else {
                complete = false;
                continue;
            };
            match steps.last() {
                Some(before) if on <= before.from => p.add(on_field, "rise_out_of_order"),
                Some(before) if minutes <= before.minutes => p.add(hours_field_name, "hours_do_not_rise"),
                _ if planned_until.is_some_and(|u| on > u) => p.add(on_field, "rise_after_trial"),
                _ => {}
            }
            steps.push(HoursStep { from: on, minutes });
        }
        if course == Some(TrialCourse::ShortTime)
            && complete
            && p.is_empty()
            && steps.last().is_some_and(|s| s.minutes < REGULAR_WEEK_MINUTES)
        {
            let field = (0..MAX_RISES).rev().find(|i| !self.rise_hours[*i].trim().is_empty());
            p.add(field.map_or("start_hours", |i| RISE_HOURS_FIELDS[i]), "short_time_never_regular");
        }
        let ended_on = match date_field(&mut p, "trial_ended_on", &self.trial_ended_on, false) {
            Some(d) if d > today => {
                p.add("trial_ended_on", "date_in_future");
                None
            }
            Some(d) if starts_on.is_some_and(|s| d < s) => {
                p.add("trial_ended_on", "ends_before_start");
                None
            }
            Some(d) if planned_until.is_some_and(|u| d > u) => {
                p.add("trial_ended_on", "ends_after_plan");
                None
            }
            other => other,
        };
        let outcome = match self.outcome.trim() {
            "" => None,
            raw => TrialOutcome::parse(raw).or_else(|| {
                p.add("outcome", "unknown_code");
                None
            }),
        };
        if ended_on.is_some() && outcome.is_none() && p.for_field("outcome").is_none() {
            p.add("outcome", "outcome_required");
        }
        if outcome.is_some() && self.trial_ended_on.trim().is_empty() {
            p.add("trial_ended_on", "end_required");
        }
        let outcome_note =
            text_field(&mut p, "outcome_note", &self.outcome_note, OUTCOME_NOTE_MAX, false).unwrap_or_default();
        match (course, job, starts_on, planned_until) {
            (Some(course), Some(job), Some(starts_on), Some(planned_until)) if p.is_empty() => Ok(TrialFields {
                employer,
                course,
                job,
                starts_on,
                planned_until,
                steps,
                ended_on,
                outcome,
                outcome_note,
                grants,
            }),
            _ => Err(p),
        }
    }

    /// The form filled with `fields`.
    pub fn of(fields: &TrialFields) -> Self {
        let hours = |m: u16| hours_text(m);
        let mut rise_on: [String; MAX_RISES] = Default::default();
        let mut rise_hours: [String; MAX_RISES] = Default::default();
        for (i, step) in fields.steps.iter().skip(1).take(MAX_RISES).enumerate() {
            rise_on[i] = step.from.to_string();
            rise_hours[i] = hours(step.minutes);
        }
        Self {
            course: fields.course.code().to_owned(),
            job: fields.job.clone(),
            starts_on: fields.starts_on.to_string(),
            planned_until: fields.planned_until.to_string(),
            start_hours: fields.steps.first().map(|s| hours(s.minutes)).unwrap_or_default(),
            rise_on,
            rise_hours,
            trial_ended_on: fields.ended_on.map(|d| d.to_string()).unwrap_or_default(),
            outcome: fields.outcome.map(|o| o.code().to_owned()).unwrap_or_default(),
            outcome_note: fields.outcome_note.clone(),
        }
    }
}

/// Minutes as the form shows hours: `18`, `17.5`, `17:20`.
pub fn hours_text(minutes: u16) -> String {
    match minutes % 60 {
        0 => (minutes / 60).to_string(),
        30 => format!("{}.5", minutes / 60),
        m => format!("{}:{m:02}", minutes / 60),
    }
}

/// The week form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WeekInput {
    /// A day of the week (its Monday is kept).
    pub week_of: String,
    /// Hours worked.
    pub worked_hours: String,
}

impl WeekInput {
    /// Checks a week of `trial` on `today`: a week of the trial that has begun, 0 to 60 hours.
    pub fn validate(&self, trial: &Trial, today: Date) -> Result<(Date, u16), Problems> {
        let mut p = Problems::new();
        let monday = match date_field(&mut p, "week_of", &self.week_of, true).map(week_of) {
            Some(m) if m > today => {
                p.add("week_of", "week_not_begun");
                None
            }
            Some(m) if m < week_of(trial.fields.starts_on) || m > week_of(trial.last_day()) => {
                p.add("week_of", "outside_trial");
                None
            }
            other => other,
        };
        let minutes = match self.worked_hours.trim() {
            "" => {
                p.add("worked_hours", "required");
                None
            }
            raw => match parse_hours(raw) {
                Some(m) if m <= WORKED_WEEK_MAX => Some(m),
                Some(_) => {
                    p.push(Problem {
                        field: "worked_hours",
                        code: "worked_hours_range",
                        limit: Some(u32::from(WORKED_WEEK_MAX / 60)),
                    });
                    None
                }
                None => {
                    p.add("worked_hours", "hours_format");
                    None
                }
            },
        };
        match (monday, minutes) {
            (Some(m), Some(minutes)) if p.is_empty() => Ok((m, minutes)),
            _ => Err(p),
        }
    }
}

/// The grant form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GrantInput {
    /// The day of the decision.
    pub decided_on: String,
    /// The months it pays for.
    pub grant_months: String,
    /// The amount in yen (`120000`, `120,000円`).
    pub grant_amount: String,
}

/// Yen as typed: digits, with commas and a trailing 円 allowed, full-width read as such.
pub fn parse_yen(raw: &str) -> Option<u32> {
    use unicode_normalization::UnicodeNormalization;
    let s: String = raw.nfkc().filter(|c| !c.is_whitespace() && *c != ',').collect();
    let s = s.strip_suffix('円').unwrap_or(&s);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl GrantInput {
    /// Checks a decision for `trial` on `today`, for a person with (`mental`) or without a mental
    /// disability: on or after the start and not in the future, months that with those decided
    /// before stay within the course, an amount within its monthly most.
    pub fn validate(&self, trial: &Trial, today: Date, mental: bool) -> Result<GrantDecision, Problems> {
        let mut p = Problems::new();
        let course = trial.fields.course;
        let decided_on = match date_field(&mut p, "decided_on", &self.decided_on, true) {
            Some(d) if d > today => {
                p.add("decided_on", "date_in_future");
                None
            }
            Some(d) if d < trial.fields.starts_on => {
                p.add("decided_on", "decided_before_trial");
                None
            }
            other => other,
        };
        let max_months = course.max_months(mental);
        let before: u32 = trial.fields.grants.iter().map(|g| u32::from(g.months)).sum();
        let months = match self.grant_months.trim() {
            "" => {
                p.add("grant_months", "required");
                None
            }
            raw => match raw.parse::<u8>() {
                Ok(m) if m >= 1 && u32::from(m) + before <= u32::from(max_months) => Some(m),
                Ok(m) if m >= 1 => {
                    p.push(Problem {
                        field: "grant_months",
                        code: "grant_months_exceed",
                        limit: Some(max_months.into()),
                    });
                    None
                }
                _ => {
                    p.push(Problem {
                        field: "grant_months",
                        code: "grant_months_range",
                        limit: Some(max_months.into()),
                    });
                    None
                }
            },
        };
        let monthly = course.monthly_grant_max(mental);
        let amount = match self.grant_amount.trim() {
            "" => {
                p.add("grant_amount", "required");
                None
            }
            raw => match (parse_yen(raw), months) {
                (None, _) => {
                    p.add("grant_amount", "yen_format");
                    None
                }
                (Some(0), _) => {
                    p.add("grant_amount", "yen_format");
                    None
                }
                (Some(yen), Some(m)) if u64::from(yen) > u64::from(monthly) * u64::from(m) => {
                    p.push(Problem { field: "grant_amount", code: "grant_over_monthly", limit: Some(monthly) });
                    None
                }
                (Some(yen), _) => Some(yen),
            },
        };
        match (decided_on, months, amount) {
            (Some(decided_on), Some(months), Some(amount_yen)) if p.is_empty() => {
                Ok(GrantDecision { decided_on, months, amount_yen })
            }
            _ => Err(p),
        }
    }
}

/// How a trial's hours keep to the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ramp {
    /// The latest logged weeks in a row that fell short of the plan.
    pub behind: usize,
    /// How far the latest logged week fell short, in minutes.
    pub shortfall: u16,
    /// Weeks begun before this one with no hours logged.
    pub unlogged: usize,
}

impl Ramp {
    /// The ramp falls behind: the latest logged week fell short of the plan.
    pub fn falls_behind(&self) -> bool {
        self.behind > 0
    }
}

/// How `trial` keeps to its plan on `today`, from its logged `weeks` (any order).
pub fn ramp(trial: &Trial, weeks: &[TrialWeek], today: Date) -> Ramp {
    let logged: BTreeMap<Date, u16> =
        weeks.iter().filter(|w| w.trial == trial.id).map(|w| (w.week_of, w.minutes)).collect();
    let this_week = week_of(today);
    let unlogged = trial.weeks_until(today).iter().filter(|m| **m < this_week && !logged.contains_key(m)).count();
    let mut behind = 0;
    let mut shortfall = 0;
    for (monday, minutes) in logged.iter().rev() {
        let planned = trial.planned_minutes(*monday);
        if *minutes >= planned {
            break;
        }
        if behind == 0 {
            shortfall = planned - minutes;
        }
        behind += 1;
    }
    Ramp { behind, shortfall, unlogged }
}

/// Per fiscal year, the grants decided on short-time trials (what program 9-5 counts).
pub fn short_time_grants_by_year<'a>(trials: impl IntoIterator<Item = &'a Trial>) -> BTreeMap<FiscalYear, i64> {
    let mut out = BTreeMap::new();
    for t in trials.into_iter().filter(|t| t.fields.course == TrialCourse::ShortTime) {
        for g in &t.fields.grants {
            *out.entry(FiscalYear::of(g.decided_on)).or_insert(0) += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 07);
    const EMPLOYER: EmployerId = EmployerId(uuid::Uuid::from_u128(9));

    fn short_time() -> TrialInput {
        TrialInput {
            course: "short_time".into(),
            job: "データ入力".into(),
            starts_on: "2026-09-01".into(),
            planned_until: "2027-02-28".into(),
            start_hours: "12".into(),
            rise_on: ["2026-10-01".into(), "2026-12-01".into(), String::new()],
            rise_hours: ["16".into(), "20".into(), String::new()],
            ..TrialInput::default()
        }
    }

    fn codes(p: &Problems) -> Vec<(&'static str, &'static str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    fn trial(fields: TrialFields) -> Trial {
        Trial {
            id: TrialId(uuid::Uuid::from_u128(1)),
            prefecture: "13".into(),
            person: PersonId(uuid::Uuid::from_u128(2)),
            agency: AgencyId(uuid::Uuid::from_u128(3)),
            fields,
            recorded_by: AccountId(uuid::Uuid::from_u128(4)),
            version: 1,
            updated_at: datetime!(2026-09-01 09:00 UTC),
        }
    }

    fn week(t: &Trial, monday: Date, hours: u16) -> TrialWeek {
        TrialWeek {
            trial: t.id,
            prefecture: "13".into(),
            person: t.person,
            week_of: monday,
            minutes: hours * 60,
            recorded_by: t.recorded_by,
            recorded_at: datetime!(2026-09-01 09:00 UTC),
        }
    }

    #[test]
    fn hours_are_read_as_people_type_them() {
        assert_eq!(parse_hours("18"), Some(18 * 60));
        assert_eq!(parse_hours("17.5"), Some(17 * 60 + 30));
        assert_eq!(parse_hours("１７．５"), Some(17 * 60 + 30));
        assert_eq!(parse_hours("17:20"), Some(17 * 60 + 20));
        assert_eq!(parse_hours("17時間30分"), Some(17 * 60 + 30));
        assert_eq!(parse_hours("0"), Some(0));
        assert_eq!(parse_hours("-3"), None);
        assert_eq!(parse_hours("十八"), None);
        assert_eq!(parse_hours("1.234"), None);
        assert_eq!(hours_text(17 * 60 + 30), "17.5");
        assert_eq!(hours_text(20 * 60), "20");
        assert_eq!(parse_yen("１２０，０００円"), Some(120_000));
        assert_eq!(parse_yen("12万"), None);
    }

    #[test]
    fn a_short_time_plan_that_ramps_to_twenty_hours_is_kept_step_by_step() {
        let fields = short_time().validate(TODAY, true, true, EMPLOYER, Vec::new()).expect("valid");
        assert_eq!(fields.steps.len(), 3);
        let t = trial(fields);
        assert_eq!(t.planned_minutes(date!(2026 - 08 - 31)), 12 * 60, "the week the trial starts in");
        assert_eq!(t.planned_minutes(date!(2026 - 10 - 05)), 16 * 60);
        assert_eq!(t.reaches_regular_on(), Some(date!(2026 - 12 - 01)));
        assert_eq!(TrialInput::of(&t.fields), short_time(), "the form reads back as typed");
    }

    #[test]
    fn a_short_time_trial_that_starts_at_twenty_hours_or_never_reaches_them_is_refused() {
        let above = TrialInput { start_hours: "22".into(), ..short_time() };
        let p = above.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert!(codes(&p).contains(&("start_hours", "short_time_start_range")), "{p:?}");
        let below = TrialInput { start_hours: "8".into(), ..short_time() };
        let p = below.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert!(codes(&p).contains(&("start_hours", "short_time_start_range")));
        let flat = TrialInput { rise_hours: ["16".into(), "18".into(), String::new()], ..short_time() };
        let p = flat.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&p), vec![("rise_hours_2", "short_time_never_regular")]);
        let not_eligible = short_time().validate(TODAY, false, false, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&not_eligible), vec![("course", "short_time_not_eligible")]);
    }

    #[test]
    fn lengths_follow_the_course() {
        let long = TrialInput { planned_until: "2027-09-01".into(), ..short_time() };
        let p = long.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&p), vec![("planned_until", "trial_too_long")]);
        let short = TrialInput {
            planned_until: "2026-10-31".into(),
            rise_on: ["2026-10-01".into(), String::new(), String::new()],
            rise_hours: ["20".into(), String::new(), String::new()],
            ..short_time()
        };
        let p = short.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&p), vec![("planned_until", "short_time_too_short")]);
        let standard = TrialInput {
            course: "standard".into(),
            start_hours: "30".into(),
            planned_until: "2026-11-30".into(),
            rise_on: Default::default(),
            rise_hours: Default::default(),
            ..short_time()
        };
        assert!(standard.validate(TODAY, false, false, EMPLOYER, Vec::new()).is_ok(), "three months");
        let six = TrialInput { planned_until: "2027-02-28".into(), ..standard.clone() };
        let p = six.validate(TODAY, false, false, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&p), vec![("planned_until", "trial_too_long")]);
        assert!(six.validate(TODAY, true, true, EMPLOYER, Vec::new()).is_ok(), "six for a mental disability");
        let low = TrialInput { start_hours: "15".into(), ..standard };
        let p = low.validate(TODAY, false, false, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&p), vec![("start_hours", "standard_below_regular")]);
    }

    #[test]
    fn rises_come_in_order_and_only_rise() {
        let backwards =
            TrialInput { rise_on: ["2026-12-01".into(), "2026-10-01".into(), String::new()], ..short_time() };
        let p = backwards.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert!(codes(&p).contains(&("rise_on_2", "rise_out_of_order")));
        let falls = TrialInput { rise_hours: ["16".into(), "14".into(), "20".into()], ..short_time() };
        let falls = TrialInput { rise_on: ["2026-10-01".into(), "2026-11-01".into(), "2026-12-01".into()], ..falls };
        let p = falls.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&p), vec![("rise_hours_2", "hours_do_not_rise")]);
        let half = TrialInput { rise_on: ["2026-10-01".into(), String::new(), String::new()], ..short_time() };
        let p = half.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert!(codes(&p).contains(&("rise_on_2", "required")));
        let over = TrialInput { rise_hours: ["16".into(), "45".into(), String::new()], ..short_time() };
        let p = over.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&p), vec![("rise_hours_2", "weekly_hours_range")]);
    }

    #[test]
    fn an_end_needs_its_outcome_and_lies_within_the_trial() {
        let ended = TrialInput { trial_ended_on: "2026-11-30".into(), ..short_time() };
        let p = ended.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&p), vec![("outcome", "outcome_required")]);
        let hired = TrialInput { outcome: "hired".into(), ..ended };
        assert_eq!(hired.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap().outcome, Some(TrialOutcome::Hired));
        let future = TrialInput { trial_ended_on: "2026-12-24".into(), ..hired.clone() };
        let p = future.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&p), vec![("trial_ended_on", "date_in_future")]);
        let no_end = TrialInput { trial_ended_on: String::new(), ..hired };
        let p = no_end.validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap_err();
        assert_eq!(codes(&p), vec![("trial_ended_on", "end_required")]);
    }

    #[test]
    fn weeks_lie_within_the_trial_and_have_begun() {
        let t = trial(short_time().validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap());
        let ok = WeekInput { week_of: "2026-10-07".into(), worked_hours: "15.5".into() };
        assert_eq!(ok.validate(&t, TODAY), Ok((date!(2026 - 10 - 05), 15 * 60 + 30)));
        let before = WeekInput { week_of: "2026-08-24".into(), ..ok.clone() };
        assert!(codes(&before.validate(&t, TODAY).unwrap_err()).contains(&("week_of", "outside_trial")));
        let ahead = WeekInput { week_of: "2026-12-14".into(), ..ok.clone() };
        assert!(codes(&ahead.validate(&t, TODAY).unwrap_err()).contains(&("week_of", "week_not_begun")));
        let too_many = WeekInput { worked_hours: "61".into(), ..ok };
        assert_eq!(codes(&too_many.validate(&t, TODAY).unwrap_err()), vec![("worked_hours", "worked_hours_range")]);
    }

    #[test]
    fn the_ramp_falls_behind_when_the_latest_weeks_fall_short_of_the_plan() {
        let t = trial(short_time().validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap());
        let weeks = vec![
            week(&t, date!(2026 - 11 - 16), 16),
            week(&t, date!(2026 - 11 - 23), 15),
            week(&t, date!(2026 - 11 - 30), 18),
        ];
        let r = ramp(&t, &weeks, TODAY);
        assert_eq!((r.behind, r.shortfall), (2, 2 * 60), "20 planned from 1 December, 16 before");
        assert!(r.falls_behind());
        let on_plan = vec![week(&t, date!(2026 - 11 - 30), 20)];
        assert!(!ramp(&t, &on_plan, TODAY).falls_behind());
        assert_eq!(ramp(&t, &on_plan, TODAY).unlogged, 13, "fourteen weeks begun before this one, one logged");
    }

    #[test]
    fn grants_stay_within_the_course_and_nine_five_counts_short_time_decisions() {
        let mut t = trial(short_time().validate(TODAY, true, true, EMPLOYER, Vec::new()).unwrap());
        let g =
            GrantInput { decided_on: "2026-12-01".into(), grant_months: "3".into(), grant_amount: "120,000円".into() };
        let decision = g.validate(&t, TODAY, true).expect("valid");
        assert_eq!(decision.amount_yen, 120_000);
        let over = GrantInput { grant_amount: "130000".into(), ..g.clone() };
        assert_eq!(codes(&over.validate(&t, TODAY, true).unwrap_err()), vec![("grant_amount", "grant_over_monthly")]);
        t.fields.grants = vec![GrantDecision { months: 10, ..decision }];
        assert_eq!(codes(&g.validate(&t, TODAY, true).unwrap_err()), vec![("grant_months", "grant_months_exceed")]);
        let early = GrantInput { decided_on: "2026-08-01".into(), ..g };
        assert!(codes(&early.validate(&t, TODAY, true).unwrap_err()).contains(&("decided_on", "decided_before_trial")));
        t.fields.grants.push(GrantDecision { decided_on: date!(2027 - 04 - 02), months: 1, amount_yen: 40_000 });
        let mut standard = t.clone();
        standard.fields.course = TrialCourse::Standard;
        let counts = short_time_grants_by_year([&t, &standard]);
        assert_eq!(counts, BTreeMap::from([(FiscalYear(2026), 1), (FiscalYear(2027), 1)]));
    }
}
