//! How long placements last: the Kaplan–Meier estimate of the share of placements still held a
//! given number of days after the placement, with a 95% confidence band (Greenwood's variance on
//! the log(−log) scale, which keeps the band within 0 and 1), placements still held counted
//! until today and no further (censored).
//!
//! Written here rather than taken from a crate: the estimator is a dozen lines over sorted
//! durations, and the statistics crates that have it bring a dataframe library with them.

use std::collections::BTreeMap;

use crate::person::DisabilityCategory;

/// The smallest group whose figures are shown: a smaller one could single a person out.
pub const MIN_GROUP: usize = 10;

/// Three months and one year, in days, as the national study counts them.
pub const THREE_MONTHS: i64 = 91;
/// One year, in days.
pub const ONE_YEAR: i64 = 365;

/// A placement as the analysis sees it: never whose, only the person's disability categories,
/// when it began and ended, and whether staff supported it at the workplace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The person's disability categories.
    pub categories: Vec<DisabilityCategory>,
    /// The day of the move to employed.
    pub placed_on: time::Date,
    /// The first separation, move to welfare or closing on or after it, if any.
    pub ended_on: Option<time::Date>,
    /// A workplace visit or an accompaniment was recorded on or after its day (retention support).
    pub workplace_support: bool,
}

impl Placement {
    /// Its spell as of `today`; a placement recorded as ending after today is still held.
    pub fn spell(&self, today: time::Date) -> Spell {
        match self.ended_on.filter(|e| *e <= today) {
            Some(end) => Spell { days: (end - self.placed_on).whole_days(), ended: true },
            None => Spell { days: (today - self.placed_on).whole_days(), ended: false },
        }
    }
}

/// One placement: how many days it lasted (or has lasted so far), and whether it has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spell {
    /// Days from the placement to its end, or to today when it still holds.
    pub days: i64,
    /// It ended (a separation, a move to welfare, a closed journey); otherwise still held.
    pub ended: bool,
}

/// Which placements a group holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKey {
    /// Every placement.
    All,
    /// Placements of persons with this disability category (a person with several is in each).
    Category(DisabilityCategory),
    /// Placements with (true) or without workplace support.
    WorkplaceSupport(bool),
}

impl GroupKey {
    /// Every group, in the order the analysis shows them.
    pub fn all() -> Vec<GroupKey> {
        let mut keys = vec![GroupKey::All];
        keys.extend(DisabilityCategory::ALL.into_iter().map(GroupKey::Category));
        keys.extend([GroupKey::WorkplaceSupport(true), GroupKey::WorkplaceSupport(false)]);
        keys
    }

    /// The stable code the stores keep counts under (`all`, `category:mental`, `support:1`).
    pub fn code(self) -> String {
        match self {
            GroupKey::All => "all".to_owned(),
            GroupKey::Category(c) => format!("category:{}", c.code()),
            GroupKey::WorkplaceSupport(s) => format!("support:{}", u8::from(s)),
        }
    }

    /// Reads [`GroupKey::code`] (once for each of the few thousand counts the analysis reads:
    /// without building the codes to compare).
    pub fn parse(code: &str) -> Option<GroupKey> {
        match code {
            "all" => Some(GroupKey::All),
            "support:1" => Some(GroupKey::WorkplaceSupport(true)),
            "support:0" => Some(GroupKey::WorkplaceSupport(false)),
            _ => {
                let category = code.strip_prefix("category:")?;
                DisabilityCategory::ALL.into_iter().find(|c| c.code() == category).map(GroupKey::Category)
            }
        }
    }

    /// Whether `placement` is in the group.
    pub fn holds(self, placement: &Placement) -> bool {
        match self {
            GroupKey::All => true,
            GroupKey::Category(c) => placement.categories.contains(&c),
            GroupKey::WorkplaceSupport(s) => placement.workplace_support == s,
        }
    }
}

/// How many placements ended on a day after theirs, and how many were still held then.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Ended that many days after the placement.
    pub ended: i64,
    /// Still held, followed that many days so far.
    pub held: i64,
}

/// A group's placements by duration: all the Kaplan–Meier estimate needs, and what the stores
/// keep as records are written, so that the analysis reads a few thousand counts however many
/// placements there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Durations(BTreeMap<i64, Tally>);

impl Durations {
    /// Adds `n` placements of `spell` (a negative `n` takes them away).
    pub fn add(&mut self, spell: Spell, n: i64) {
        let tally = self.0.entry(spell.days).or_default();
        if spell.ended {
            tally.ended += n;
        } else {
            tally.held += n;
        }
        if *tally == Tally::default() {
            self.0.remove(&spell.days);
        }
    }

    /// How many placements.
    pub fn placements(&self) -> i64 {
        self.0.values().map(|t| t.ended + t.held).sum()
    }

