//! The トライワークプロジェクト (program 9-4): a day program of the 東京都立中部総合精神保健福祉センター
//! for persons with a mental illness who want to work while in treatment, with a doctor and other
//! professionals beside them. Two courses — リターンワークコース, for a person on leave who wants to
//! go back, and ワークトレーニングコース, for one who wants to find work — each in tracks by illness
//! (mainly depression, mainly schizophrenia, mainly autism spectrum).
//!
//! A participation is recorded by staff who support the person; program 9-4 counts the persons
//! taking part in a fiscal year, per course.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::person::{PersonId, date_field};
use crate::program::FiscalYear;
use crate::validation::{Problems, text_field};

/// A participation's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ParticipationId(pub uuid::Uuid);

/// The course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TryWorkCourse {
    /// リターンワークコース: back to work from leave.
    ReturnWork,
    /// ワークトレーニングコース: toward finding work.
    WorkTraining,
}

impl TryWorkCourse {
    /// Both, in the order forms list them.
    pub const ALL: [Self; 2] = [Self::ReturnWork, Self::WorkTraining];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ReturnWork => "return_work",
            Self::WorkTraining => "work_training",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == raw.trim())
    }

    /// The name the program document gives it (program 9-4's breakdown).
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::ReturnWork => "リターンワークコース",
            Self::WorkTraining => "ワークトレーニングコース",
        }
    }
}

/// The track, by the illness it is mainly for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TryWorkTrack {
    /// 主にうつ病コース.
    Depression,
    /// 主に統合失調症コース.
    Schizophrenia,
    /// 主に自閉スペクトラム症コース.
    Autism,
}

impl TryWorkTrack {
    /// Every track, in the order forms list them.
    pub const ALL: [Self; 3] = [Self::Depression, Self::Schizophrenia, Self::Autism];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Depression => "depression",
            Self::Schizophrenia => "schizophrenia",
            Self::Autism => "autism",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == raw.trim())
    }
}

/// How a participation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TryWorkOutcome {
    /// 修了した.
    Completed,
    /// 途中で終えた.
    Withdrew,
}

impl TryWorkOutcome {
    /// Both, in the order forms list them.
    pub const ALL: [Self; 2] = [Self::Completed, Self::Withdrew];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Withdrew => "withdrew",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == raw.trim())
    }
}

/// A participation as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipationFields {
    /// The course.
    pub course: TryWorkCourse,
    /// The track.
    pub track: TryWorkTrack,
    /// The first day.
    pub starts_on: Date,
    /// The last day planned.
    pub planned_until: Date,
    /// The day it ended, once it did.
    pub ended_on: Option<Date>,
    /// How it ended.
    pub outcome: Option<TryWorkOutcome>,
    /// A note (what comes next).
    pub note: String,
}

/// A participation in the トライワークプロジェクト: personal data of the participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    /// Id.
    pub id: ParticipationId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The person.
    pub person: PersonId,
    /// The agency that recorded it.
    pub agency: AgencyId,
    /// What was recorded.
    pub fields: ParticipationFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

impl Participation {
    /// The last day: the day it ended, else the planned one.
    pub fn last_day(&self) -> Date {
        self.fields.ended_on.unwrap_or(self.fields.planned_until)
    }
}

/// The participation form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ParticipationInput {
    /// The course's code.
    pub trywork_course: String,
    /// The track's code.
    pub track: String,
    /// The first day.
    pub starts_on: String,
    /// The last day planned.
    pub planned_until: String,
    /// The day it ended.
    pub trywork_ended_on: String,
    /// The outcome's code.
    pub trywork_outcome: String,
    /// A note.
    pub trywork_note: String,
}

/// The longest note.
pub const NOTE_MAX: u32 = 1000;

fn coded<T>(
    p: &mut Problems,
    field: &'static str,
    raw: &str,
    required: bool,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    match raw.trim() {
        "" => {
            if required {
                p.add(field, "required");
            }
            None
        }
        raw => parse(raw).or_else(|| {
            p.add(field, "unknown_code");
            None
        }),
    }
}

impl ParticipationInput {
    /// Checks the form on `today` for a person with (`eligible`) or without a mental or
    /// developmental disability: a course and track, a period in order, an end not ahead and
    /// within the period, with its outcome.
    pub fn validate(&self, today: Date, eligible: bool) -> Result<ParticipationFields, Problems> {
        let mut p = Problems::new();
        let course = coded(&mut p, "trywork_course", &self.trywork_course, true, TryWorkCourse::parse);
        if course.is_some() && !eligible {
            p.add("trywork_course", "trywork_not_eligible");
        }
        let track = coded(&mut p, "track", &self.track, true, TryWorkTrack::parse);
        let starts_on = date_field(&mut p, "starts_on", &self.starts_on, true);
        let planned_until = date_field(&mut p, "planned_until", &self.planned_until, true);
        if let (Some(start), Some(until)) = (starts_on, planned_until)
            && until < start
        {
            p.add("planned_until", "ends_before_start");
        }
        let ended_on = match date_field(&mut p, "trywork_ended_on", &self.trywork_ended_on, false) {
            Some(d) if d > today => {
                p.add("trywork_ended_on", "date_in_future");
                None
            }
            Some(d) if starts_on.is_some_and(|s| d < s) => {
                p.add("trywork_ended_on", "ends_before_start");
                None
            }
            other => other,
        };
        let outcome = coded(&mut p, "trywork_outcome", &self.trywork_outcome, false, TryWorkOutcome::parse);
        if ended_on.is_some() && outcome.is_none() && p.for_field("trywork_outcome").is_none() {
            p.add("trywork_outcome", "outcome_required");
        }
        if outcome.is_some() && self.trywork_ended_on.trim().is_empty() {
            p.add("trywork_ended_on", "end_required");
        }
        let note = text_field(&mut p, "trywork_note", &self.trywork_note, NOTE_MAX, false).unwrap_or_default();
        match (course, track, starts_on, planned_until) {
            (Some(course), Some(track), Some(starts_on), Some(planned_until)) if p.is_empty() => {
                Ok(ParticipationFields { course, track, starts_on, planned_until, ended_on, outcome, note })
            }
            _ => Err(p),
        }
    }

