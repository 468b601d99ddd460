//! Job coaching (職場適応援助者, ジョブコーチ): the coaches an agency has, the dispatches
//! (支援計画) that send them to a person's workplace, and each day a coach works on one.
//!
//! A dispatch goes through three phases — 集中支援 (intensive), 移行支援 (handing the support to
//! the company's staff) and フォローアップ — with visits fading from one to the next. Under the
//! 訪問型 grant the intensive and transition phases last at most eight months together and the
//! follow-up at most a year, two for a person with a mental disability (JEED 就業支援ハンドブック);
//! two to four months is the standard, which the pages point out without refusing more. Both the
//! person and the employer agree to the plan before the coach works on it.
//!
//! Programs 9-1 (東京ジョブコーチ: coaches, cases supported, days worked) and 9-3 (persons with a
//! mental disability supported by the 職業センター's coaches, by office) count these records.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month, OffsetDateTime};

use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::employer::EmployerId;
use crate::person::{PersonId, date_field};
use crate::program::FiscalYear;
use crate::validation::{Problem, Problems, text_field};

/// A coach's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CoachId(pub uuid::Uuid);

/// A dispatch's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DispatchId(pub uuid::Uuid);

/// The kind of job coach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoachKind {
    /// 配置型: staff of the 地域障害者職業センター.
    Placed,
    /// 訪問型: employed by a social-welfare corporation or the like.
    Visiting,
    /// 企業在籍型: employed by the hiring company.
    InHouse,
    /// 東京ジョブコーチ: trained and sent by the 東京しごと財団 (program 9-1).
    Tokyo,
}

impl CoachKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [Self; 4] = [Self::Placed, Self::Visiting, Self::InHouse, Self::Tokyo];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Placed => "placed",
            Self::Visiting => "visiting",
            Self::InHouse => "in_house",
            Self::Tokyo => "tokyo",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == raw.trim())
    }
}

/// What an agency records of a coach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachFields {
    /// 氏名.
    pub name: String,
    /// The kind.
    pub kind: CoachKind,
    /// The first day they coach for the agency.
    pub active_from: Date,
    /// The last, once they stopped.
    pub active_until: Option<Date>,
}

/// A coach on an agency's roster. Coaches are staff: their names are not a person's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coach {
    /// Id.
    pub id: CoachId,
    /// The agency they coach for.
    pub agency: AgencyId,
    /// The account they sign in with, if linked: their week is theirs to see.
    pub account: Option<AccountId>,
    /// Name, kind, dates.
    pub fields: CoachFields,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

impl Coach {
    /// They coach on `day`.
    pub fn active_on(&self, day: Date) -> bool {
        self.fields.active_from <= day && self.fields.active_until.is_none_or(|until| day <= until)
    }
}

/// The coach form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CoachInput {
    /// 氏名.
    pub coach_name: String,
    /// The kind's code.
    pub coach_kind: String,
    /// The first day.
    pub active_from: String,
    /// The last day; empty while they coach.
    pub active_until: String,
}

/// The longest name.
pub const NAME_MAX: u32 = 100;

impl CoachInput {
    /// Checks the form: a name, a kind, a first day, and a last day not before it.
    pub fn validate(&self) -> Result<CoachFields, Problems> {
        let mut p = Problems::new();
        let name = text_field(&mut p, "coach_name", &self.coach_name, NAME_MAX, true);
        let kind = match self.coach_kind.trim() {
            "" => {
                p.add("coach_kind", "required");
                None
            }
            raw => CoachKind::parse(raw).or_else(|| {
                p.add("coach_kind", "unknown_code");
                None
            }),
        };
        let from = date_field(&mut p, "active_from", &self.active_from, true);
        let until = date_field(&mut p, "active_until", &self.active_until, false);
        if let (Some(from), Some(until)) = (from, until)
            && until < from
        {
            p.add("active_until", "ends_before_start");
        }
        match (name, kind, from) {
            (Some(name), Some(kind), Some(active_from)) if p.is_empty() => {
                Ok(CoachFields { name, kind, active_from, active_until: until })
            }
            _ => Err(p),
        }
    }

