//! How long placements last, for the annual report: the Kaplan–Meier estimate over every
//! placement in the records, for all of them, by disability category and by whether staff
//! supported the placement at the workplace, beside the national study's rates. Groups of fewer
//! than `retention::MIN_GROUP` placements are withheld whole, so that no one can be singled out.

use tsunagu_domain::account::Account;
use tsunagu_domain::person::DisabilityCategory;
use tsunagu_domain::retention::{MIN_GROUP, ONE_YEAR, Placement, Spell, Step, THREE_MONTHS, held_at, kaplan_meier};

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

/// Which placements a group holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKey {
    /// Every placement.
    All,
    /// Placements of persons with this disability category (a person with several is in each).
    Category(DisabilityCategory),
    /// Placements with (true) or without workplace support.
    WorkplaceSupport(bool),
}

/// One group's estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Which placements.
    pub key: GroupKey,
    /// How many placements.
    pub placements: usize,
    /// The figures, or `None` when the group is too small to show.
    pub estimate: Option<Estimate>,
    /// The national study's rates (percent at 3 months, 1 year), where it has the group.
    pub national: Option<(f64, f64)>,
}

/// A group's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// How many of its placements have ended.
    pub ended: usize,
    /// The longest any placement was followed, in days: the curve says nothing beyond.
    pub followed: i64,
    /// The curve.
    pub curve: Vec<Step>,
    /// Held three months after the placement, where some were followed that long.
    pub three_months: Option<Step>,
    /// Held a year after the placement, where some were followed that long.
    pub one_year: Option<Step>,
}

fn group(key: GroupKey, spells: Vec<Spell>) -> Group {
    let national = match key {
        GroupKey::Category(c) => national_rates(c),
        GroupKey::All | GroupKey::WorkplaceSupport(_) => None,
    };
    let estimate = (spells.len() >= MIN_GROUP).then(|| {
        let curve = kaplan_meier(&spells);
        Estimate {
            ended: spells.iter().filter(|s| s.ended).count(),
            followed: spells.iter().map(|s| s.days).max().unwrap_or(0),
            three_months: held_at(&curve, &spells, THREE_MONTHS),
            one_year: held_at(&curve, &spells, ONE_YEAR),
            curve,
        }
    });
    Group { key, placements: spells.len(), estimate, national }
}

/// Groups `placements` as of `today`: all, each disability category, with and without workplace
/// support.
pub fn analyse(placements: &[Placement], today: time::Date) -> Vec<Group> {
    let spells = |keep: &dyn Fn(&Placement) -> bool| -> Vec<Spell> {
        placements.iter().filter(|p| keep(p)).map(|p| p.spell(today)).collect()
    };
    let mut groups = vec![group(GroupKey::All, spells(&|_| true))];
    for category in DisabilityCategory::ALL {
        groups.push(group(GroupKey::Category(category), spells(&|p| p.categories.contains(&category))));
    }
    for supported in [true, false] {
        groups.push(group(GroupKey::WorkplaceSupport(supported), spells(&|p| p.workplace_support == supported)));
    }
    groups
}

impl App {
    /// How long placements last (program managers and administrators): counts and rates only.
    pub async fn retention(&self, actor: &Account) -> Result<Vec<Group>, AppError> {
        if !Self::may_see_programs(actor) {
            return Err(AppError::Forbidden);
        }
        let placements = self.store.placements(PREFECTURE).await.map_err(AppError::Store)?;
        Ok(analyse(&placements, self.today()))
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
        let groups = analyse(&placements, today);
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
        assert_eq!(p.spell(date!(2026 - 03 - 01)), Spell { days: 59, ended: false });
    }
}
