//! Matching a person with openings: the hard constraints an opening must meet (weekly hours,
//! area, every accommodation needed offered, the person's disability categories welcomed), a
//! score out of 100 made of named parts so that every result says why it ranks where it does, and
//! the near misses: openings that fail one constraint only, with the constraint named.

use time::Date;

use crate::codes::LocalGovCode;
use crate::opening::{Accommodation, OpeningFields, WageKind, bits, category_bit};
use crate::person::DisabilityCategory;

/// What a person looks for: what the support worker confirmed with them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Criteria {
    /// Hours a week the person can work (the opening's range must hold it).
    pub hours: Option<u8>,
    /// Where the person can commute to (none: anywhere).
    pub areas: Vec<LocalGovCode>,
    /// Accommodations the person needs: every one must be offered.
    pub needs: Vec<Accommodation>,
    /// The person's disability categories: an opening welcoming some must welcome one of them.
    pub categories: Vec<DisabilityCategory>,
}

/// A hard constraint an opening failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Miss {
    /// Its weekly hours do not hold the person's.
    Hours,
    /// It is not in the person's area.
    Area,
    /// It does not offer every accommodation needed.
    Accommodations,
    /// It welcomes other categories only.
    Category,
}

impl Miss {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Hours => "hours",
            Self::Area => "area",
            Self::Accommodations => "accommodations",
            Self::Category => "category",
        }
    }
}

/// One part of a score, with its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Every hard constraint is met (the base of every score).
    Fits,
    /// How near the person's hours sit to the middle of the range.
    Hours(u8),
    /// Accommodations offered beyond those needed (how many).
    ExtraAccommodations(u8),
    /// The wage, as yen an hour.
    Wage(u32),
    /// How recently it was published (days ago).
    Recent(u16),
}

impl Reason {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Fits => "fits",
            Self::Hours(_) => "hours",
            Self::ExtraAccommodations(_) => "extra_accommodations",
            Self::Wage(_) => "wage",
            Self::Recent(_) => "recent",
        }
    }
}

/// An opening's score and its parts: (reason, points), the points adding up to `score`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Out of 100.
    pub score: u8,
    /// The parts.
    pub parts: Vec<(Reason, u8)>,
}

/// The points of each part at most.
pub mod weights {
    /// Meeting every hard constraint.
    pub const FITS: u8 = 40;
    /// Hours at the middle of the range.
    pub const HOURS: u8 = 20;
    /// Accommodations beyond those needed (3 each).
    pub const EXTRA: u8 = 15;
    /// Wage at the top of the demo's range.
    pub const WAGE: u8 = 15;
    /// Published today.
    pub const RECENT: u8 = 10;
}

/// The wage below which the wage part gives nothing and above which it gives everything, yen an
/// hour: Tokyo's minimum wage (1,163 yen from October 2024) and 1,600.
pub const WAGE_RANGE: (u32, u32) = (1_163, 1_600);

/// How long after publication the recency part falls to nothing, in days.
pub const RECENT_DAYS: u16 = 120;

/// The fields of an opening matching reads, compact (the index keeps 50,000 of them in memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Fewest hours a week.
    pub hours_min: u8,
    /// Most hours a week.
    pub hours_max: u8,
    /// Where: the municipality's code as a number ([`area_number`]), so that the 50,000 an index
    /// holds stay small and compare without touching the heap.
    pub area: Option<u32>,
    /// Categories welcomed, one bit each ([`category_bit`]); 0 is any.
    pub categories: i64,
    /// Accommodations offered, one bit each ([`Accommodation::bit`]).
    pub accommodations: i64,
    /// The wage as yen an hour (a monthly wage over the most hours of its range, 52 weeks a year).
    pub hourly_wage: u32,
    /// Published on, as a Julian day number.
    pub published_day: Option<i32>,
}

