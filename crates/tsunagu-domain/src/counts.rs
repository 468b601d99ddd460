//! The journey's counts the annual report reads: how many placements, separations, support
//! records (by kind) and referrals each fiscal year holds, per agency and per kind of agency.
//!
//! The store keeps them as records are written, in the same transaction; these types say what
//! they are, and [`disagreements`] compares the kept counts with a recount from the records, so
//! that a count that drifted is named rather than printed.

use std::collections::BTreeMap;
use std::hash::Hash;

use crate::directory::{AgencyId, AgencyKind};
use crate::journey::{Stage, StageChange, SupportRecord};
use crate::program::FiscalYear;
use crate::referral::Referral;

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    /// Stage changes to 就職, by the day of the change.
    Placements,
    /// Stage changes to 離職, by the day of the change.
    Separations,
    /// Support records, by their day, broken down by their kind.
    SupportRecords,
    /// Referrals, by the day (in Japan) they were sent, counted for the sending agency.
    Referrals,
}

impl Measure {
    /// Every measure.
    pub const ALL: [Measure; 4] =
        [Measure::Placements, Measure::Separations, Measure::SupportRecords, Measure::Referrals];

    /// The stable code the store keeps.
    pub fn code(self) -> &'static str {
        match self {
            Measure::Placements => "placements",
            Measure::Separations => "separations",
            Measure::SupportRecords => "support_records",
            Measure::Referrals => "referrals",
        }
    }

    /// The measure of a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// `value` records of `measure` in fiscal `year` (with `breakdown`: a support record's kind code,
/// empty for the other measures) of `by`: an agency, or a kind of agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count<K> {
    /// Whose: an agency or a kind of agency.
    pub by: K,
    /// What.
    pub measure: Measure,
    /// Which fiscal year.
    pub year: FiscalYear,
    /// A support record's kind code; empty for the other measures.
    pub breakdown: String,
    /// How many.
    pub value: i64,
}

/// The counts of every agency folded into the counts of their kinds; an agency `kind_of` does
/// not know is left out.
pub fn by_kind(counts: &[Count<AgencyId>], kind_of: impl Fn(AgencyId) -> Option<AgencyKind>) -> Vec<Count<AgencyKind>> {
    let mut folded: Vec<Count<AgencyKind>> = Vec::new();
    let mut at: std::collections::HashMap<(AgencyKind, Measure, FiscalYear, &str), usize> =
        std::collections::HashMap::new();
    for c in counts {
        let Some(kind) = kind_of(c.by) else { continue };
        match at.entry((kind, c.measure, c.year, c.breakdown.as_str())) {
            std::collections::hash_map::Entry::Occupied(e) => folded[*e.get()].value += c.value,
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(folded.len());
                folded.push(Count {
                    by: kind,
                    measure: c.measure,
                    year: c.year,
                    breakdown: c.breakdown.clone(),
                    value: c.value,
                });
            }
        }
    }
    folded
}

/// Where one record is counted: the agency it is counted for, what, in which fiscal year, with
/// which breakdown. The same rules as the store's counting triggers, for a writer that adds up a
/// whole batch of records and counts them in one statement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tally {
    /// The agency counted for.
    pub agency: AgencyId,
    /// The record's prefecture.
    pub prefecture: String,
    /// What.
    pub measure: Measure,
    /// Which fiscal year.
    pub year: FiscalYear,
    /// A support record's kind code; empty for the other measures.
    pub breakdown: String,
}

impl Tally {
    /// A stage change to 就職 or 離職, by its day; any other stage is not counted.
    pub fn of_stage(change: &StageChange) -> Option<Self> {
        let measure = match change.stage {
            Stage::Employed => Measure::Placements,
            Stage::Separated => Measure::Separations,
            _ => return None,
        };
        Some(Self::new(change.agency, &change.prefecture, measure, change.on, String::new()))
    }

    /// A support record, by its day, broken down by its kind.
    pub fn of_support(record: &SupportRecord) -> Self {
        let f = &record.fields;
        Self::new(record.agency, &record.prefecture, Measure::SupportRecords, f.date, f.kind.code().to_owned())
    }

    /// A referral, for the sending agency, by the day in Japan it was sent.
    pub fn of_referral(referral: &Referral) -> Self {
        let day = referral.sent_at.to_offset(time::macros::offset!(+9)).date();
        Self::new(referral.from, &referral.prefecture, Measure::Referrals, day, String::new())
    }

    fn new(agency: AgencyId, prefecture: &str, measure: Measure, day: time::Date, breakdown: String) -> Self {
        Self { agency, prefecture: prefecture.to_owned(), measure, year: FiscalYear::of(day), breakdown }
    }
}

/// Tallies added up, in order of agency, prefecture, measure, year and breakdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tallies(BTreeMap<Tally, i64>);

impl Tallies {
    /// Counts `tally` once more.
    pub fn add(&mut self, tally: Tally) {
        *self.0.entry(tally).or_default() += 1;
    }

    /// Nothing counted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each tally with how many records it counts, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&Tally, i64)> {
        self.0.iter().map(|(t, n)| (t, *n))
    }
}

/// A count kept that a recount from the records does not give (either may be 0: a count kept
/// for nothing, or records never counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement<K> {
    /// Whose.
    pub by: K,
    /// What.
    pub measure: Measure,
    /// Which fiscal year.
    pub year: FiscalYear,
    /// The breakdown.
    pub breakdown: String,
    /// What the store keeps.
    pub kept: i64,
    /// What the records give.
    pub recounted: i64,
}