    /// The form filled with `fields`.
    pub fn of(fields: &ParticipationFields) -> Self {
        Self {
            trywork_course: fields.course.code().to_owned(),
            track: fields.track.code().to_owned(),
            starts_on: fields.starts_on.to_string(),
            planned_until: fields.planned_until.to_string(),
            trywork_ended_on: fields.ended_on.map(|d| d.to_string()).unwrap_or_default(),
            trywork_outcome: fields.outcome.map(|o| o.code().to_owned()).unwrap_or_default(),
            trywork_note: fields.note.clone(),
        }
    }
}

/// Per fiscal year up to `today`'s, the persons taking part, per course: a person counts once a
/// year in each course whose participation overlaps it (program 9-4).
pub fn participants_by_year(
    participations: &[Participation],
    today: Date,
) -> BTreeMap<FiscalYear, BTreeMap<TryWorkCourse, i64>> {
    let mut who: BTreeMap<(FiscalYear, TryWorkCourse), BTreeSet<uuid::Uuid>> = BTreeMap::new();
    for p in participations.iter().filter(|p| p.fields.starts_on <= today) {
        let until = p.last_day().min(today);
        for year in FiscalYear::of(p.fields.starts_on).0..=FiscalYear::of(until).0 {
            let first = Date::from_calendar_date(year, Month::April, 1).unwrap_or(Date::MIN);
            if until >= first {
                who.entry((FiscalYear(year), p.fields.course)).or_default().insert(p.person.0);
            }
        }
    }
    let mut out: BTreeMap<FiscalYear, BTreeMap<TryWorkCourse, i64>> = BTreeMap::new();
    for ((year, course), persons) in who {
        out.entry(year).or_default().insert(course, persons.len() as i64);
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 07);

    fn input() -> ParticipationInput {
        ParticipationInput {
            trywork_course: "return_work".into(),
            track: "depression".into(),
            starts_on: "2026-10-01".into(),
            planned_until: "2027-03-31".into(),
            ..ParticipationInput::default()
        }
    }

    fn codes(p: &Problems) -> Vec<(&'static str, &'static str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    fn participation(n: u128, person: u128, fields: ParticipationFields) -> Participation {
        Participation {
            id: ParticipationId(uuid::Uuid::from_u128(n)),
            prefecture: "13".into(),
            person: PersonId(uuid::Uuid::from_u128(person)),
            agency: AgencyId(uuid::Uuid::from_u128(3)),
            fields,
            recorded_by: AccountId(uuid::Uuid::from_u128(4)),
            version: 1,
            updated_at: datetime!(2026-10-01 09:00 UTC),
        }
    }

    #[test]
    fn a_participation_reads_back_and_needs_its_rules() {
        let fields = input().validate(TODAY, true).expect("valid");
        assert_eq!(ParticipationInput::of(&fields), input());
        let p = input().validate(TODAY, false).unwrap_err();
        assert_eq!(codes(&p), vec![("trywork_course", "trywork_not_eligible")]);
        let bad = ParticipationInput { track: "flu".into(), planned_until: "2026-09-01".into(), ..input() };
        assert_eq!(
            codes(&bad.validate(TODAY, true).unwrap_err()),
            vec![("track", "unknown_code"), ("planned_until", "ends_before_start")]
        );
        let ended = ParticipationInput { trywork_ended_on: "2026-12-01".into(), ..input() };
        assert_eq!(codes(&ended.validate(TODAY, true).unwrap_err()), vec![("trywork_outcome", "outcome_required")]);
        let ahead = ParticipationInput {
            trywork_ended_on: "2027-01-05".into(),
            trywork_outcome: "completed".into(),
            ..input()
        };
        assert_eq!(codes(&ahead.validate(TODAY, true).unwrap_err()), vec![("trywork_ended_on", "date_in_future")]);
    }

    #[test]
    fn nine_four_counts_each_person_once_a_year_per_course() {
        let now = input().validate(TODAY, true).unwrap();
        let across = ParticipationFields {
            course: TryWorkCourse::WorkTraining,
            starts_on: date!(2026 - 01 - 10),
            planned_until: date!(2026 - 06 - 30),
            ..now.clone()
        };
        let again = ParticipationFields { starts_on: date!(2026 - 11 - 01), ..now.clone() };
        let later = ParticipationFields {
            starts_on: date!(2027 - 01 - 10),
            planned_until: date!(2027 - 06 - 30),
            ..now.clone()
        };
        let all = [
            participation(1, 1, now),
            participation(2, 1, again),
            participation(3, 2, across),
            participation(4, 3, later),
        ];
        let years = participants_by_year(&all, TODAY);
        assert_eq!(
            years[&FiscalYear(2026)],
            BTreeMap::from([(TryWorkCourse::ReturnWork, 1), (TryWorkCourse::WorkTraining, 1)]),
            "one person twice in a course is one; the one that began in FY2025 runs into FY2026"
        );
        assert_eq!(years[&FiscalYear(2025)], BTreeMap::from([(TryWorkCourse::WorkTraining, 1)]));
        assert!(!years.contains_key(&FiscalYear(2027)), "not begun by today");
    }
}