impl Candidate {
    /// The candidate of an opening's fields published on `published_on`.
    pub fn of(f: &OpeningFields, published_on: Option<Date>) -> Self {
        let hourly_wage = match f.wage_kind {
            WageKind::Hourly => f.wage,
            WageKind::Monthly => {
                let yearly = u64::from(f.wage) * 12;
                let hours = u64::from(f.hours_max.max(1)) * 52;
                u32::try_from(yearly / hours).unwrap_or(u32::MAX)
            }
        };
        Self {
            hours_min: f.hours_min,
            hours_max: f.hours_max,
            area: f.municipality.as_ref().map(area_number),
            categories: bits(&f.categories, category_bit),
            accommodations: bits(&f.accommodations, Accommodation::bit),
            hourly_wage,
            published_day: published_on.map(Date::to_julian_day),
        }
    }
}

/// A municipality's code as a number (its six digits).
pub fn area_number(code: &LocalGovCode) -> u32 {
    code.as_str().bytes().fold(0, |n, b| n * 10 + u32::from(b.wrapping_sub(b'0')))
}

/// `criteria` made ready to test many candidates: its sets as bits.
#[derive(Debug, Clone)]
struct Prepared<'a> {
    criteria: &'a Criteria,
    needs: i64,
    categories: i64,
    areas: Vec<u32>,
}

impl<'a> Prepared<'a> {
    fn new(criteria: &'a Criteria) -> Self {
        Self {
            criteria,
            needs: bits(&criteria.needs, Accommodation::bit),
            categories: bits(&criteria.categories, category_bit),
            areas: criteria.areas.iter().map(area_number).collect(),
        }
    }

    /// The constraints missed, one bit each in [`MISSES`] order (0: it fits).
    fn missed(&self, c: &Candidate) -> u8 {
        let mut missed = 0;
        if let Some(h) = self.criteria.hours
            && !(c.hours_min..=c.hours_max).contains(&h)
        {
            missed |= 1;
        }
        if !self.areas.is_empty() && !c.area.is_some_and(|a| self.areas.contains(&a)) {
            missed |= 2;
        }
        if c.accommodations & self.needs != self.needs {
            missed |= 4;
        }
        if c.categories != 0 && c.categories & self.categories == 0 {
            missed |= 8;
        }
        missed
    }
}

/// The constraints in the order of their bits.
const MISSES: [Miss; 4] = [Miss::Hours, Miss::Area, Miss::Accommodations, Miss::Category];

impl Candidate {
    /// The points that do not depend on what the person asks for (the wage and recency): ranking
    /// candidates sorted by them, highest first, can stop once no candidate left can enter the
    /// top ([`rank_sorted`]).
    pub fn static_points(&self, today: Date) -> u8 {
        wage_points(self.hourly_wage) + recent_points(self, today).1
    }
}

fn wage_points(hourly_wage: u32) -> u8 {
    let (low, high) = WAGE_RANGE;
    let wage = hourly_wage.clamp(low, high) - low;
    (u32::from(weights::WAGE) * wage / (high - low)) as u8
}

/// Days since publication (capped) and the recency points.
fn recent_points(c: &Candidate, today: Date) -> (u16, u8) {
    let days = c.published_day.map_or(RECENT_DAYS, |d| {
        let days = today.to_julian_day() - d;
        u16::try_from(days.clamp(0, i32::from(RECENT_DAYS))).unwrap_or(RECENT_DAYS)
    });
    (days, (u16::from(weights::RECENT) * (RECENT_DAYS - days) / RECENT_DAYS) as u8)
}

/// The hard constraints `candidate` fails for `criteria` (none: it fits).
pub fn misses(criteria: &Criteria, candidate: &Candidate) -> Vec<Miss> {
    let missed = Prepared::new(criteria).missed(candidate);
    MISSES.iter().enumerate().filter(|(i, _)| missed & (1 << i) != 0).map(|(_, m)| *m).collect()
}

