//! Technical assistance to agencies (program 7-2: 就労支援機関に対する技術的な助言・援助): the 東京障害者
//! 職業センター's 本所 and 支所 advise the network's agencies on assessment methods and on support.
//! Each record says which office helped which agency, on what and when, and who gave it; program
//! 7-2 counts the cases and the agencies helped per office and fiscal year
//! ([`assistance_years`]). No person supported is named: the advice is about methods, and a note
//! that needs a case speaks of it without a name.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::person::past_date;
use crate::program::FiscalYear;
use crate::validation::{Problems, text_field};

/// A record's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AssistanceId(pub Uuid);

/// What the advice was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssistanceTopic {
    /// アセスメントの方法.
    Assessment,
    /// 支援の方法（職業準備性、職場定着など）.
    SupportMethod,
    /// 事業主への支援.
    EmployerSupport,
    /// 支援体制・連携.
    Coordination,
    /// その他.
    Other,
}

impl AssistanceTopic {
    /// Every topic, in the order forms list them.
    pub const ALL: [Self; 5] =
        [Self::Assessment, Self::SupportMethod, Self::EmployerSupport, Self::Coordination, Self::Other];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Assessment => "assessment",
            Self::SupportMethod => "support_method",
            Self::EmployerSupport => "employer_support",
            Self::Coordination => "coordination",
            Self::Other => "other",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == raw.trim())
    }
}

/// What a record says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistanceFields {
    /// The day it was given.
    pub given_on: Date,
    /// The agency helped.
    pub helped: AgencyId,
    /// What it was about (at least one).
    pub topics: Vec<AssistanceTopic>,
    /// Who gave it (the office's staff, by name).
    pub given_by: String,
    /// What was advised.
    pub note: String,
}

/// A record of assistance given by an office of the 職業センター.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assistance {
    /// Id.
    pub id: AssistanceId,
    /// Prefecture of the office.
    pub prefecture: String,
    /// The office that gave it.
    pub office: AgencyId,
    /// What it says.
    pub fields: AssistanceFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

/// The longest note.
pub const NOTE_MAX: u32 = 2000;
/// The longest list of names.
pub const GIVEN_BY_MAX: u32 = 100;

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssistanceInput {
    /// The day.
    pub given_on: String,
    /// The agency helped (its id).
    pub helped_agency: String,
    /// The topics' codes.
    pub topics: Vec<String>,
    /// Who gave it.
    pub given_by: String,
    /// What was advised.
    pub assistance_note: String,
}

impl AssistanceInput {
    /// Checks the form on `today` for the office `office`: a day that has come (not before
    /// [`crate::person::EARLIEST_RECORD_DATE`]), another agency, a topic, who gave it.
    pub fn validate(&self, today: Date, office: AgencyId) -> Result<AssistanceFields, Problems> {
        let mut p = Problems::new();
        let given_on = past_date(&mut p, "given_on", &self.given_on, today);
        let helped = match self.helped_agency.trim() {
            "" => {
                p.add("helped_agency", "required");
                None
            }
            raw => match Uuid::parse_str(raw).map(AgencyId) {
                Ok(a) if a == office => {
                    p.add("helped_agency", "assistance_own_office");
                    None
                }
                Ok(a) => Some(a),
                Err(_) => {
                    p.add("helped_agency", "unknown_code");
                    None
                }
            },
        };
        let mut topics = BTreeSet::new();
        for raw in self.topics.iter().filter(|t| !t.trim().is_empty()) {
            match AssistanceTopic::parse(raw) {
                Some(t) => {
                    topics.insert(t);
                }
                None => p.add("topics", "unknown_code"),
            }
        }
        if topics.is_empty() && p.for_field("topics").is_none() {
            p.add("topics", "choose_one");
        }
        let given_by = text_field(&mut p, "given_by", &self.given_by, GIVEN_BY_MAX, true);
        let note = text_field(&mut p, "assistance_note", &self.assistance_note, NOTE_MAX, false).unwrap_or_default();
        match (given_on, helped, given_by) {
            (Some(given_on), Some(helped), Some(given_by)) if p.is_empty() => {
                Ok(AssistanceFields { given_on, helped, topics: topics.into_iter().collect(), given_by, note })
            }
            _ => Err(p),
        }
    }

