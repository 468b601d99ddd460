//! Medical-liaison coordinators (program 10-2, 精神障害者就労定着連携促進事業: 医療機関・就労支援機関等
//! 連携促進): at each of the program's locations (か所), one or more coordinators build the
//! cooperation of medical institutions and employment-support agencies, and advise agencies and
//! companies as its liaison desk. A coordinator is staff, named on the roster with their location,
//! the period they serve and the medical institutions they work with; no person supported is
//! named. Program 10-2 counts the locations with a coordinator and the fewest coordinators of a
//! location ([`coordinator_years`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};
use uuid::Uuid;

use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::person::{date_field, planned_date};
use crate::program::FiscalYear;
use crate::validation::{Problems, text_field};

/// A coordinator's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CoordinatorId(pub Uuid);

/// The most medical institutions one coordinator is recorded with.
pub const MAX_INSTITUTIONS: usize = 50;
/// The longest name.
pub const NAME_MAX: u32 = 100;
/// The longest note.
pub const NOTE_MAX: u32 = 1000;

/// What the roster says of a coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoordinatorFields {
    /// The coordinator's name.
    pub name: String,
    /// Serving from.
    pub since: Date,
    /// Serving until, once known.
    pub until: Option<Date>,
    /// The medical institutions they work with.
    pub institutions: Vec<AgencyId>,
    /// A note (their liaison desk's hours, what they offer).
    pub note: String,
}

/// A coordinator at a location of program 10-2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coordinator {
    /// Id.
    pub id: CoordinatorId,
    /// Prefecture of the location.
    pub prefecture: String,
    /// The location: the agency the coordinator serves at.
    pub agency: AgencyId,
    /// What the roster says.
    pub fields: CoordinatorFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