/// The score of `candidate` for `criteria` on `today`, whether or not it fits (a near miss is
/// ranked by what it would score).
pub fn assess(criteria: &Criteria, candidate: &Candidate, today: Date) -> Assessment {
    let parts = parts(criteria, bits(&criteria.needs, Accommodation::bit), candidate, today);
    Assessment { score: parts.iter().map(|(_, p)| *p).sum(), parts: parts.to_vec() }
}

/// The parts of a score, without allocating (ranking scores every candidate).
fn parts(criteria: &Criteria, needs: i64, candidate: &Candidate, today: Date) -> [(Reason, u8); 5] {
    let hours =
        criteria.hours.map_or(weights::HOURS / 2, |h| hours_points(h, candidate.hours_min, candidate.hours_max));
    let extra = (candidate.accommodations & !needs).count_ones().min(5) as u8;
    let (days, recent) = recent_points(candidate, today);
    [
        (Reason::Fits, weights::FITS),
        (Reason::Hours(criteria.hours.unwrap_or_default()), hours),
        (Reason::ExtraAccommodations(extra), extra * 3),
        (Reason::Wage(candidate.hourly_wage), wage_points(candidate.hourly_wage)),
        (Reason::Recent(days), recent),
    ]
}

/// The hours part: all of it at the middle of the opening's range, half of it at the range's ends
/// (a range counted at least 10 hours wide) and beyond, `HOURS × (1 − off / 2)` with `off` the
/// distance from the middle over half the range, at most 1; rounded half up. Worked in whole
/// numbers, doubled so that the middle's half hour stays whole (ranking scores every candidate).
fn hours_points(hours: u8, min: u8, max: u8) -> u8 {
    let span = u32::from(max.saturating_sub(min)).max(10);
    let off = (2 * u32::from(hours)).abs_diff(u32::from(min) + u32::from(max)).min(span);
    let (points, whole) = (u32::from(weights::HOURS) * (2 * span - off), 2 * span);
    ((2 * points + whole) / (2 * whole)) as u8
}

/// What [`rank`] finds: the fits (candidate index, assessment), best first, and the near misses
/// (candidate index, the constraint missed, assessment).
pub type Ranked = (Vec<(usize, Assessment)>, Vec<(usize, Miss, Assessment)>);

/// The best `k` candidates that fit, best first (ties: the earlier candidate first), and the best
/// `near` that fail exactly one constraint, each with the constraint it fails.
pub fn rank<'a>(
    criteria: &Criteria,
    candidates: impl IntoIterator<Item = &'a Candidate>,
    today: Date,
    k: usize,
    near: usize,
) -> Ranked {
    ranked(criteria, candidates, today, k, near, false)
}

/// As [`rank`], for candidates sorted by [`Candidate::static_points`] on `today`, highest first:
/// it stops as soon as neither list can change, since no candidate after one can score more than
/// that one's static points and every point that depends on the person (the same result as
/// [`rank`], which a property test holds it to).
pub fn rank_sorted(criteria: &Criteria, candidates: &[Candidate], today: Date, k: usize, near: usize) -> Ranked {
    ranked(criteria, candidates, today, k, near, true)
}