    /// The form filled with `fields`.
    pub fn of(fields: &CoachFields) -> Self {
        Self {
            coach_name: fields.name.clone(),
            coach_kind: fields.kind.code().to_owned(),
            active_from: fields.active_from.to_string(),
            active_until: fields.active_until.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// The phases of a dispatch, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// 集中支援期.
    Intensive,
    /// 移行支援期.
    Transition,
    /// フォローアップ.
    FollowUp,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Self; 3] = [Self::Intensive, Self::Transition, Self::FollowUp];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Intensive => "intensive",
            Self::Transition => "transition",
            Self::FollowUp => "follow_up",
        }
    }
}

/// A phase as planned: its last day and how often the coach visits during it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhasePlan {
    /// The last day planned.
    pub until: Date,
    /// Visits a month planned.
    pub visits_a_month: u8,
}

/// A dispatch's plan (支援計画), and when it actually moved on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispatchFields {
    /// Where the person works.
    pub employer: EmployerId,
    /// The coaches sent, one to four.
    pub coaches: Vec<CoachId>,
    /// The first day of support.
    pub starts_on: Date,
    /// The three phases, in order.
    pub phases: [PhasePlan; 3],
    /// The day the person agreed to the plan.
    pub person_agreed_on: Option<Date>,
    /// The day the employer agreed to it.
    pub employer_agreed_on: Option<Date>,
    /// 支援目標.
    pub goals: String,
    /// The day the transition phase actually began.
    pub transition_began_on: Option<Date>,
    /// The day the follow-up actually began.
    pub follow_up_began_on: Option<Date>,
    /// The day support ended.
    pub ended_on: Option<Date>,
}

/// A dispatch: personal data of the person coached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatch {
    /// Id.
    pub id: DispatchId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The person coached.
    pub person: PersonId,
    /// The agency whose coaches go.
    pub agency: AgencyId,
    /// The plan.
    pub fields: DispatchFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

impl Dispatch {
    /// The phase the dispatch is in on `day` (as it actually moved, else as planned); none
    /// before it starts and after it ended.
    pub fn phase_on(&self, day: Date) -> Option<Phase> {
        let f = &self.fields;
        if day < f.starts_on
            || f.ended_on.is_some_and(|end| day > end)
            || (f.ended_on.is_none() && day > self.last_day())
        {
            return None;
        }
        let follow_up = f.follow_up_began_on.unwrap_or(f.phases[1].until + Duration::days(1));
        let transition = f.transition_began_on.unwrap_or(f.phases[0].until + Duration::days(1));
        Some(if day >= follow_up {
            Phase::FollowUp
        } else if day >= transition {
            Phase::Transition
        } else {
            Phase::Intensive
        })
    }

    /// The last day a coach may work on it: the day it ended, else the follow-up's planned end.
    pub fn last_day(&self) -> Date {
        self.fields.ended_on.unwrap_or(self.fields.phases[2].until)
    }

    /// Both the person and the employer agreed to the plan by `day`.
    pub fn agreed_by(&self, day: Date) -> bool {
        let f = &self.fields;
        f.person_agreed_on.is_some_and(|d| d <= day) && f.employer_agreed_on.is_some_and(|d| d <= day)
    }

    /// The intensive and transition phases are planned longer than the standard four months.
    pub fn longer_than_standard(&self) -> bool {
        self.fields.phases[1].until > add_months(self.fields.starts_on, STANDARD_MONTHS)
    }
}

/// The most coaches one dispatch sends.
pub const MAX_COACHES: usize = 4;
/// The standard length of the intensive and transition phases together, in months.
pub const STANDARD_MONTHS: u8 = 4;
/// The longest the intensive and transition phases may last together, in months.
pub const MAX_SUPPORT_MONTHS: u8 = 8;
/// The longest follow-up, in months; for a person with a mental disability, twice as long.
pub const MAX_FOLLOW_UP_MONTHS: u8 = 12;

/// `day` moved on `months` months (the last day of the month when it has fewer days).
pub fn add_months(day: Date, months: u8) -> Date {
    let index = day.year() * 12 + i32::from(u8::from(day.month())) - 1 + i32::from(months);
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u8 + 1);
    let month = Month::try_from(month).unwrap_or(Month::December);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, day.day().min(last)).unwrap_or(day)
}