impl Coordinator {
    /// Serving on `day`.
    pub fn serves_on(&self, day: Date) -> bool {
        self.fields.since <= day && self.fields.until.is_none_or(|u| u >= day)
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CoordinatorInput {
    /// The name.
    pub coordinator_name: String,
    /// From.
    pub serves_since: String,
    /// Until.
    pub serves_until: String,
    /// The medical institutions' ids.
    pub institutions: Vec<String>,
    /// A note.
    pub coordinator_note: String,
}

impl CoordinatorInput {
    /// Checks the form on `today`: a name, a first day (at most two years ahead), a last day not
    /// before it, institutions that are ids (the caller checks they are medical institutions of
    /// the directory), each once.
    pub fn validate(&self, today: Date) -> Result<CoordinatorFields, Problems> {
        let mut p = Problems::new();
        let name = text_field(&mut p, "coordinator_name", &self.coordinator_name, NAME_MAX, true);
        let since = planned_date(&mut p, "serves_since", &self.serves_since, today, true);
        let until = date_field(&mut p, "serves_until", &self.serves_until, false);
        if let (Some(s), Some(u)) = (since, until)
            && u < s
        {
            p.add("serves_until", "ends_before_start");
        }
        let mut institutions = BTreeSet::new();
        for raw in self.institutions.iter().filter(|i| !i.trim().is_empty()) {
            match Uuid::parse_str(raw.trim()) {
                Ok(id) => {
                    institutions.insert(AgencyId(id));
                }
                Err(_) => p.add("institutions", "unknown_code"),
            }
        }
        if institutions.len() > MAX_INSTITUTIONS {
            p.add("institutions", "too_many_institutions");
        }
        let note = text_field(&mut p, "coordinator_note", &self.coordinator_note, NOTE_MAX, false).unwrap_or_default();
        match (name, since) {
            (Some(name), Some(since)) if p.is_empty() => {
                Ok(CoordinatorFields { name, since, until, institutions: institutions.into_iter().collect(), note })
            }
            _ => Err(p),
        }
    }

    /// The form filled with `fields`.
    pub fn of(fields: &CoordinatorFields) -> Self {
        Self {
            coordinator_name: fields.name.clone(),
            serves_since: fields.since.to_string(),
            serves_until: fields.until.map(|d| d.to_string()).unwrap_or_default(),
            institutions: fields.institutions.iter().map(|i| i.0.to_string()).collect(),
            coordinator_note: fields.note.clone(),
        }
    }
}

/// Per fiscal year up to `today`'s, the coordinators who served in it, per location: a
/// coordinator counts in every year their period overlaps (up to `today` in the current one).
pub fn coordinator_years(coordinators: &[Coordinator], today: Date) -> BTreeMap<FiscalYear, BTreeMap<AgencyId, i64>> {
    let mut out: BTreeMap<FiscalYear, BTreeMap<AgencyId, i64>> = BTreeMap::new();
    for c in coordinators.iter().filter(|c| c.fields.since <= today) {
        let last = c.fields.until.unwrap_or(today).min(today);
        if last < c.fields.since {
            continue;
        }
        for year in FiscalYear::of(c.fields.since).0..=FiscalYear::of(last).0 {
            let first = Date::from_calendar_date(year, Month::April, 1).unwrap_or(Date::MIN);
            if last >= first {
                *out.entry(FiscalYear(year)).or_default().entry(c.agency).or_default() += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 07);

    fn input() -> CoordinatorInput {
        CoordinatorInput {
            coordinator_name: "連携 太郎".into(),
            serves_since: "2025-04-01".into(),
            serves_until: String::new(),
            institutions: vec![Uuid::from_u128(7).to_string(), Uuid::from_u128(7).to_string()],
            coordinator_note: "相談窓口：火・木 10時〜16時".into(),
        }
    }

    fn codes(p: &Problems) -> Vec<(&'static str, &'static str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn a_coordinator_reads_back_each_institution_once() {
        let fields = input().validate(TODAY).expect("valid");
        assert_eq!(fields.institutions.len(), 1);
        assert_eq!(CoordinatorInput::of(&fields).validate(TODAY).unwrap(), fields);
        let bad = CoordinatorInput {
            coordinator_name: String::new(),
            serves_until: "2024-03-31".into(),
            institutions: vec!["clinic".into()],
            ..input()
        };
        assert_eq!(
            codes(&bad.validate(TODAY).unwrap_err()),
            vec![
                ("coordinator_name", "required"),
                ("serves_until", "ends_before_start"),
                ("institutions", "unknown_code")
            ]
        );
    }

    #[test]
    fn ten_two_counts_coordinators_per_location_and_year() {
        let coordinator = |n: u128, agency: u128, since: Date, until: Option<Date>| Coordinator {
            id: CoordinatorId(Uuid::from_u128(n)),
            prefecture: "13".into(),
            agency: AgencyId(Uuid::from_u128(agency)),
            fields: CoordinatorFields { since, until, ..input().validate(TODAY).unwrap() },
            recorded_by: AccountId(Uuid::from_u128(9)),
            version: 1,
            updated_at: datetime!(2026-04-01 09:00 UTC),
        };
        let all = [
            coordinator(1, 1, date!(2025 - 04 - 01), None),
            coordinator(2, 1, date!(2026 - 06 - 01), None),
            coordinator(3, 2, date!(2025 - 04 - 01), Some(date!(2026 - 03 - 31))),
            coordinator(4, 3, date!(2027 - 01 - 01), None),
        ];
        let years = coordinator_years(&all, TODAY);
        let a = |n: u128| AgencyId(Uuid::from_u128(n));
        assert_eq!(years[&FiscalYear(2025)], BTreeMap::from([(a(1), 1), (a(2), 1)]));
        assert_eq!(years[&FiscalYear(2026)], BTreeMap::from([(a(1), 2)]), "one who left and one not begun");
        assert!(all[0].serves_on(TODAY) && !all[2].serves_on(TODAY) && !all[3].serves_on(TODAY));
    }
}