fn ranked<'a>(
    criteria: &Criteria,
    candidates: impl IntoIterator<Item = &'a Candidate>,
    today: Date,
    k: usize,
    near: usize,
    sorted: bool,
) -> Ranked {
    let prepared = Prepared::new(criteria);
    let score = |c: &Candidate| parts(criteria, prepared.needs, c, today).iter().map(|(_, p)| *p).sum::<u8>();
    let mut fits: Vec<(u8, usize, &Candidate)> = Vec::new();
    let mut close: Vec<(u8, usize, Miss, &Candidate)> = Vec::new();
    let person_points = weights::FITS + weights::HOURS + weights::EXTRA;
    for (i, c) in candidates.into_iter().enumerate() {
        if sorted {
            // Nothing from here on scores more than this; a list whose last is above it is final.
            let bound = person_points + c.static_points(today);
            let done = |len: usize, want: usize, last: Option<u8>| len >= want && last.is_none_or(|s| s >= bound);
            if done(fits.len(), k, fits.last().map(|f| f.0)) && done(close.len(), near, close.last().map(|f| f.0)) {
                break;
            }
        }
        match prepared.missed(c) {
            0 => keep(&mut fits, k, (score(c), i, c), |x| x.0),
            one if one.is_power_of_two() => {
                let miss = MISSES[one.trailing_zeros() as usize];
                keep(&mut close, near, (score(c), i, miss, c), |x| x.0);
            }
            _ => {}
        }
    }
    (
        fits.into_iter().map(|(_, i, c)| (i, assess(criteria, c, today))).collect(),
        close.into_iter().map(|(_, i, miss, c)| (i, miss, assess(criteria, c, today))).collect(),
    )
}