/// The dispatch form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DispatchInput {
    /// The coaches' ids.
    pub coaches: Vec<String>,
    /// The first day.
    pub starts_on: String,
    /// The intensive phase's last day.
    pub intensive_until: String,
    /// Its visits a month.
    pub intensive_visits: String,
    /// The transition phase's last day.
    pub transition_until: String,
    /// Its visits a month.
    pub transition_visits: String,
    /// The follow-up's last day.
    pub follow_up_until: String,
    /// Its visits a month.
    pub follow_up_visits: String,
    /// The day the person agreed.
    pub person_agreed_on: String,
    /// The day the employer agreed.
    pub employer_agreed_on: String,
    /// 支援目標.
    pub goals: String,
    /// The day the transition phase began.
    pub transition_began_on: String,
    /// The day the follow-up began.
    pub follow_up_began_on: String,
    /// The day support ended.
    pub support_ended_on: String,
}

/// The longest goals.
pub const GOALS_MAX: u32 = 2000;

impl DispatchInput {
    /// Checks the plan on `today` for a person with (`mental`) or without a mental disability:
    /// one to four coaches, phases in order within the limits, visits that fade, agreements and
    /// actual moves not in the future and in order. The employer is checked by the caller.
    pub fn validate(
        &self,
        today: Date,
        mental: bool,
        employer: EmployerId,
        coach: impl Fn(&str) -> Option<CoachId>,
    ) -> Result<DispatchFields, Problems> {
        let mut p = Problems::new();
        let mut coaches = Vec::new();
        for raw in self.coaches.iter().filter(|c| !c.trim().is_empty()) {
            match coach(raw.trim()) {
                Some(id) if !coaches.contains(&id) => coaches.push(id),
                Some(_) => {}
                None => p.add("coaches", "unknown_coach"),
            }
        }
        if coaches.is_empty() && p.for_field("coaches").is_none() {
            p.add("coaches", "required");
        } else if coaches.len() > MAX_COACHES {
            p.push(Problem { field: "coaches", code: "too_many", limit: Some(MAX_COACHES as u32) });
        }
        let starts_on = date_field(&mut p, "starts_on", &self.starts_on, true);
        let mut phases = Vec::new();
        for (until, visits, field, visits_field) in [
            (&self.intensive_until, &self.intensive_visits, "intensive_until", "intensive_visits"),
            (&self.transition_until, &self.transition_visits, "transition_until", "transition_visits"),
            (&self.follow_up_until, &self.follow_up_visits, "follow_up_until", "follow_up_visits"),
        ] {
            let until = date_field(&mut p, field, until, true);
            let visits = match visits.trim().parse::<u8>() {
                Ok(v) if v <= 31 => Some(v),
                _ if visits.trim().is_empty() => {
                    p.add(visits_field, "required");
                    None
                }
                _ => {
                    p.push(Problem { field: visits_field, code: "visits_range", limit: Some(31) });
                    None
                }
            };
            phases.push((until, visits, field, visits_field));
        }
        // Each phase ends on or after the one before (the first on or after the start).
        let mut before = starts_on;
        for (until, _, field, _) in &phases {
            if let (Some(before), Some(until)) = (before, until)
                && until < &before
            {
                p.add(field, "phase_out_of_order");
            }
            before = until.or(before);
        }
        if let (Some(start), Some(until)) = (starts_on, phases[1].0)
            && until > add_months(start, MAX_SUPPORT_MONTHS)
        {
            p.push(Problem {
                field: "transition_until",
                code: "support_too_long",
                limit: Some(MAX_SUPPORT_MONTHS.into()),
            });
        }
        let follow_up_months = if mental { MAX_FOLLOW_UP_MONTHS * 2 } else { MAX_FOLLOW_UP_MONTHS };
        if let (Some(from), Some(until)) = (phases[1].0, phases[2].0)
            && until > add_months(from, follow_up_months)
        {
            p.push(Problem {
                field: "follow_up_until",
                code: "follow_up_too_long",
                limit: Some(follow_up_months.into()),
            });
        }
        if phases[0].1 == Some(0) {
            p.add("intensive_visits", "visits_required");
        }
        for pair in phases.windows(2) {
            if let (Some(a), Some(b)) = (pair[0].1, pair[1].1)
                && b > a
            {
                p.add(pair[1].3, "visits_do_not_fade");
            }
        }
        let agreed = |p: &mut Problems, field, raw: &str| {
            let d = date_field(p, field, raw, false)?;
            if d > today {
                p.add(field, "date_in_future");
                return None;
            }
            Some(d)
        };
        let person_agreed_on = agreed(&mut p, "person_agreed_on", &self.person_agreed_on);
        let employer_agreed_on = agreed(&mut p, "employer_agreed_on", &self.employer_agreed_on);
        let goals = text_field(&mut p, "goals", &self.goals, GOALS_MAX, true).unwrap_or_default();
        let transition_began_on = agreed(&mut p, "transition_began_on", &self.transition_began_on);
        let follow_up_began_on = agreed(&mut p, "follow_up_began_on", &self.follow_up_began_on);
        let ended_on = agreed(&mut p, "support_ended_on", &self.support_ended_on);
        // Actual moves come in order, after the start.
        let mut before = starts_on;
        for (moved, field) in [
            (transition_began_on, "transition_began_on"),
            (follow_up_began_on, "follow_up_began_on"),
            (ended_on, "support_ended_on"),
        ] {
            if let (Some(before), Some(moved)) = (before, moved)
                && moved < before
            {
                p.add(field, "phase_out_of_order");
            }
            before = moved.or(before);
        }
        let plans: Vec<PhasePlan> = phases
            .iter()
            .filter_map(|(until, visits, _, _)| Some(PhasePlan { until: (*until)?, visits_a_month: (*visits)? }))
            .collect();
        match (starts_on, <[PhasePlan; 3]>::try_from(plans)) {
            (Some(starts_on), Ok(phases)) if p.is_empty() => Ok(DispatchFields {
                employer,
                coaches,
                starts_on,
                phases,
                person_agreed_on,
                employer_agreed_on,
                goals,
                transition_began_on,
                follow_up_began_on,
                ended_on,
            }),
            _ => Err(p),
        }
    }