    /// The form filled with `fields`.
    pub fn of(fields: &AssistanceFields) -> Self {
        Self {
            given_on: fields.given_on.to_string(),
            helped_agency: fields.helped.0.to_string(),
            topics: fields.topics.iter().map(|t| t.code().to_owned()).collect(),
            given_by: fields.given_by.clone(),
            assistance_note: fields.note.clone(),
        }
    }
}

/// What an office gave in a fiscal year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssistanceYear {
    /// Cases of assistance, per office.
    pub cases: BTreeMap<String, i64>,
    /// The agencies helped, per office (each once a year).
    pub agencies: BTreeMap<String, BTreeSet<AgencyId>>,
}

/// Per fiscal year of the day given, the cases and the agencies helped per office (`office` names
/// the office a record's agency counts under; records of agencies that are no office are left out).
pub fn assistance_years(
    records: &[Assistance],
    office: impl Fn(AgencyId) -> Option<String>,
) -> BTreeMap<FiscalYear, AssistanceYear> {
    let mut out: BTreeMap<FiscalYear, AssistanceYear> = BTreeMap::new();
    for r in records {
        let Some(name) = office(r.office) else { continue };
        let year = out.entry(FiscalYear::of(r.fields.given_on)).or_default();
        *year.cases.entry(name.clone()).or_default() += 1;
        year.agencies.entry(name).or_default().insert(r.fields.helped);
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 07);
    const OFFICE: AgencyId = AgencyId(Uuid::from_u128(1));

    fn input() -> AssistanceInput {
        AssistanceInput {
            given_on: "2026-12-01".into(),
            helped_agency: Uuid::from_u128(2).to_string(),
            topics: vec!["assessment".into(), "support_method".into()],
            given_by: "復職 支援".into(),
            assistance_note: "ワークサンプル幕張版の実施方法を説明した".into(),
        }
    }

    fn codes(p: &Problems) -> Vec<(&'static str, &'static str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn a_record_reads_back_and_needs_its_parts() {
        let fields = input().validate(TODAY, OFFICE).expect("valid");
        assert_eq!(AssistanceInput::of(&fields), input());
        let bad = AssistanceInput {
            given_on: "2026-12-24".into(),
            helped_agency: OFFICE.0.to_string(),
            topics: vec![],
            given_by: String::new(),
            ..input()
        };
        assert_eq!(
            codes(&bad.validate(TODAY, OFFICE).unwrap_err()),
            vec![
                ("given_on", "date_in_future"),
                ("helped_agency", "assistance_own_office"),
                ("topics", "choose_one"),
                ("given_by", "required"),
            ]
        );
        let odd = AssistanceInput { helped_agency: "centre".into(), topics: vec!["gossip".into()], ..input() };
        assert_eq!(
            codes(&odd.validate(TODAY, OFFICE).unwrap_err()),
            vec![("helped_agency", "unknown_code"), ("topics", "unknown_code")]
        );
    }

    #[test]
    fn seven_two_counts_cases_and_agencies_per_office_and_year() {
        let record = |n: u128, office: u128, helped: u128, on: Date| Assistance {
            id: AssistanceId(Uuid::from_u128(n)),
            prefecture: "13".into(),
            office: AgencyId(Uuid::from_u128(office)),
            fields: AssistanceFields {
                given_on: on,
                helped: AgencyId(Uuid::from_u128(helped)),
                ..input().validate(TODAY, OFFICE).unwrap()
            },
            recorded_by: AccountId(Uuid::from_u128(9)),
            version: 1,
            updated_at: datetime!(2026-12-01 09:00 UTC),
        };
        let records = [
            record(1, 1, 10, date!(2026 - 05 - 01)),
            record(2, 1, 10, date!(2026 - 06 - 01)),
            record(3, 1, 11, date!(2026 - 07 - 01)),
            record(4, 5, 10, date!(2026 - 07 - 01)),
            record(5, 1, 10, date!(2026 - 03 - 31)),
            record(6, 7, 10, date!(2026 - 07 - 01)),
        ];
        let office = |a: AgencyId| match a.0.as_u128() {
            1 => Some("本所".to_owned()),
            5 => Some("支所".to_owned()),
            _ => None,
        };
        let years = assistance_years(&records, office);
        let y = &years[&FiscalYear(2026)];
        assert_eq!(y.cases, BTreeMap::from([("本所".to_owned(), 3), ("支所".to_owned(), 1)]));
        assert_eq!(y.agencies["本所"].len(), 2, "an agency helped twice counts once");
        assert_eq!(years[&FiscalYear(2025)].cases["本所"], 1, "a record of 31 March is the year before's");
    }
}