impl<K> Disagreement<K> {
    /// The same disagreement with its owner named by `f`.
    pub fn map<L>(self, f: impl FnOnce(K) -> L) -> Disagreement<L> {
        let Disagreement { by, measure, year, breakdown, kept, recounted } = self;
        Disagreement { by: f(by), measure, year, breakdown, kept, recounted }
    }
}

/// Every count on which `kept` and `recounted` differ, in order of measure, year, whose and
/// breakdown. A count of 0 and a count missing are the same.
pub fn disagreements<K: Clone + Eq + Hash + Ord>(kept: &[Count<K>], recounted: &[Count<K>]) -> Vec<Disagreement<K>> {
    let mut both: BTreeMap<(Measure, FiscalYear, K, String), (i64, i64)> = BTreeMap::new();
    for c in kept {
        both.entry((c.measure, c.year, c.by.clone(), c.breakdown.clone())).or_default().0 += c.value;
    }
    for c in recounted {
        both.entry((c.measure, c.year, c.by.clone(), c.breakdown.clone())).or_default().1 += c.value;
    }
    both.into_iter()
        .filter(|(_, (k, r))| k != r)
        .map(|((measure, year, by, breakdown), (kept, recounted))| Disagreement {
            by,
            measure,
            year,
            breakdown,
            kept,
            recounted,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count<K>(by: K, measure: Measure, year: i32, breakdown: &str, value: i64) -> Count<K> {
        Count { by, measure, year: FiscalYear(year), breakdown: breakdown.into(), value }
    }

    #[test]
    fn agencies_fold_into_their_kinds_and_an_unknown_agency_is_left_out() {
        let (a, b, c) = (
            AgencyId(uuid::Uuid::from_u128(1)),
            AgencyId(uuid::Uuid::from_u128(2)),
            AgencyId(uuid::Uuid::from_u128(3)),
        );
        let counts = [
            count(a, Measure::SupportRecords, 2024, "phone", 3),
            count(b, Measure::SupportRecords, 2024, "phone", 4),
            count(b, Measure::SupportRecords, 2024, "online", 1),
            count(c, Measure::SupportRecords, 2024, "phone", 100),
        ];
        let kind = |id: AgencyId| (id != c).then_some(AgencyKind::MunicipalSupportCentre);
        let folded = by_kind(&counts, kind);
        assert_eq!(
            folded,
            vec![
                count(AgencyKind::MunicipalSupportCentre, Measure::SupportRecords, 2024, "phone", 7),
                count(AgencyKind::MunicipalSupportCentre, Measure::SupportRecords, 2024, "online", 1),
            ]
        );
    }

    #[test]
    fn a_drifted_count_is_named_and_a_zero_equals_a_missing_count() {
        let kept = [count("x", Measure::Placements, 2024, "", 5), count("x", Measure::Referrals, 2023, "", 0)];
        let recounted = [count("x", Measure::Placements, 2024, "", 6), count("x", Measure::Separations, 2024, "", 2)];
        let found = disagreements(&kept, &recounted);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].measure, found[0].kept, found[0].recounted), (Measure::Placements, 5, 6));
        assert_eq!((found[1].measure, found[1].kept, found[1].recounted), (Measure::Separations, 0, 2));
        assert!(disagreements(&kept[..1], &kept[..1]).is_empty());
    }

    #[test]
    fn records_are_tallied_in_their_fiscal_year_and_a_referral_by_its_day_in_japan() {
        use crate::journey::{Stage, StageChange};
        let nil = uuid::Uuid::nil();
        let agency = AgencyId(uuid::Uuid::from_u128(7));
        let change = |stage, on| StageChange {
            id: nil,
            prefecture: "13".into(),
            person: crate::person::PersonId(nil),
            stage,
            on,
            agency,
            recorded_by: crate::account::AccountId(nil),
            recorded_at: time::macros::datetime!(2026-04-01 0:00 UTC),
            reason: String::new(),
        };
        let placed = Tally::of_stage(&change(Stage::Employed, time::macros::date!(2026 - 03 - 31))).expect("counted");
        assert_eq!((placed.measure, placed.year), (Measure::Placements, FiscalYear(2025)));
        let left = Tally::of_stage(&change(Stage::Separated, time::macros::date!(2026 - 04 - 01))).expect("counted");
        assert_eq!((left.measure, left.year), (Measure::Separations, FiscalYear(2026)));
        assert_eq!(Tally::of_stage(&change(Stage::Intake, time::macros::date!(2026 - 04 - 01))), None);

        // 15:30 UTC on 31 March is 00:30 on 1 April in Japan: the new fiscal year.
        let sent = time::macros::datetime!(2026-03-31 15:30 UTC);
        let referral = Referral {
            id: nil,
            prefecture: "13".into(),
            person: crate::person::PersonId(nil),
            from: agency,
            to: AgencyId(nil),
            note: String::new(),
            consent: crate::consent::ConsentId(nil),
            state: crate::referral::ReferralState::Sent,
            reason: None,
            sent_by: crate::account::AccountId(nil),
            sent_at: sent,
            updated_at: sent,
            version: 1,
        };
        let sent = Tally::of_referral(&referral);
        assert_eq!((sent.agency, sent.measure, sent.year), (agency, Measure::Referrals, FiscalYear(2026)));

        let mut tallies = Tallies::default();
        tallies.add(placed.clone());
        tallies.add(sent.clone());
        tallies.add(placed.clone());
        tallies.add(sent.clone());
        let all: Vec<_> = tallies.iter().map(|(t, n)| (t.measure, n)).collect();
        assert_eq!(all, [(Measure::Placements, 2), (Measure::Referrals, 2)], "added up, in key order");
    }
}
