//! Ranking timed on its own (run by `bench/matching.sh`): 50,000 openings drawn like the demo's
//! (hours ranges, 30% of each accommodation offered, half welcoming any category, hourly wages of
//! 1,163–1,600 yen, published up to 120 days ago), ranked for 2,000 persons of varied hours, needs
//! and categories — by the early-stopping scan over openings sorted by their static points, and by
//! the full scan, its baseline in the same run. Prints the median and p99 of each in µs, and the
//! ratio.
//!
//! `tsunagu-matching [OPENINGS] [SEED]`

use std::time::{Duration, Instant};

use time::macros::date;
use tsunagu_domain::LocalGovCode;
use tsunagu_domain::matching::{Candidate, Criteria, area_number, rank, rank_sorted};
use tsunagu_domain::opening::{Accommodation, bits, category_bit};
use tsunagu_domain::person::DisabilityCategory;

/// SplitMix64: small and seedable.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).map_or(0.0, |d| d.as_secs_f64() * 1e6)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2024);
    let mut rng = SplitMix(seed);
    let today = date!(2026 - 12 - 06);
    let municipalities: Vec<LocalGovCode> =
        ["131016", "131024", "131032", "131041", "131059", "131067", "131075", "131083"]
            .iter()
            .filter_map(|c| LocalGovCode::parse(c).ok())
            .collect();
    let hours = [(10u8, 20u8), (20, 30), (30, 40), (20, 40)];
    let mut candidates: Vec<Candidate> = (0..n)
        .map(|_| {
            let (min, max) = hours[rng.below(4) as usize];
            let offered: Vec<Accommodation> = Accommodation::ALL.into_iter().filter(|_| rng.below(10) < 3).collect();
            let welcomed: Vec<DisabilityCategory> = if rng.below(2) == 0 {
                Vec::new()
            } else {
                DisabilityCategory::ALL.into_iter().filter(|_| rng.below(3) == 0).collect()
            };
            Candidate {
                hours_min: min,
                hours_max: max,
                area: municipalities.get(rng.below(municipalities.len() as u64) as usize).map(area_number),
                categories: bits(&welcomed, category_bit),
                accommodations: bits(&offered, Accommodation::bit),
                hourly_wage: 1_163 + rng.below(438) as u32,
                published_day: Some((today - time::Duration::days(rng.below(120) as i64)).to_julian_day()),
            }
        })
        .collect();
    candidates.sort_by_key(|c| std::cmp::Reverse(c.static_points(today)));
    let needs =
        [Accommodation::WrittenInstructions, Accommodation::QuietPlace, Accommodation::JobCoach, Accommodation::Mentor];
    let persons: Vec<Criteria> = (0..2_000)
        .map(|_| {
            let wanted = rng.below(3) as usize;
            Criteria {
                hours: Some([10, 15, 20, 25, 30, 35, 40][rng.below(7) as usize]),
                areas: if rng.below(4) == 0 { municipalities[..3].to_vec() } else { Vec::new() },
                needs: (0..wanted).map(|_| needs[rng.below(4) as usize]).collect(),
                categories: vec![DisabilityCategory::ALL[rng.below(6) as usize]],
            }
        })
        .collect();
    let time = |f: &dyn Fn(&Criteria) -> usize| {
        let mut times: Vec<Duration> = persons
            .iter()
            .map(|c| {
                let started = Instant::now();
                std::hint::black_box(f(c));
                started.elapsed()
            })
            .collect();
        times.sort();
        (percentile(&times, 0.5), percentile(&times, 0.99))
    };
    let full = time(&|c| rank(c, &candidates, today, 10, 5).0.len());
    let sorted = time(&|c| rank_sorted(c, &candidates, today, 10, 5).0.len());
    println!("openings: {n}, persons: {}", persons.len());
    println!("{:<28} {:>12} {:>12}", "ranking", "median (µs)", "p99 (µs)");
    println!("{:<28} {:>12.0} {:>12.0}", "full scan (baseline)", full.0, full.1);
    println!("{:<28} {:>12.0} {:>12.0}", "sorted, stopping early", sorted.0, sorted.1);
    println!("early stop: {:.2}x the full scan's median, {:.2}x its p99", sorted.0 / full.0, sorted.1 / full.1);
}
