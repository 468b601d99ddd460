//! Return to work (職場復帰支援, リワーク): an employee on leave — with depression and the like —
//! going back to their job with the help of a 地域障害者職業センター.
//!
//! The centre's coordinator (職場復帰支援コーディネーター) first brings the three parties — the
//! employee, the employer's contact and the attending doctor (主治医) — to agree on the activities
//! and their schedule (合意形成). Only then does the warm-up (リワーク支援) begin, in three phases:
//! building a daily rhythm (生活リズムの構築), coping with stress (ストレスへの対処), and adjusting
//! with the company (会社との調整). It ends with the return (復職), or not.
//!
//! Program 9-2 counts, per fiscal year and office (本所・支所), the persons the coordinator worked
//! with and the persons in the warm-up.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::employer::EmployerId;
use crate::person::{PersonId, date_field};
use crate::program::FiscalYear;
use crate::validation::{Problems, text_field};

/// A return-to-work plan's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReturnPlanId(pub uuid::Uuid);

/// The warm-up's phases, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarmUp {
    /// 生活リズムの構築.
    Rhythm,
    /// ストレスへの対処.
    Stress,
    /// 会社との調整.
    Adjustment,
}

impl WarmUp {
    /// Every phase, in order.
    pub const ALL: [Self; 3] = [Self::Rhythm, Self::Stress, Self::Adjustment];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Rhythm => "rhythm",
            Self::Stress => "stress",
            Self::Adjustment => "adjustment",
        }
    }
}

/// A phase of the warm-up as planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarmUpPlan {
    /// Its first day.
    pub from: Date,
    /// Its last day.
    pub until: Date,
}

/// How a return-to-work support ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnOutcome {
    /// 復職した.
    Returned,
    /// 休職を延長した.
    LeaveExtended,
    /// 退職した.
    Left,
}

impl ReturnOutcome {
    /// Every outcome, in the order forms list them.
    pub const ALL: [Self; 3] = [Self::Returned, Self::LeaveExtended, Self::Left];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Returned => "returned",
            Self::LeaveExtended => "leave_extended",
            Self::Left => "left",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == raw.trim())
    }
}

/// A return-to-work plan: the three parties, their agreement, the warm-up and the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnPlanFields {
    /// The employer the person is on leave from.
    pub employer: EmployerId,
    /// The employer's contact (department and name).
    pub employer_contact: String,
    /// The attending doctor (clinic and name).
    pub doctor: String,
    /// The day the leave began.
    pub leave_began_on: Date,
    /// The day the coordinator began (the first consultation).
    pub coordination_began_on: Date,
    /// The day the person agreed to the plan.
    pub person_agreed_on: Option<Date>,
    /// The day the employer agreed.
    pub employer_agreed_on: Option<Date>,
    /// The day the doctor agreed.
    pub doctor_agreed_on: Option<Date>,
    /// The activities and schedule agreed (合意の内容).
    pub activities: String,
    /// The warm-up's three phases as planned, in order.
    pub phases: [WarmUpPlan; 3],
    /// The day the warm-up actually began.
    pub support_began_on: Option<Date>,
    /// The day the person went back to work.
    pub returned_on: Option<Date>,
    /// The day the support ended.
    pub ended_on: Option<Date>,
    /// How it ended.
    pub outcome: Option<ReturnOutcome>,
    /// A note on the outcome.
    pub outcome_note: String,
}

/// A return-to-work plan: personal data of the employee on leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnPlan {
    /// Id.
    pub id: ReturnPlanId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The person.
    pub person: PersonId,
    /// The centre that coordinates and supports.
    pub agency: AgencyId,
    /// The plan.
    pub fields: ReturnPlanFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

impl ReturnPlan {
    /// The day all three parties had agreed, once they all did.
    pub fn agreed_on(&self) -> Option<Date> {
        let f = &self.fields;
        Some(f.person_agreed_on?.max(f.employer_agreed_on?).max(f.doctor_agreed_on?))
    }

