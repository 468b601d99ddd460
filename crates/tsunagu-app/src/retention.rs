//! How long placements last, for the annual report: the Kaplan–Meier estimate over every
//! placement in the records, for all of them, by disability category and by whether staff
//! supported the placement at the workplace, beside the national study's rates. Groups of fewer
//! than `retention::MIN_GROUP` placements are withheld whole, so that no one can be singled out.

use tsunagu_domain::account::Account;
use tsunagu_domain::person::DisabilityCategory;
pub use tsunagu_domain::retention::GroupKey;
use tsunagu_domain::retention::{
    Durations, MIN_GROUP, ONE_YEAR, Placement, Step, THREE_MONTHS, durations_of, held_at, kaplan_meier,
};

use crate::{App, AppError, PREFECTURE};

const NATIONAL_CSV: &str = include_str!("../data/retention_nivr137.csv");

/// The national study's rates for a disability category (percent at 3 months and 1 year).
pub fn national_rates(category: DisabilityCategory) -> Option<(f64, f64)> {
    let label = match category {
        DisabilityCategory::Physical => "身体障害",
        DisabilityCategory::Intellectual => "知的障害",
        DisabilityCategory::Mental => "精神障害",
        DisabilityCategory::Developmental => "発達障害",
        DisabilityCategory::HigherBrainDysfunction | DisabilityCategory::IntractableDisease => return None,
    };
    NATIONAL_CSV.lines().skip(1).find_map(|line| {
        let mut cells = line.split(',');
        (cells.next()? == label).then_some(())?;
        Some((cells.next()?.trim().parse().ok()?, cells.next()?.trim().parse().ok()?))
    })
}

/// One group's estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Which placements.
    pub key: GroupKey,
    /// How many placements.
    pub placements: i64,
    /// The figures, or `None` when the group is too small to show.
    pub estimate: Option<Estimate>,
    /// The national study's rates (percent at 3 months, 1 year), where it has the group.
    pub national: Option<(f64, f64)>,
}

/// A group's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// How many of its placements have ended.
    pub ended: i64,
    /// The longest any placement was followed, in days: the curve says nothing beyond.
    pub followed: i64,
    /// The curve.
    pub curve: Vec<Step>,
    /// Held three months after the placement, where some were followed that long.
    pub three_months: Option<Step>,
    /// Held a year after the placement, where some were followed that long.
    pub one_year: Option<Step>,
}

fn group(key: GroupKey, durations: &Durations) -> Group {
    let national = match key {
        GroupKey::Category(c) => national_rates(c),
        GroupKey::All | GroupKey::WorkplaceSupport(_) => None,
    };
    let placements = durations.placements();
    let estimate = (placements >= MIN_GROUP as i64).then(|| {
        let curve = kaplan_meier(durations);
        Estimate {
            ended: durations.ended(),
            followed: durations.longest().unwrap_or(0),
            three_months: held_at(&curve, durations, THREE_MONTHS),
            one_year: held_at(&curve, durations, ONE_YEAR),
            curve,
        }
    });
    Group { key, placements, estimate, national }
}

/// Every group's estimate from its durations.
pub fn analyse(groups: &[(GroupKey, Durations)]) -> Vec<Group> {
    groups.iter().map(|(key, durations)| group(*key, durations)).collect()
}

/// The groups whose durations kept by the store differ from those counted from the placements.
pub fn disagreements(
    kept: &[(GroupKey, Durations)],
    recounted: &[(GroupKey, Durations)],
) -> Vec<RetentionDisagreement> {
    GroupKey::all()
        .into_iter()
        .filter_map(|key| {
            let find = |groups: &[(GroupKey, Durations)]| {
                groups.iter().find(|(k, _)| *k == key).map(|(_, d)| d.clone()).unwrap_or_default()
            };
            let (kept, recounted) = (find(kept), find(recounted));
            (kept != recounted).then(|| RetentionDisagreement {
                group: key,
                kept: (kept.placements(), kept.ended()),
                recounted: (recounted.placements(), recounted.ended()),
            })
        })
        .collect()
}

/// A group whose kept durations disagree with the placements: placements and ended, each way
/// (equal totals mean the durations differ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionDisagreement {
    /// Which group.
    pub group: GroupKey,
    /// Placements and how many ended, as kept.
    pub kept: (i64, i64),
    /// Placements and how many ended, from the placements.
    pub recounted: (i64, i64),
}

/// Groups `placements` as of `today`: all, each disability category, with and without workplace
/// support.
pub fn analyse_placements(placements: &[Placement], today: time::Date) -> Vec<Group> {
    analyse(&durations_of(placements, today))
}

impl App {
    /// How long placements last (program managers and administrators): counts and rates only.
    pub async fn retention(&self, actor: &Account) -> Result<Vec<Group>, AppError> {
        if !Self::may_see_programs(actor) {
            return Err(AppError::Forbidden);
        }
        let today = self.today();
        let kept = self.store.retention(PREFECTURE, today).await.map_err(AppError::Store)?;
        Ok(analyse(&kept.durations(today)))
    }

    /// Compares the durations the store keeps with those counted from the placements themselves.
    pub async fn verify_retention(&self) -> Result<(usize, Vec<RetentionDisagreement>), AppError> {
        let today = self.today();
        let (kept, placements) = self.store.retention_recount(PREFECTURE, today).await.map_err(AppError::Store)?;
        let groups = GroupKey::all().len();
        Ok((groups, disagreements(&kept.durations(today), &durations_of(&placements, today))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn placement(
        categories: &[DisabilityCategory],
        placed: time::Date,
        ended: Option<time::Date>,
        support: bool,
    ) -> Placement {
        Placement { categories: categories.to_vec(), placed_on: placed, ended_on: ended, workplace_support: support }
    }

    #[test]
    fn groups_under_ten_are_withheld_and_the_national_rates_stand_beside_the_categories() {
        use DisabilityCategory::*;
        let today = date!(2026 - 12 - 01);
        let mut placements: Vec<Placement> = (0..12)
            .map(|i| placement(&[Mental], date!(2025 - 01 - 01), (i < 3).then_some(date!(2025 - 02 - 01)), i % 2 == 0))
            .collect();
        placements.push(placement(&[Physical], date!(2025 - 06 - 01), None, false));
        let groups = analyse_placements(&placements, today);
        let find = |key| groups.iter().find(|g| g.key == key).unwrap();
        let all = find(GroupKey::All);
        assert_eq!(all.placements, 13);
        let estimate = all.estimate.as_ref().unwrap();
        assert_eq!(estimate.ended, 3);
        let three = estimate.three_months.unwrap();
        assert!((three.held - 10.0 / 13.0).abs() < 1e-12, "{three:?}");
        let mental = find(GroupKey::Category(Mental));
        assert_eq!(mental.national, Some((69.9, 49.3)));
        assert!(mental.estimate.is_some());
        let physical = find(GroupKey::Category(Physical));
        assert_eq!((physical.placements, physical.estimate.is_none()), (1, true), "one person is not shown");
        assert_eq!(find(GroupKey::Category(IntractableDisease)).national, None);
    }

    #[test]
    fn an_end_recorded_after_today_is_still_a_held_placement() {
        let p = placement(&[], date!(2026 - 01 - 01), Some(date!(2027 - 01 - 01)), false);
        assert_eq!(p.spell(date!(2026 - 03 - 01)), tsunagu_domain::retention::Spell { days: 59, ended: false });
    }
}