    /// How many have ended.
    pub fn ended(&self) -> i64 {
        self.0.values().map(|t| t.ended).sum()
    }

    /// The longest any placement was followed, in days.
    pub fn longest(&self) -> Option<i64> {
        self.0.keys().next_back().copied()
    }

    /// Some placement was followed `day` days or longer.
    fn reaches(&self, day: i64) -> bool {
        self.0.range(day..).next().is_some()
    }
}

impl FromIterator<Spell> for Durations {
    fn from_iter<I: IntoIterator<Item = Spell>>(spells: I) -> Self {
        let mut durations = Durations::default();
        for spell in spells {
            durations.add(spell, 1);
        }
        durations
    }
}

/// Every group's durations as of `today`, counted from the placements themselves.
pub fn durations_of(placements: &[Placement], today: time::Date) -> Vec<(GroupKey, Durations)> {
    GroupKey::all()
        .into_iter()
        .map(|key| (key, placements.iter().filter(|p| key.holds(p)).map(|p| p.spell(today)).collect()))
        .collect()
}

/// What a store keeps of the placements, kept up to date as stage changes, support records and
/// persons are written: per group, the ended placements by their duration and the others by
/// their day; and apart, the placements whose recorded end is still to come on the day asked
/// about (rare: an end recorded ahead), which count as held until then.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    /// Ended placements: group, days from placement to end, how many.
    pub ended: Vec<(GroupKey, i64, i64)>,
    /// Placements with no end recorded: group, the day of the placement, how many.
    pub held: Vec<(GroupKey, time::Date, i64)>,
    /// Placements recorded as ending after the day asked about (also counted in `ended`).
    pub ending_later: Vec<Placement>,
}

impl Kept {
    /// Every group's durations as of `today`, which must be the day the store was asked about.
    pub fn durations(&self, today: time::Date) -> Vec<(GroupKey, Durations)> {
        let mut groups: Vec<(GroupKey, Durations)> =
            GroupKey::all().into_iter().map(|k| (k, Durations::default())).collect();
        fn of(groups: &mut [(GroupKey, Durations)], key: GroupKey) -> Option<&mut Durations> {
            groups.iter_mut().find(|(k, _)| *k == key).map(|(_, d)| d)
        }
        for &(key, days, n) in &self.ended {
            if let Some(d) = of(&mut groups, key) {
                d.add(Spell { days, ended: true }, n);
            }
        }
        for &(key, placed_on, n) in &self.held {
            if let Some(d) = of(&mut groups, key) {
                d.add(Spell { days: (today - placed_on).whole_days(), ended: false }, n);
            }
        }
        for p in &self.ending_later {
            let Some(end) = p.ended_on else { continue };
            for key in GroupKey::all().into_iter().filter(|k| k.holds(p)) {
                if let Some(d) = of(&mut groups, key) {
                    d.add(Spell { days: (end - p.placed_on).whole_days(), ended: true }, -1);
                    d.add(p.spell(today), 1);
                }
            }
        }
        groups
    }
}

/// The estimate just after `day`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Days after the placement.
    pub day: i64,
    /// The share of placements still held.
    pub held: f64,
    /// The 95% band.
    pub low: f64,
    /// The 95% band.
    pub high: f64,
    /// Placements followed that long.
    pub at_risk: i64,
}

/// The Kaplan–Meier curve of `durations`: a step at each day on which a placement ended,
/// starting at day 0 with every placement held (a placement dated after today is not followed).
pub fn kaplan_meier(durations: &Durations) -> Vec<Step> {
    let mut at_risk: i64 = durations.0.range(0..).map(|(_, t)| t.ended + t.held).sum();
    let mut steps = vec![Step { day: 0, held: 1.0, low: 1.0, high: 1.0, at_risk }];
    let (mut held, mut greenwood) = (1.0_f64, 0.0_f64);
    for (&day, tally) in durations.0.range(0..) {
        if tally.ended > 0 && at_risk > 0 {
            let (n, d) = (at_risk as f64, tally.ended as f64);
            held *= 1.0 - d / n;
            if n > d {
                greenwood += d / (n * (n - d));
            }
            let (low, high) = band(held, greenwood);
            steps.push(Step { day, held, low, high, at_risk });
        }
        at_risk -= tally.ended + tally.held;
    }
    steps
}

/// The 95% band of `held` on the log(−log) scale.
fn band(held: f64, greenwood: f64) -> (f64, f64) {
    if held <= 0.0 || held >= 1.0 {
        return (held, held);
    }
    let se = greenwood.sqrt() / held.ln().abs();
    let z = 1.959_963_984_540_054;
    (held.powf((z * se).exp()), held.powf((-z * se).exp()))
}