    /// The parties that have not agreed yet (`person`, `employer`, `doctor`).
    pub fn awaiting(&self) -> Vec<&'static str> {
        let f = &self.fields;
        [("person", f.person_agreed_on), ("employer", f.employer_agreed_on), ("doctor", f.doctor_agreed_on)]
            .into_iter()
            .filter(|(_, d)| d.is_none())
            .map(|(who, _)| who)
            .collect()
    }

    /// The last day of coordination: the day before the warm-up began, else the day it ended,
    /// else none (it goes on).
    pub fn coordination_until(&self) -> Option<Date> {
        let f = &self.fields;
        f.support_began_on.and_then(|d| d.previous_day()).or(f.ended_on)
    }

    /// The day up to which the plan stays on its centre's list: the day it ended, else none
    /// ([`OPEN_END`]) — a plan past its planned end without an outcome is one to look at.
    pub fn listed_until(&self) -> Date {
        self.fields.ended_on.unwrap_or(OPEN_END)
    }

    /// The warm-up phase on `day` (by its plan), once the warm-up began and until it ended.
    pub fn phase_on(&self, day: Date) -> Option<WarmUp> {
        let f = &self.fields;
        if f.support_began_on.is_none_or(|b| day < b) || f.ended_on.is_some_and(|e| day > e) {
            return None;
        }
        WarmUp::ALL.into_iter().zip(f.phases).rev().find(|(_, p)| p.from <= day).map(|(w, _)| w)
    }
}

/// The plan form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnPlanInput {
    /// The employer's contact.
    pub employer_contact: String,
    /// The attending doctor.
    pub doctor: String,
    /// The day the leave began.
    pub leave_began_on: String,
    /// The day the coordinator began.
    pub coordination_began_on: String,
    /// The day the person agreed.
    pub person_agreed_on: String,
    /// The day the employer agreed.
    pub employer_agreed_on: String,
    /// The day the doctor agreed.
    pub doctor_agreed_on: String,
    /// The activities and schedule agreed.
    pub agreed_activities: String,
    /// 生活リズムの構築: first and last day.
    pub rhythm_from: String,
    /// Its last day.
    pub rhythm_until: String,
    /// ストレスへの対処: first day.
    pub stress_from: String,
    /// Its last day.
    pub stress_until: String,
    /// 会社との調整: first day.
    pub adjustment_from: String,
    /// Its last day.
    pub adjustment_until: String,
    /// The day the warm-up began.
    pub support_began_on: String,
    /// The day the person went back to work.
    pub returned_on: String,
    /// The day the support ended.
    pub return_ended_on: String,
    /// The outcome's code.
    pub return_outcome: String,
    /// A note on the progress and outcome.
    pub return_note: String,
}

/// The day a plan that has not ended is listed until.
pub const OPEN_END: Date = time::macros::date!(9999 - 12 - 31);

/// The longest contact or doctor.
pub const PARTY_MAX: u32 = 200;
/// The longest activities and schedule.
pub const ACTIVITIES_MAX: u32 = 2000;
/// The longest outcome note.
pub const OUTCOME_NOTE_MAX: u32 = 1000;