/// Keeps the `k` highest by `score` in `best`, best first, the earlier first among equals.
fn keep<T>(best: &mut Vec<T>, k: usize, item: T, score: impl Fn(&T) -> u8) {
    if k == 0 {
        return;
    }
    if best.len() == k && best.last().is_some_and(|last| score(last) >= score(&item)) {
        return;
    }
    let at = best.partition_point(|x| score(x) >= score(&item));
    best.insert(at, item);
    best.truncate(k);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::date;

    use super::*;

    fn lg(code: &str) -> LocalGovCode {
        LocalGovCode::parse(code).unwrap()
    }

    fn candidate(
        hours: (u8, u8),
        municipality: &str,
        offered: &[Accommodation],
        categories: &[DisabilityCategory],
    ) -> Candidate {
        Candidate {
            hours_min: hours.0,
            hours_max: hours.1,
            area: Some(area_number(&lg(municipality))),
            categories: bits(categories, category_bit),
            accommodations: bits(offered, Accommodation::bit),
            hourly_wage: 1_300,
            published_day: Some(date!(2026 - 12 - 01).to_julian_day()),
        }
    }

    const TODAY: Date = date!(2026 - 12 - 06);

    #[test]
    fn the_hours_part_falls_from_the_middle_to_half_at_the_ends() {
        assert_eq!(hours_points(25, 20, 30), weights::HOURS);
        assert_eq!(hours_points(30, 20, 30), weights::HOURS / 2);
        assert_eq!(hours_points(40, 20, 30), weights::HOURS / 2);
        // 6 hours from the middle of a 20-hour range: 20 × (1 − 0.6 / 2) = 14.
        assert_eq!(hours_points(36, 20, 40), 14);
        // A narrow range counts 10 hours wide: 1 hour off the middle of 20–22 is 20 × 0.9 = 18.
        assert_eq!(hours_points(22, 20, 22), 18);
        // Half an hour off the middle of 20–41: 20 × (1 − 0.5 / 21) = 19.52, rounded to 20.
        assert_eq!(hours_points(31, 20, 41), 20);
    }

    #[test]
    fn each_hard_constraint_is_named_when_missed() {
        let criteria = Criteria {
            hours: Some(25),
            areas: vec![lg("131016")],
            needs: vec![Accommodation::JobCoach, Accommodation::WrittenInstructions],
            categories: vec![DisabilityCategory::Mental],
        };
        let fits = candidate((20, 30), "131016", &[Accommodation::JobCoach, Accommodation::WrittenInstructions], &[]);
        assert!(misses(&criteria, &fits).is_empty());
        let everything_wrong =
            candidate((10, 20), "131041", &[Accommodation::JobCoach], &[DisabilityCategory::Physical]);
        assert_eq!(
            misses(&criteria, &everything_wrong),
            [Miss::Hours, Miss::Area, Miss::Accommodations, Miss::Category]
        );
        let welcomes_mine = candidate(
            (20, 30),
            "131016",
            &[Accommodation::JobCoach, Accommodation::WrittenInstructions],
            &[DisabilityCategory::Physical, DisabilityCategory::Mental],
        );
        assert!(misses(&criteria, &welcomes_mine).is_empty());
    }

    #[test]
    fn the_parts_of_a_score_add_up_and_explain_the_order() {
        let criteria = Criteria { hours: Some(25), ..Criteria::default() };
        let centred = candidate((20, 30), "131016", &[Accommodation::Mentor], &[]);
        let edge = candidate((25, 40), "131016", &[], &[]);
        let a = assess(&criteria, &centred, TODAY);
        let b = assess(&criteria, &edge, TODAY);
        assert_eq!(a.score, a.parts.iter().map(|(_, p)| p).sum::<u8>());
        assert!(a.score > b.score, "{a:?} {b:?}");
        let (top, _) = rank(&criteria, [&edge, &centred], TODAY, 10, 0);
        assert_eq!(top.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [1, 0]);
    }

    #[test]
    fn a_monthly_wage_is_read_as_an_hourly_one() {
        let f = OpeningFields {
            title: "事務".into(),
            tasks: vec!["入力".into()],
            hours_min: 30,
            hours_max: 40,
            wage_kind: WageKind::Monthly,
            wage: 208_000,
            municipality: None,
            place: None,
            starts_on: None,
            positions: 1,
            accommodations: vec![],
            categories: vec![],
            note: None,
        };
        assert_eq!(Candidate::of(&f, None).hourly_wage, 1_200);
    }

    fn any_candidate() -> impl Strategy<Value = Candidate> {
        (1u8..=40, 0u8..=20, 0usize..3, 0i64..1024, 0i64..64, 1_000u32..2_000, 0i64..200).prop_map(
            |(min, span, m, acc, cat, wage, days)| Candidate {
                hours_min: min,
                hours_max: (min + span).min(40),
                area: Some(area_number(&lg(["131016", "131041", "131067"][m]))),
                categories: cat,
                accommodations: acc,
                hourly_wage: wage,
                published_day: Some((TODAY - time::Duration::days(days)).to_julian_day()),
            },
        )
    }

    proptest! {
        /// The top k are the k best-scoring fits, as sorting every fit gives them, and every near
        /// miss fails exactly the constraint it names.
        #[test]
        fn the_top_k_are_those_a_full_sort_gives(cands in prop::collection::vec(any_candidate(), 0..200), k in 0usize..15, hours in 1u8..=40) {
            let criteria = Criteria {
                hours: Some(hours),
                areas: vec![lg("131016"), lg("131041")],
                needs: vec![Accommodation::JobCoach],
                categories: vec![DisabilityCategory::Intellectual],
            };
            let (top, near) = rank(&criteria, &cands, TODAY, k, 5);
            let mut all: Vec<(usize, u8)> = cands
                .iter()
                .enumerate()
                .filter(|(_, c)| misses(&criteria, c).is_empty())
                .map(|(i, c)| (i, assess(&criteria, c, TODAY).score))
                .collect();
            all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            all.truncate(k);
            prop_assert_eq!(top.iter().map(|(i, a)| (*i, a.score)).collect::<Vec<_>>(), all);
            for (i, miss, _) in &near {
                prop_assert_eq!(misses(&criteria, &cands[*i]), vec![*miss]);
            }
            // Sorted by their static points, the early stop finds the same scores.
            let mut sorted = cands.clone();
            sorted.sort_by_key(|c| std::cmp::Reverse(c.static_points(TODAY)));
            let (top_sorted, near_sorted) = rank_sorted(&criteria, &sorted, TODAY, k, 5);
            let (top_full, near_full) = rank(&criteria, &sorted, TODAY, k, 5);
            prop_assert_eq!(top_sorted, top_full);
            prop_assert_eq!(near_sorted, near_full);

        }
    }
}