    /// The form filled with `fields`.
    pub fn of(fields: &DispatchFields) -> Self {
        let d = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let [a, b, c] = fields.phases;
        Self {
            coaches: fields.coaches.iter().map(|c| c.0.to_string()).collect(),
            starts_on: fields.starts_on.to_string(),
            intensive_until: a.until.to_string(),
            intensive_visits: a.visits_a_month.to_string(),
            transition_until: b.until.to_string(),
            transition_visits: b.visits_a_month.to_string(),
            follow_up_until: c.until.to_string(),
            follow_up_visits: c.visits_a_month.to_string(),
            person_agreed_on: d(fields.person_agreed_on),
            employer_agreed_on: d(fields.employer_agreed_on),
            goals: fields.goals.clone(),
            transition_began_on: d(fields.transition_began_on),
            follow_up_began_on: d(fields.follow_up_began_on),
            support_ended_on: d(fields.ended_on),
        }
    }
}

/// A day's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CoachDayId(pub uuid::Uuid);

/// What a coach did on a day at the workplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// 作業指導: teaching the tasks.
    Tasks,
    /// 職場内のコミュニケーション支援.
    Communication,
    /// 事業主・同僚への助言 (toward natural support).
    EmployerAdvice,
    /// 家族への支援.
    Family,
    /// 通勤支援.
    Commuting,
    /// 関係機関との調整.
    Coordination,
}

impl Activity {
    /// Every activity, in the order forms list them.
    pub const ALL: [Self; 6] =
        [Self::Tasks, Self::Communication, Self::EmployerAdvice, Self::Family, Self::Commuting, Self::Coordination];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Tasks => "tasks",
            Self::Communication => "communication",
            Self::EmployerAdvice => "employer_advice",
            Self::Family => "family",
            Self::Commuting => "commuting",
            Self::Coordination => "coordination",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == raw.trim())
    }
}

/// A day a coach worked on a dispatch (稼働日).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachDay {
    /// Id.
    pub id: CoachDayId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The dispatch.
    pub dispatch: DispatchId,
    /// The person coached.
    pub person: PersonId,
    /// The coach.
    pub coach: CoachId,
    /// The day.
    pub on: Date,
    /// Minutes worked on the case that day.
    pub minutes: u16,
    /// What was done.
    pub activities: Vec<Activity>,
    /// A note.
    pub note: String,
    /// Who logged it.
    pub recorded_by: AccountId,
    /// When.
    pub recorded_at: OffsetDateTime,
}

/// The most minutes a coach works in one day, all cases together.
pub const DAY_MINUTES_MAX: u16 = 12 * 60;
/// The longest note of a day.
pub const DAY_NOTE_MAX: u32 = 1000;

/// The day form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DayInput {
    /// The coach's id.
    pub coach: String,
    /// The day.
    pub worked_on: String,
    /// Hours and minutes (`2:30`, `2時間30分`) or minutes (`150`).
    pub duration: String,
    /// Activity codes.
    pub activities: Vec<String>,
    /// A note.
    pub day_note: String,
}

