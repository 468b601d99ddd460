//! The exact solvers timed on generated problems (run by `bench/assignment.sh`).
//!
//! `tsunagu-assignment matrix N SEED FILE [uniform|product]`: an N × N matrix of uniform costs in
//! [0, 1) from a SplitMix64 stream seeded with SEED (or, `product`, each cost the product of a
//! uniform row factor and a uniform column factor), written to FILE as little-endian f64 (so another solver can
//! read the same numbers), then solved by `assignment::minimise`; prints `n`, the median time of
//! three runs in ms and the optimal total.
//!
//! `tsunagu-assignment fair COMPANIES PARTICIPANTS SEED`: a fair of 6 slots, 1–3 desks a company and
//! 2–5 wanted meetings a participant, each participant naming 8 companies with weights 1–10;
//! prints the optimal and greedy totals and their times.

use std::time::{Duration, Instant};

use tsunagu_domain::assignment;
use tsunagu_domain::fair::schedule::{self as fair, FairProblem, Preference};

/// SplitMix64: small, seedable and easy to reproduce in any language.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The median time of three runs, and the last run's result.
fn median_of_three<T>(mut run: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    for _ in 0..2 {
        let start = Instant::now();
        run();
        times.push(start.elapsed());
    }
    let start = Instant::now();
    let last = run();
    times.push(start.elapsed());
    times.sort();
    (times[1], last)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn matrix(n: usize, seed: u64, file: &str, kind: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = SplitMix(seed);
    let costs: Vec<f64> = match kind {
        "uniform" => (0..n * n).map(|_| rng.unit()).collect(),
        // Every row's cheapest pairs lie in the same few columns, and the optimum pairs the dearest
        // row factor with the cheapest column factor: the worst case for any shortcut.
        "product" => {
            let rows: Vec<f64> = (0..n).map(|_| rng.unit()).collect();
            let cols: Vec<f64> = (0..n).map(|_| rng.unit()).collect();
            rows.iter().flat_map(|r| cols.iter().map(move |c| r * c)).collect()
        }
        _ => return Err(format!("unknown matrix kind {kind}: uniform or product").into()),
    };
    let bytes: Vec<u8> = costs.iter().flat_map(|c| c.to_le_bytes()).collect();
    std::fs::write(file, bytes)?;
    let (time, solved) = median_of_three(|| assignment::minimise(n, n, &costs));
    let solved = solved?;
    println!("n={n} ms={:.1} total={:.9}", ms(time), solved.total);
    Ok(())
}

fn fair(companies: usize, participants: usize, seed: u64) -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = SplitMix(seed);
    let desks = (0..companies).map(|_| 1 + rng.below(3) as u16).collect();
    let wants = (0..participants).map(|_| 2 + rng.below(4) as u16).collect();
    let mut preferences = Vec::new();
    for participant in 0..participants {
        let mut named = std::collections::HashSet::new();
        while named.len() < 8.min(companies) {
            named.insert(rng.below(companies as u64) as usize);
        }
        let mut named: Vec<usize> = named.into_iter().collect();
        named.sort_unstable();
        for company in named {
            preferences.push(Preference { participant, company, weight: 1 + rng.below(10) as u32 });
        }
    }
    let problem = FairProblem { slots: 6, desks, wants, preferences };
    let (exact_time, exact) = median_of_three(|| fair::optimal(&problem));
    let (greedy_time, greedy) = median_of_three(|| fair::greedy(&problem));
    let (exact, greedy) = (exact.map_err(|p| format!("{p:?}"))?, greedy.map_err(|p| format!("{p:?}"))?);
    println!(
        "companies={companies} participants={participants} optimal={} optimal_meetings={} optimal_ms={:.1} greedy={} greedy_meetings={} greedy_ms={:.1}",
        exact.total,
        exact.meetings.len(),
        ms(exact_time),
        greedy.total,
        greedy.meetings.len(),
        ms(greedy_time)
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["matrix", n, seed, file] => matrix(n.parse()?, seed.parse()?, file, "uniform"),
        ["matrix", n, seed, file, kind] => matrix(n.parse()?, seed.parse()?, file, kind),
        ["fair", companies, participants, seed] => fair(companies.parse()?, participants.parse()?, seed.parse()?),
        _ => {
            Err("usage: tsunagu-assignment matrix N SEED FILE [uniform|product] | fair COMPANIES PARTICIPANTS SEED"
                .into())
        }
    }
}