impl ReturnPlanInput {
    /// Checks the plan on `today`: all three parties named (the employer by the caller), days
    /// in order and not ahead where they record what happened, the warm-up begun only once all
    /// three had agreed, a return within the support, an end with its outcome.
    pub fn validate(&self, today: Date, employer: EmployerId) -> Result<ReturnPlanFields, Problems> {
        let mut p = Problems::new();
        let employer_contact = text_field(&mut p, "employer_contact", &self.employer_contact, PARTY_MAX, true);
        let doctor = text_field(&mut p, "doctor", &self.doctor, PARTY_MAX, true);
        let happened = |p: &mut Problems, field: &'static str, raw: &str, required: bool| {
            let d = date_field(p, field, raw, required)?;
            if d > today {
                p.add(field, "date_in_future");
                return None;
            }
            Some(d)
        };
        let leave_began_on = happened(&mut p, "leave_began_on", &self.leave_began_on, true);
        let coordination_began_on = happened(&mut p, "coordination_began_on", &self.coordination_began_on, true);
        if let (Some(leave), Some(began)) = (leave_began_on, coordination_began_on)
            && began < leave
        {
            p.add("coordination_began_on", "before_leave");
        }
        let mut agreed = |field: &'static str, raw: &str| {
            let d = happened(&mut p, field, raw, false)?;
            if coordination_began_on.is_some_and(|c| d < c) {
                p.add(field, "before_coordination");
                return None;
            }
            Some(d)
        };
        let person_agreed_on = agreed("person_agreed_on", &self.person_agreed_on);
        let employer_agreed_on = agreed("employer_agreed_on", &self.employer_agreed_on);
        let doctor_agreed_on = agreed("doctor_agreed_on", &self.doctor_agreed_on);
        let activities = text_field(&mut p, "agreed_activities", &self.agreed_activities, ACTIVITIES_MAX, true);
        let mut phases = Vec::new();
        let mut before = coordination_began_on;
        for (from, until, from_field, until_field) in [
            (&self.rhythm_from, &self.rhythm_until, "rhythm_from", "rhythm_until"),
            (&self.stress_from, &self.stress_until, "stress_from", "stress_until"),
            (&self.adjustment_from, &self.adjustment_until, "adjustment_from", "adjustment_until"),
        ] {
            let from = date_field(&mut p, from_field, from, true);
            let until = date_field(&mut p, until_field, until, true);
            if let (Some(before), Some(from)) = (before, from)
                && from < before
            {
                p.add(from_field, "phase_out_of_order");
            }
            if let (Some(from), Some(until)) = (from, until)
                && until < from
            {
                p.add(until_field, "ends_before_start");
            }
            before = until.or(from).or(before);
            if let (Some(from), Some(until)) = (from, until) {
                phases.push(WarmUpPlan { from, until });
            }
        }
        let support_began_on = happened(&mut p, "support_began_on", &self.support_began_on, false);
        if let Some(began) = support_began_on {
            let all = [person_agreed_on, employer_agreed_on, doctor_agreed_on];
            if all.iter().any(|d| d.is_none_or(|d| d > began)) && p.for_field("support_began_on").is_none() {
                p.add("support_began_on", "three_parties_not_agreed");
            }
        }
        let returned_on = happened(&mut p, "returned_on", &self.returned_on, false);
        if let Some(returned) = returned_on
            && support_began_on.is_none_or(|b| returned < b)
        {
            p.add("returned_on", "returned_before_support");
        }
        let ended_on = happened(&mut p, "return_ended_on", &self.return_ended_on, false);
        if let (Some(ended), Some(start)) = (ended_on, coordination_began_on)
            && ended < start
        {
            p.add("return_ended_on", "ends_before_start");
        }
        let outcome = match self.return_outcome.trim() {
            "" => None,
            raw => ReturnOutcome::parse(raw).or_else(|| {
                p.add("return_outcome", "unknown_code");
                None
            }),
        };
        match (ended_on, outcome) {
            (Some(_), None) if p.for_field("return_outcome").is_none() => p.add("return_outcome", "outcome_required"),
            (None, Some(_)) if self.return_ended_on.trim().is_empty() => p.add("return_ended_on", "end_required"),
            _ => {}
        }
        if outcome == Some(ReturnOutcome::Returned) && self.returned_on.trim().is_empty() {
            p.add("returned_on", "return_day_required");
        }
        let outcome_note =
            text_field(&mut p, "return_note", &self.return_note, OUTCOME_NOTE_MAX, false).unwrap_or_default();
        match (
            employer_contact,
            doctor,
            leave_began_on,
            coordination_began_on,
            activities,
            <[WarmUpPlan; 3]>::try_from(phases),
        ) {
            (
                Some(employer_contact),
                Some(doctor),
                Some(leave_began_on),
                Some(coordination_began_on),
                Some(activities),
                Ok(phases),
            ) if p.is_empty() => Ok(ReturnPlanFields {
                employer,
                employer_contact,
                doctor,
                leave_began_on,
                coordination_began_on,
                person_agreed_on,
                employer_agreed_on,
                doctor_agreed_on,
                activities,
                phases,
                support_began_on,
                returned_on,
                ended_on,
                outcome,
                outcome_note,
            }),
            _ => Err(p),
        }
    }

    /// The form filled with `fields`.
    pub fn of(fields: &ReturnPlanFields) -> Self {
        let d = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let [rhythm, stress, adjustment] = fields.phases;
        Self {
            employer_contact: fields.employer_contact.clone(),
            doctor: fields.doctor.clone(),
            leave_began_on: fields.leave_began_on.to_string(),
            coordination_began_on: fields.coordination_began_on.to_string(),
            person_agreed_on: d(fields.person_agreed_on),
            employer_agreed_on: d(fields.employer_agreed_on),
            doctor_agreed_on: d(fields.doctor_agreed_on),
            agreed_activities: fields.activities.clone(),
            rhythm_from: rhythm.from.to_string(),
            rhythm_until: rhythm.until.to_string(),
            stress_from: stress.from.to_string(),
            stress_until: stress.until.to_string(),
            adjustment_from: adjustment.from.to_string(),
            adjustment_until: adjustment.until.to_string(),
            support_began_on: d(fields.support_began_on),
            returned_on: d(fields.returned_on),
            return_ended_on: d(fields.ended_on),
            return_outcome: fields.outcome.map(|o| o.code().to_owned()).unwrap_or_default(),
            return_note: fields.outcome_note.clone(),
        }
    }
}