/// A duration as typed: `150` (minutes), `2:30`, `2時間30分`, `2時間`, `90分`, full-width digits
/// read as such. `None` when it is none of these.
pub fn parse_minutes(raw: &str) -> Option<u16> {
    use unicode_normalization::UnicodeNormalization;
    let s: String = raw.nfkc().filter(|c| !c.is_whitespace()).collect();
    let number = |s: &str| if s.is_empty() { Some(0) } else { s.parse::<u16>().ok() };
    if let Some((h, m)) = s.split_once(':') {
        let (h, m) = (number(h)?, number(m)?);
        return (m < 60).then(|| h.checked_mul(60)?.checked_add(m)).flatten();
    }
    if let Some((h, rest)) = s.split_once("時間") {
        let m = number(rest.strip_suffix('分').unwrap_or(rest))?;
        return (m < 60).then(|| number(h)?.checked_mul(60)?.checked_add(m)).flatten();
    }
    number(s.strip_suffix('分').unwrap_or(&s)).filter(|_| !s.is_empty())
}

impl DayInput {
    /// Checks a day of `dispatch` on `today`: a coach of the dispatch, a day within it, agreed
    /// by both the person and the employer by then and not in the future, a duration of one
    /// minute to twelve hours, what was done.
    pub fn validate(
        &self,
        dispatch: &Dispatch,
        today: Date,
    ) -> Result<(CoachId, Date, u16, Vec<Activity>, String), Problems> {
        let mut p = Problems::new();
        let coach = uuid::Uuid::parse_str(self.coach.trim()).ok().map(CoachId);
        let coach = match coach {
            Some(c) if dispatch.fields.coaches.contains(&c) => Some(c),
            _ if self.coach.trim().is_empty() => {
                p.add("coach", "required");
                None
            }
            _ => {
                p.add("coach", "not_a_coach_of_the_dispatch");
                None
            }
        };
        let on = match date_field(&mut p, "worked_on", &self.worked_on, true) {
            Some(d) if d > today => {
                p.add("worked_on", "date_in_future");
                None
            }
            Some(d) if d < dispatch.fields.starts_on || d > dispatch.last_day() => {
                p.add("worked_on", "outside_dispatch");
                None
            }
            Some(d) if !dispatch.agreed_by(d) => {
                p.add("worked_on", "plan_not_agreed");
                None
            }
            other => other,
        };
        let minutes = match self.duration.trim() {
            "" => {
                p.add("duration", "required");
                None
            }
            raw => match parse_minutes(raw) {
                Some(m) if (1..=DAY_MINUTES_MAX).contains(&m) => Some(m),
                Some(_) => {
                    p.push(Problem { field: "duration", code: "duration_range", limit: Some(DAY_MINUTES_MAX.into()) });
                    None
                }
                None => {
                    p.add("duration", "duration_format");
                    None
                }
            },
        };
        let mut activities = Vec::new();
        for raw in self.activities.iter().filter(|a| !a.trim().is_empty()) {
            match Activity::parse(raw) {
                Some(a) if !activities.contains(&a) => activities.push(a),
                Some(_) => {}
                None => p.add("activities", "unknown_code"),
            }
        }
        if activities.is_empty() && p.for_field("activities").is_none() {
            p.add("activities", "required");
        }
        let note = text_field(&mut p, "day_note", &self.day_note, DAY_NOTE_MAX, false).unwrap_or_default();
        match (coach, on, minutes) {
            (Some(coach), Some(on), Some(minutes)) if p.is_empty() => Ok((coach, on, minutes, activities, note)),
            _ => Err(p),
        }
    }
}

/// A coach's figures in a fiscal year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoachTotals {
    /// Dispatches worked on.
    pub cases: usize,
    /// Days worked (a day on two cases is one day).
    pub days: usize,
    /// Minutes worked.
    pub minutes: u32,
}

/// Per coach, their figures in fiscal year `year` from `days` (any order).
pub fn totals_by_coach<'a>(
    days: impl IntoIterator<Item = &'a CoachDay>,
    year: FiscalYear,
) -> BTreeMap<CoachId, CoachTotals> {
    let mut sets: BTreeMap<CoachId, (BTreeSet<DispatchId>, BTreeSet<Date>, u32)> = BTreeMap::new();
    for d in days.into_iter().filter(|d| FiscalYear::of(d.on) == year) {
        let (cases, dates, minutes) = sets.entry(d.coach).or_default();
        cases.insert(d.dispatch);
        dates.insert(d.on);
        *minutes += u32::from(d.minutes);
    }
    sets.into_iter()
        .map(|(coach, (cases, dates, minutes))| (coach, CoachTotals { cases: cases.len(), days: dates.len(), minutes }))
        .collect()
}