/// The estimate `day` days after the placement, or `None` when no placement was followed that
/// long (the curve says nothing there).
pub fn held_at(curve: &[Step], durations: &Durations, day: i64) -> Option<Step> {
    if !durations.reaches(day) {
        return None;
    }
    curve.iter().rev().find(|s| s.day <= day).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spell(days: i64, ended: bool) -> Spell {
        Spell { days, ended }
    }

    fn durations(spells: &[Spell]) -> Durations {
        spells.iter().copied().collect()
    }

    #[test]
    fn the_estimate_drops_at_each_end_and_keeps_the_censored_at_risk_until_they_leave() {
        // The textbook case: 6 placements, ends at 3, 6 (two), 10; one censored at 7, one at 12.
        let spells =
            [spell(3, true), spell(6, true), spell(6, true), spell(7, false), spell(10, true), spell(12, false)];
        let spells = durations(&spells);
        let curve = kaplan_meier(&spells);
        let points: Vec<(i64, i64)> = curve.iter().map(|s| (s.day, s.at_risk)).collect();
        assert_eq!(points, [(0, 6), (3, 6), (6, 5), (10, 2)]);
        let expected = [1.0, 5.0 / 6.0, 5.0 / 6.0 * 3.0 / 5.0, 5.0 / 6.0 * 3.0 / 5.0 * 1.0 / 2.0];
        for (s, e) in curve.iter().zip(expected) {
            assert!((s.held - e).abs() < 1e-12, "{s:?} against {e}");
            assert!(s.low <= s.held && s.held <= s.high && s.low >= 0.0 && s.high <= 1.0, "{s:?}");
        }
        assert_eq!(held_at(&curve, &spells, 8).map(|s| s.day), Some(6));
        assert_eq!(held_at(&curve, &spells, 13), None, "no one was followed 13 days");
    }

    #[test]
    fn the_band_matches_a_hand_computation() {
        // Ten placements, one ended at day 5: S = 0.9, Greenwood sum 1/90.
        let mut spells = vec![spell(5, true)];
        spells.extend((0..9).map(|_| spell(100, false)));
        let step = kaplan_meier(&durations(&spells))[1];
        let se = (1.0_f64 / 90.0).sqrt() / 0.9_f64.ln().abs();
        assert!((step.low - 0.9_f64.powf((1.959_963_984_540_054 * se).exp())).abs() < 1e-12);
        assert!((step.low - 0.473).abs() < 0.001, "{step:?}");
        assert!((step.high - 0.985).abs() < 0.001, "{step:?}");
    }

    #[test]
    fn no_placement_or_none_ended_keeps_everyone_held() {
        assert_eq!(kaplan_meier(&Durations::default()).len(), 1);
        let spells = durations(&[spell(30, false), spell(60, false)]);
        let curve = kaplan_meier(&spells);
        assert_eq!(curve.len(), 1);
        assert_eq!(held_at(&curve, &spells, 45).map(|s| s.held), Some(1.0));
    }

    #[test]
    fn kept_counts_give_the_same_durations_as_the_placements_even_with_an_end_still_to_come() {
        use DisabilityCategory::{Developmental, Mental};
        use time::macros::date;
        let today = date!(2026 - 12 - 01);
        let p = |categories: &[DisabilityCategory], placed, ended, support| Placement {
            categories: categories.to_vec(),
            placed_on: placed,
            ended_on: ended,
            workplace_support: support,
        };
        let placements = [
            p(&[Mental], date!(2025 - 04 - 01), Some(date!(2025 - 05 - 01)), true),
            p(&[Developmental], date!(2025 - 04 - 01), None, false),
            p(&[Mental, Developmental], date!(2026 - 06 - 01), Some(date!(2027 - 01 - 01)), false),
        ];
        // What a store keeps: every end by its duration, whether or not it has come.
        let mut kept = Kept::default();
        for placement in &placements {
            for key in GroupKey::all().into_iter().filter(|k| k.holds(placement)) {
                match placement.ended_on {
                    Some(end) => kept.ended.push((key, (end - placement.placed_on).whole_days(), 1)),
                    None => kept.held.push((key, placement.placed_on, 1)),
                }
            }
        }
        kept.ending_later.push(placements[2].clone());
        assert_eq!(kept.durations(today), durations_of(&placements, today));
        let mental = &durations_of(&placements, today)[3];
        assert_eq!((mental.0, mental.1.placements(), mental.1.ended()), (GroupKey::Category(Mental), 2, 1));
    }

    #[test]
    fn group_codes_read_back_and_mental_is_not_developmental() {
        for key in GroupKey::all() {
            assert_eq!(GroupKey::parse(&key.code()), Some(key));
        }
        assert_eq!(
            GroupKey::parse("category:developmental"),
            Some(GroupKey::Category(DisabilityCategory::Developmental))
        );
        assert_eq!(GroupKey::parse("category:other"), None);
    }
}
