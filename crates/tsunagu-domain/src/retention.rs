//! How long placements last: the Kaplan–Meier estimate of the share of placements still held a
//! given number of days after the placement, with a 95% confidence band (Greenwood's variance on
//! the log(−log) scale, which keeps the band within 0 and 1), placements still held counted
//! until today and no further (censored).
//!
//! Written here rather than taken from a crate: the estimator is a dozen lines over sorted
//! durations, and the statistics crates that have it bring a dataframe library with them.

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
    pub categories: Vec<crate::person::DisabilityCategory>,
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
    pub at_risk: usize,
}

/// The Kaplan–Meier curve of `spells`: a step at each day on which a placement ended, starting
/// at day 0 with every placement held.
pub fn kaplan_meier(spells: &[Spell]) -> Vec<Step> {
    let mut sorted: Vec<Spell> = spells.iter().copied().filter(|s| s.days >= 0).collect();
    sorted.sort_by_key(|s| s.days);
    let mut steps = vec![Step { day: 0, held: 1.0, low: 1.0, high: 1.0, at_risk: sorted.len() }];
    let (mut held, mut greenwood) = (1.0_f64, 0.0_f64);
    let mut i = 0;
    while i < sorted.len() {
        let day = sorted[i].days;
        let at_risk = sorted.len() - i;
        let same_day = sorted[i..].iter().take_while(|s| s.days == day);
        let (ended, count) = same_day.fold((0_usize, 0_usize), |(e, n), s| (e + usize::from(s.ended), n + 1));
        if ended > 0 {
            let (n, d) = (at_risk as f64, ended as f64);
            held *= 1.0 - d / n;
            if n > d {
                greenwood += d / (n * (n - d));
            }
            let (low, high) = band(held, greenwood);
            steps.push(Step { day, held, low, high, at_risk });
        }
        i += count;
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
pub fn held_at(curve: &[Step], spells: &[Spell], day: i64) -> Option<Step> {
    if !spells.iter().any(|s| s.days >= day) {
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

    #[test]
    fn the_estimate_drops_at_each_end_and_keeps_the_censored_at_risk_until_they_leave() {
        // The textbook case: 6 placements, ends at 3, 6 (two), 10; one censored at 7, one at 12.
        let spells =
            [spell(3, true), spell(6, true), spell(6, true), spell(7, false), spell(10, true), spell(12, false)];
        let curve = kaplan_meier(&spells);
        let points: Vec<(i64, usize)> = curve.iter().map(|s| (s.day, s.at_risk)).collect();
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
        let step = kaplan_meier(&spells)[1];
        let se = (1.0_f64 / 90.0).sqrt() / 0.9_f64.ln().abs();
        assert!((step.low - 0.9_f64.powf((1.959_963_984_540_054 * se).exp())).abs() < 1e-12);
        assert!((step.low - 0.473).abs() < 0.001, "{step:?}");
        assert!((step.high - 0.985).abs() < 0.001, "{step:?}");
    }

    #[test]
    fn no_placement_or_none_ended_keeps_everyone_held() {
        assert_eq!(kaplan_meier(&[]).len(), 1);
        let curve = kaplan_meier(&[spell(30, false), spell(60, false)]);
        assert_eq!(curve.len(), 1);
        assert_eq!(held_at(&curve, &[spell(30, false), spell(60, false)], 45).map(|s| s.held), Some(1.0));
    }
}