/// What programs 9-1 and 9-3 count in a fiscal year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearFigures {
    /// 9-1: 東京ジョブコーチ on the rosters at the year's end (or its last day so far).
    pub tokyo_coaches: i64,
    /// 9-1: dispatches a 東京ジョブコーチ worked on in the year (支援件数).
    pub tokyo_cases: i64,
    /// 9-1: days a 東京ジョブコーチ worked, one per coach and day (稼働延日数).
    pub tokyo_days: i64,
    /// 9-3: persons with a mental disability a 配置型 or 訪問型 coach of a 職業センター worked
    /// with in the year, per office (the agency's name).
    pub mental_by_office: BTreeMap<String, i64>,
}

/// The figures of every fiscal year with a day worked in it (and the current one, for the
/// coaches on the rosters). `office` names a coach's 職業センター office when the coach is one
/// of its (none for other agencies); `mental` says whether a person has a mental disability.
pub fn year_figures(
    coaches: &[Coach],
    days: &[CoachDay],
    today: Date,
    office: impl Fn(AgencyId) -> Option<String>,
    mental: impl Fn(PersonId) -> bool,
) -> BTreeMap<FiscalYear, YearFigures> {
    let mut out: BTreeMap<FiscalYear, YearFigures> = BTreeMap::new();
    let by_id: BTreeMap<CoachId, &Coach> = coaches.iter().map(|c| (c.id, c)).collect();
    let mut cases: BTreeMap<FiscalYear, BTreeSet<DispatchId>> = BTreeMap::new();
    let mut coach_days: BTreeMap<FiscalYear, BTreeSet<(CoachId, Date)>> = BTreeMap::new();
    let mut persons: BTreeMap<(FiscalYear, String), BTreeSet<uuid::Uuid>> = BTreeMap::new();
    for d in days {
        let Some(coach) = by_id.get(&d.coach) else { continue };
        let year = FiscalYear::of(d.on);
        out.entry(year).or_default();
        match coach.fields.kind {
            CoachKind::Tokyo => {
                cases.entry(year).or_default().insert(d.dispatch);
                coach_days.entry(year).or_default().insert((d.coach, d.on));
            }
            CoachKind::Placed | CoachKind::Visiting => {
                if let Some(office) = office(coach.agency)
                    && mental(d.person)
                {
                    persons.entry((year, office)).or_default().insert(d.person.0);
                }
            }
            CoachKind::InHouse => {}
        }
    }
    out.entry(FiscalYear::of(today)).or_default();
    for (year, figures) in &mut out {
        let end = Date::from_calendar_date(year.0 + 1, Month::March, 31).unwrap_or(today).min(today);
        figures.tokyo_coaches =
            coaches.iter().filter(|c| c.fields.kind == CoachKind::Tokyo && c.active_on(end)).count() as i64;
        figures.tokyo_cases = cases.get(year).map_or(0, |s| s.len() as i64);
        figures.tokyo_days = coach_days.get(year).map_or(0, |s| s.len() as i64);
    }
    for ((year, office), who) in persons {
        out.entry(year).or_default().mental_by_office.insert(office, who.len() as i64);
    }
    out
}