/// What program 9-2 counts in a fiscal year, per office.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReturnYear {
    /// Persons the coordinator worked with in the year (職場復帰支援コーディネーター).
    pub coordination: BTreeMap<String, i64>,
    /// Persons in the warm-up in the year (リワーク支援).
    pub support: BTreeMap<String, i64>,
}

/// The first and last day of fiscal year `year`.
fn bounds(year: FiscalYear) -> (Date, Date) {
    let first = Date::from_calendar_date(year.0, Month::April, 1).unwrap_or(Date::MIN);
    let last = Date::from_calendar_date(year.0 + 1, Month::March, 31).unwrap_or(Date::MAX);
    (first, last)
}

/// Per fiscal year up to `today`'s, the persons each office's coordinator and warm-up worked
/// with: a plan counts in every year its coordination (from its first consultation to the day
/// before the warm-up, or to its end) or its warm-up (from its first day to the end, or to
/// `today`) overlaps. `office` names a plan's office (none: not a 職業センター's, not counted).
pub fn return_years(
    plans: &[ReturnPlan],
    today: Date,
    office: impl Fn(AgencyId) -> Option<String>,
) -> BTreeMap<FiscalYear, ReturnYear> {
    let mut coordination: BTreeMap<(FiscalYear, String), BTreeSet<uuid::Uuid>> = BTreeMap::new();
    let mut support: BTreeMap<(FiscalYear, String), BTreeSet<uuid::Uuid>> = BTreeMap::new();
    let mut years: BTreeSet<FiscalYear> = BTreeSet::new();
    let span = |from: Date, until: Date| {
        let (first, last) = (FiscalYear::of(from), FiscalYear::of(until.min(today)));
        (first.0..=last.0).map(FiscalYear).filter(move |y| {
            let (start, end) = bounds(*y);
            from <= end && until >= start && from <= today
        })
    };
    for plan in plans {
        let Some(office) = office(plan.agency) else { continue };
        let f = &plan.fields;
        let until = plan.coordination_until().unwrap_or(today);
        for year in span(f.coordination_began_on, until) {
            years.insert(year);
            coordination.entry((year, office.clone())).or_default().insert(plan.person.0);
        }
        if let Some(began) = f.support_began_on {
            for year in span(began, f.ended_on.unwrap_or(today)) {
                years.insert(year);
                support.entry((year, office.clone())).or_default().insert(plan.person.0);
            }
        }
    }
    let mut out: BTreeMap<FiscalYear, ReturnYear> = years.into_iter().map(|y| (y, ReturnYear::default())).collect();
    for ((year, office), who) in coordination {
        out.entry(year).or_default().coordination.insert(office, who.len() as i64);
    }
    for ((year, office), who) in support {
        out.entry(year).or_default().support.insert(office, who.len() as i64);
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 07);
    const EMPLOYER: EmployerId = EmployerId(uuid::Uuid::from_u128(9));

    fn input() -> ReturnPlanInput {
        ReturnPlanInput {
            employer_contact: "人事部 佐藤".into(),
            doctor: "みなとクリニック 山田医師".into(),
            leave_began_on: "2026-06-01".into(),
            coordination_began_on: "2026-09-01".into(),
            person_agreed_on: "2026-09-15".into(),
            employer_agreed_on: "2026-09-18".into(),
            doctor_agreed_on: "2026-09-24".into(),
            agreed_activities: "週4日の通所から始め、12週で復職を目指す".into(),
            rhythm_from: "2026-10-01".into(),
            rhythm_until: "2026-10-31".into(),
            stress_from: "2026-11-01".into(),
            stress_until: "2026-11-30".into(),
            adjustment_from: "2026-12-01".into(),
            adjustment_until: "2026-12-25".into(),
            support_began_on: "2026-10-01".into(),
            ..ReturnPlanInput::default()
        }
    }

    fn codes(p: &Problems) -> Vec<(&'static str, &'static str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    fn plan(n: u128, agency: u128, fields: ReturnPlanFields) -> ReturnPlan {
        ReturnPlan {
            id: ReturnPlanId(uuid::Uuid::from_u128(n)),
            prefecture: "13".into(),
            person: PersonId(uuid::Uuid::from_u128(n)),
            agency: AgencyId(uuid::Uuid::from_u128(agency)),
            fields,
            recorded_by: AccountId(uuid::Uuid::from_u128(4)),
            version: 1,
            updated_at: datetime!(2026-09-01 09:00 UTC),
        }
    }

    #[test]
    fn a_plan_agreed_by_all_three_reads_back_and_knows_its_phase() {
        let fields = input().validate(TODAY, EMPLOYER).expect("valid");
        assert_eq!(ReturnPlanInput::of(&fields), input(), "the form reads back as typed");
        let p = plan(1, 1, fields);
        assert_eq!(p.agreed_on(), Some(date!(2026 - 09 - 24)));
        assert!(p.awaiting().is_empty());
        assert_eq!(p.phase_on(date!(2026 - 11 - 10)), Some(WarmUp::Stress));
        assert_eq!(p.phase_on(date!(2026 - 09 - 10)), None, "before the warm-up");
        assert_eq!(p.coordination_until(), Some(date!(2026 - 09 - 30)));
    }

    #[test]
    fn a_plan_without_all_three_parties_is_refused() {
        let missing = ReturnPlanInput { doctor: String::new(), employer_contact: " ".into(), ..input() };
        let p = missing.validate(TODAY, EMPLOYER).unwrap_err();
        assert_eq!(codes(&p), vec![("employer_contact", "required"), ("doctor", "required")]);
        let unagreed = ReturnPlanInput { doctor_agreed_on: String::new(), ..input() };
        let p = unagreed.validate(TODAY, EMPLOYER).unwrap_err();
        assert_eq!(codes(&p), vec![("support_began_on", "three_parties_not_agreed")]);
        let late = ReturnPlanInput { doctor_agreed_on: "2026-10-02".into(), ..input() };
        let p = late.validate(TODAY, EMPLOYER).unwrap_err();
        assert_eq!(codes(&p), vec![("support_began_on", "three_parties_not_agreed")], "agreed after it began");
        let coordinating =
            ReturnPlanInput { doctor_agreed_on: String::new(), support_began_on: String::new(), ..input() };
        let fields = coordinating.validate(TODAY, EMPLOYER).expect("coordination goes on before the agreement");
        assert_eq!(plan(1, 1, fields).awaiting(), vec!["doctor"]);
    }

    #[test]
    fn days_come_in_order_and_what_happened_is_not_ahead() {
        let early = ReturnPlanInput { coordination_began_on: "2026-05-01".into(), ..input() };
        let p = early.validate(TODAY, EMPLOYER).unwrap_err();
        assert!(codes(&p).contains(&("coordination_began_on", "before_leave")), "{p:?}");
        let ahead = ReturnPlanInput { returned_on: "2027-01-05".into(), ..input() };
        assert_eq!(codes(&ahead.validate(TODAY, EMPLOYER).unwrap_err()), vec![("returned_on", "date_in_future")]);
        let backwards = ReturnPlanInput { stress_from: "2026-10-15".into(), ..input() };
        assert_eq!(
            codes(&backwards.validate(TODAY, EMPLOYER).unwrap_err()),
            vec![("stress_from", "phase_out_of_order")]
        );
        let ended = ReturnPlanInput { return_ended_on: "2026-12-01".into(), ..input() };
        assert_eq!(codes(&ended.validate(TODAY, EMPLOYER).unwrap_err()), vec![("return_outcome", "outcome_required")]);
        let returned = ReturnPlanInput { return_outcome: "returned".into(), ..ended };
        assert_eq!(
            codes(&returned.validate(TODAY, EMPLOYER).unwrap_err()),
            vec![("returned_on", "return_day_required")]
        );
        let done = ReturnPlanInput { returned_on: "2026-12-01".into(), ..returned };
        assert_eq!(done.validate(TODAY, EMPLOYER).unwrap().outcome, Some(ReturnOutcome::Returned));
    }

    #[test]
    fn nine_two_counts_each_person_once_a_year_per_office() {
        let agreed = input().validate(TODAY, EMPLOYER).unwrap();
        let waiting = ReturnPlanInput { doctor_agreed_on: String::new(), support_began_on: String::new(), ..input() }
            .validate(TODAY, EMPLOYER)
            .unwrap();
        let last_year = ReturnPlanFields {
            coordination_began_on: date!(2026 - 02 - 02),
            support_began_on: Some(date!(2026 - 03 - 02)),
            ended_on: Some(date!(2026 - 05 - 29)),
            outcome: Some(ReturnOutcome::Returned),
            ..agreed.clone()
        };
        let plans = [
            plan(1, 1, agreed),
            plan(2, 2, waiting),
            plan(3, 1, last_year),
            plan(4, 9, input().validate(TODAY, EMPLOYER).unwrap()),
        ];
        let office = |a: AgencyId| match a.0.as_u128() {
            1 => Some("本所".to_owned()),
            2 => Some("支所".to_owned()),
            _ => None,
        };
        let years = return_years(&plans, TODAY, office);
        let now = &years[&FiscalYear(2026)];
        assert_eq!(now.coordination, BTreeMap::from([("本所".into(), 1), ("支所".into(), 1)]));
        assert_eq!(now.support, BTreeMap::from([("本所".into(), 2)]), "this year's and the one that ran into April");
        let before = &years[&FiscalYear(2025)];
        assert_eq!(before.coordination, BTreeMap::from([("本所".into(), 1)]));
        assert_eq!(before.support, BTreeMap::from([("本所".into(), 1)]));
    }
}