/// The Monday of the week holding `day`.
pub fn week_of(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    fn plan() -> DispatchInput {
        DispatchInput {
            coaches: vec![uuid::Uuid::from_u128(1).to_string()],
            starts_on: "2026-10-01".into(),
            intensive_until: "2026-10-31".into(),
            intensive_visits: "12".into(),
            transition_until: "2026-12-31".into(),
            transition_visits: "4".into(),
            follow_up_until: "2027-06-30".into(),
            follow_up_visits: "1".into(),
            person_agreed_on: "2026-09-25".into(),
            employer_agreed_on: "2026-09-28".into(),
            goals: "ピッキングの手順を一人でこなす".into(),
            ..DispatchInput::default()
        }
    }

    const TODAY: Date = date!(2026 - 12 - 06);
    const EMPLOYER: EmployerId = EmployerId(uuid::Uuid::from_u128(9));

    fn known(raw: &str) -> Option<CoachId> {
        uuid::Uuid::parse_str(raw).ok().filter(|u| u.as_u128() < 10).map(CoachId)
    }

    fn codes(p: &Problems) -> Vec<(&str, &str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    fn dispatch(fields: DispatchFields) -> Dispatch {
        Dispatch {
            id: DispatchId(uuid::Uuid::from_u128(5)),
            prefecture: "13".into(),
            person: PersonId(uuid::Uuid::from_u128(6)),
            agency: AgencyId(uuid::Uuid::from_u128(7)),
            fields,
            recorded_by: AccountId(uuid::Uuid::from_u128(8)),
            version: 1,
            updated_at: datetime!(2026-10-01 0:00 UTC),
        }
    }

    #[test]
    fn a_plan_fades_through_its_phases_and_reads_back() {
        let fields = plan().validate(TODAY, false, EMPLOYER, known).unwrap();
        assert_eq!(fields.phases.map(|p| p.visits_a_month), [12, 4, 1]);
        assert_eq!(DispatchInput::of(&fields).validate(TODAY, false, EMPLOYER, known), Ok(fields.clone()));
        let d = dispatch(fields);
        assert_eq!(d.phase_on(date!(2026 - 09 - 30)), None);
        assert_eq!(d.phase_on(date!(2026 - 10 - 31)), Some(Phase::Intensive));
        assert_eq!(d.phase_on(date!(2026 - 11 - 01)), Some(Phase::Transition));
        assert_eq!(d.phase_on(date!(2027 - 01 - 01)), Some(Phase::FollowUp));
        assert_eq!(d.phase_on(date!(2027 - 07 - 01)), None);
        assert!(!d.longer_than_standard(), "three months");
        assert!(d.agreed_by(date!(2026 - 10 - 01)) && !d.agreed_by(date!(2026 - 09 - 26)));
    }

    #[test]
    fn the_limits_of_a_plan_are_named_on_their_fields() {
        let mut long = plan();
        long.transition_until = "2027-06-02".into();
        long.follow_up_until = "2028-06-03".into();
        long.follow_up_visits = "6".into();
        let p = long.validate(TODAY, false, EMPLOYER, known).unwrap_err();
        assert_eq!(
            codes(&p),
            [
                ("transition_until", "support_too_long"),
                ("follow_up_until", "follow_up_too_long"),
                ("follow_up_visits", "visits_do_not_fade")
            ]
        );
        // A person with a mental disability may be followed up for two years.
        let mut mental = plan();
        mental.follow_up_until = "2028-12-31".into();
        assert!(mental.validate(TODAY, true, EMPLOYER, known).is_ok());
        assert!(mental.validate(TODAY, false, EMPLOYER, known).is_err());
        let mut wrong = plan();
        wrong.coaches = vec!["someone".into()];
        wrong.intensive_until = "2026-09-30".into();
        wrong.person_agreed_on = "2026-12-07".into();
        wrong.goals = String::new();
        wrong.support_ended_on = "2026-09-01".into();
        let p = wrong.validate(TODAY, false, EMPLOYER, known).unwrap_err();
        assert_eq!(
            codes(&p),
            [
                ("coaches", "unknown_coach"),
                ("intensive_until", "phase_out_of_order"),
                ("person_agreed_on", "date_in_future"),
                ("goals", "required"),
                ("support_ended_on", "phase_out_of_order")
            ]
        );
    }

    #[test]
    fn a_day_is_within_the_agreed_dispatch_and_adds_up() {
        let d = dispatch(plan().validate(TODAY, false, EMPLOYER, known).unwrap());
        let input = |coach: u128, on: &str, duration: &str| DayInput {
            coach: uuid::Uuid::from_u128(coach).to_string(),
            worked_on: on.into(),
            duration: duration.into(),
            activities: vec!["tasks".into()],
            day_note: String::new(),
        };
        let (_, on, minutes, activities, _) = input(1, "2026-10-05", "2時間30分").validate(&d, TODAY).unwrap();
        assert_eq!((on, minutes, activities), (date!(2026 - 10 - 05), 150, vec![Activity::Tasks]));
        let refused = |i: DayInput| {
            codes(&i.validate(&d, TODAY).unwrap_err()).into_iter().map(|(f, c)| format!("{f}:{c}")).collect::<Vec<_>>()
        };
        assert_eq!(refused(input(2, "2026-10-05", "1:00")), ["coach:not_a_coach_of_the_dispatch"]);
        assert_eq!(refused(input(1, "2026-09-30", "1:00")), ["worked_on:outside_dispatch"]);
        assert_eq!(refused(input(1, "2026-12-07", "1:00")), ["worked_on:date_in_future"]);
        assert_eq!(refused(input(1, "2026-10-05", "13:00")), ["duration:duration_range"]);
        assert_eq!(refused(input(1, "2026-10-05", "1:75")), ["duration:duration_format"]);
        let mut unagreed = d.clone();
        unagreed.fields.employer_agreed_on = Some(date!(2026 - 10 - 10));
        assert_eq!(
            codes(&input(1, "2026-10-05", "60").validate(&unagreed, TODAY).unwrap_err()),
            [("worked_on", "plan_not_agreed")]
        );
    }

    #[test]
    fn durations_are_read_as_offices_type_them() {
        for (raw, minutes) in [
            ("150", Some(150)),
            ("２：３０", Some(150)),
            ("2時間", Some(120)),
            ("90分", Some(90)),
            ("1時間5分", Some(65)),
            ("", None),
            ("abc", None),
            ("1:60", None),
        ] {
            assert_eq!(parse_minutes(raw), minutes, "{raw}");
        }
    }

    #[test]
    fn the_years_figures_count_coaches_cases_days_and_persons() {
        let coach = |n: u128, kind, agency: u128, until| Coach {
            id: CoachId(uuid::Uuid::from_u128(n)),
            agency: AgencyId(uuid::Uuid::from_u128(agency)),
            account: None,
            fields: CoachFields {
                name: format!("coach {n}"),
                kind,
                active_from: date!(2020 - 04 - 01),
                active_until: until,
            },
            version: 1,
            updated_at: datetime!(2026-01-01 0:00 UTC),
        };
        let coaches = [
            coach(1, CoachKind::Tokyo, 50, None),
            coach(2, CoachKind::Tokyo, 50, Some(date!(2025 - 12 - 31))),
            coach(3, CoachKind::Placed, 60, None),
        ];
        let day = |coach: u128, dispatch: u128, person: u128, on: Date| CoachDay {
            id: CoachDayId(uuid::Uuid::from_u128(dispatch * 1_000_000 + coach * 1_000 + on.ordinal() as u128)),
            prefecture: "13".into(),
            dispatch: DispatchId(uuid::Uuid::from_u128(dispatch)),
            person: PersonId(uuid::Uuid::from_u128(person)),
            coach: CoachId(uuid::Uuid::from_u128(coach)),
            on,
            minutes: 60,
            activities: vec![Activity::Tasks],
            note: String::new(),
            recorded_by: AccountId(uuid::Uuid::from_u128(1)),
            recorded_at: datetime!(2026-01-01 0:00 UTC),
        };
        let days = [
            day(1, 10, 100, date!(2025 - 05 - 01)),
            day(1, 11, 101, date!(2025 - 05 - 01)),
            day(2, 10, 100, date!(2025 - 05 - 01)),
            day(1, 10, 100, date!(2025 - 05 - 02)),
            day(3, 12, 102, date!(2025 - 06 - 01)),
            day(3, 12, 102, date!(2025 - 06 - 02)),
            day(3, 13, 103, date!(2025 - 06 - 02)),
        ];
        let figures = year_figures(
            &coaches,
            &days,
            TODAY,
            |a| (a.0.as_u128() == 60).then(|| "本所".to_owned()),
            |p| p.0.as_u128() != 103,
        );
        let fy2025 = &figures[&FiscalYear(2025)];
        assert_eq!(
            (fy2025.tokyo_coaches, fy2025.tokyo_cases, fy2025.tokyo_days),
            (1, 2, 3),
            "coach 2 left in December"
        );
        assert_eq!(fy2025.mental_by_office, BTreeMap::from([("本所".to_owned(), 1)]));
        assert_eq!(figures[&FiscalYear(2026)].tokyo_coaches, 1, "this year so far");
        let totals = totals_by_coach(&days, FiscalYear(2025));
        assert_eq!(totals[&CoachId(uuid::Uuid::from_u128(1))], CoachTotals { cases: 2, days: 2, minutes: 180 });
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(week_of(date!(2026 - 12 - 06)), date!(2026 - 11 - 30));
    }
}
