//! Jonker and Volgenant's shortest augmenting path algorithm (LAPJV, *Computing* 38, 1987) for a
//! square matrix of finite floats, on the whole matrix or on a sparse set of candidate pairs whose
//! answer is then proved optimal for the whole matrix.
//!
//! Written here rather than taken from the `lapjv` crate: that crate runs the dense algorithm only,
//! through generic `ndarray` indexing, and was slower than `scipy.optimize.linear_sum_assignment`
//! at n = 5,000 (`bench/assignment.sh`). On large matrices most of the dense algorithm's time goes
//! into the row reduction scanning whole rows again and again, while an optimal assignment of a
//! large matrix uses only pairs among the cheapest few of their row or column. So a large matrix
//! is first solved on those candidates alone, then checked against every pair: the prices the
//! candidates' solution ends with must leave no pair of the whole matrix cheaper than its row's
//! assigned pair (dual feasibility, which with a perfect matching proves it optimal). A pair that
//! breaks the check becomes a candidate, its row is freed and matched again, until none does; if
//! the candidates hold no perfect matching at all, the dense algorithm solves the matrix.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

const NONE: usize = usize::MAX;

/// From this size on, a matrix is solved on its candidates first.
const SPARSE_FROM: usize = 256;
/// Each row's cheapest pairs taken as candidates, and each column's.
const ROW_CANDIDATES: usize = 16;
const COLUMN_CANDIDATES: usize = 4;
/// The row reduction's budget of steps, a row. A step scans the row's pairs: a whole row of a
/// dense matrix, where the augmentation soon does better (a uniform 5,000 × 5,000 matrix takes
/// about 90 steps a row unbounded, and is solved in a third of the time with 8), or a handful of
/// candidates.
const DENSE_STEPS_PER_ROW: usize = 8;
const SPARSE_STEPS_PER_ROW: usize = 100;

/// The column of each row in a least-cost perfect matching of the row-major `n × n` `costs`.
pub(super) fn solve(n: usize, costs: &[f64]) -> Vec<usize> {
    if n < SPARSE_FROM {
        return dense(n, costs);
    }
    sparse(n, costs, ROW_CANDIDATES, COLUMN_CANDIDATES).unwrap_or_else(|| dense(n, costs))
}

/// Column prices and who holds what; a row's own price is implied, `cost(row, its column) − v`,
/// and is the least of `cost(row, j) − v[j]` over the row's pairs (the invariant every phase keeps).
struct Prices {
    v: Vec<f64>,
    row_of_col: Vec<usize>,
    col_of_row: Vec<usize>,
}

/// Column reduction, reduction transfer and two rounds of augmenting row reduction over the pairs
/// `pairs(i)` of each row; returns the prices and the rows left free. `None` when a column has no
/// pair at all.
fn reduce<I>(n: usize, steps_per_row: usize, pairs: impl Fn(usize) -> I) -> Option<(Prices, Vec<usize>)>
where
    I: Iterator<Item = (usize, f64)>,
{
    // Column reduction: each column's price is its least cost and the column goes to the first
    // row holding it, a row keeping the cheapest of the columns it wins.
    let mut v = vec![f64::INFINITY; n];
    let mut argmin = vec![0usize; n];
    for i in 0..n {
        for (j, c) in pairs(i) {
            if c < v[j] {
                v[j] = c;
                argmin[j] = i;
            }
        }
    }
    if v.iter().any(|p| !p.is_finite()) {
        return None;
    }
    let mut row_of_col = vec![NONE; n];
    let mut col_of_row = vec![NONE; n];
    let mut matches = vec![0u32; n];
    for j in (0..n).rev() {
        let i = argmin[j];
        matches[i] += 1;
        if matches[i] == 1 {
            col_of_row[i] = j;
            row_of_col[j] = i;
        } else if v[j] < v[col_of_row[i]] {
            row_of_col[col_of_row[i]] = NONE;
            col_of_row[i] = j;
            row_of_col[j] = i;
        }
    }

    // Reduction transfer: a row with one column lowers that column's price by its margin over
    // the row's next-best column.
    let mut free = Vec::with_capacity(n);
    for i in 0..n {
        match matches[i] {
            0 => free.push(i),
            1 => {
                let j1 = col_of_row[i];
                let margin = pairs(i).filter(|&(j, _)| j != j1).map(|(j, c)| c - v[j]).fold(f64::INFINITY, f64::min);
                if margin.is_finite() {
                    v[j1] -= margin;
                }
            }
            _ => {}
        }
    }

    // Augmenting row reduction, twice: a free row takes its best column, lowering its price by
    // the row's margin over its second best, and the row it displaces is free again. Where the
    // pairs hold no perfect matching the prices would fall for ever (as in an auction), so the
    // rows still pending after a budget of steps are left to the augmentation, which finds out.
    let mut budget = steps_per_row * n;
    for _ in 0..2 {
        let mut k = 0;
        let mut pending = std::mem::take(&mut free);
        while k < pending.len() {
            if budget == 0 {
                free.extend_from_slice(&pending[k..]);
                break;
            }
            budget -= 1;
            let i = pending[k];
            k += 1;
            let (mut umin, mut usubmin) = (f64::INFINITY, f64::INFINITY);
            let (mut j1, mut j2) = (NONE, NONE);
            for (j, c) in pairs(i) {
                let h = c - v[j];
                if h < usubmin {
                    if h >= umin {
                        usubmin = h;
                        j2 = j;
                    } else {
                        usubmin = umin;
                        umin = h;
                        j2 = j1;
                        j1 = j;
                    }
                }
            }
            if !usubmin.is_finite() {
                // One pair only: nothing to weigh it against, so the augmentation places it.
                free.push(i);
                continue;
            }
            let mut i0 = row_of_col[j1];
            let strict = umin < usubmin;
            if strict {
                let lowered = v[j1] - (usubmin - umin);
                if lowered == v[j1] {
                    // Too small a margin to move the price in floating point: passing the column
                    // back and forth could go on for ever, so the row waits for augmentation.
                    free.push(i);
                    continue;
                }
                v[j1] = lowered;
            } else if i0 != NONE {
                j1 = j2;
                i0 = row_of_col[j2];
            }
            col_of_row[i] = j1;
            row_of_col[j1] = i;
            if i0 != NONE {
                col_of_row[i0] = NONE;
                if strict {
                    // The displaced row is tried again at once, in this row's place.
                    k -= 1;
                    pending[k] = i0;
                } else {
                    free.push(i0);
                }
            }
        }
    }
    Some((Prices { v, row_of_col, col_of_row }, free))
}

impl Prices {
    /// Flips the alternating path that ends in the free column `end`, reached from `start`.
    fn flip(&mut self, start: usize, mut end: usize, pred: &[usize]) {
        loop {
            let i = pred[end];
            self.row_of_col[end] = i;
            let next = self.col_of_row[i];
            self.col_of_row[i] = end;
            if i == start {
                return;
            }
            end = next;
        }
    }
}

/// LAPJV on the whole matrix.
fn dense(n: usize, costs: &[f64]) -> Vec<usize> {
    if n <= 1 {
        return (0..n).collect();
    }
    let row = |i: usize| &costs[i * n..(i + 1) * n];
    let Some((mut p, free)) = reduce(n, DENSE_STEPS_PER_ROW, |i| row(i).iter().copied().enumerate()) else {
        return (0..n).collect(); // unreachable: every column of a dense matrix has its pairs
    };

    // Augmentation: a shortest path (Dijkstra on reduced costs, over arrays) from each row still
    // free to a free column, then the prices of the columns settled before it, and the path
    // flipped.
    let mut d = vec![0.0; n];
    let mut pred = vec![0usize; n];
    let mut cols: Vec<usize> = (0..n).collect();
    for &start in &free {
        for (j, (&c, &vj)) in row(start).iter().zip(&p.v).enumerate() {
            d[j] = c - vj;
            pred[j] = start;
        }
        for (k, c) in cols.iter_mut().enumerate() {
            *c = k;
        }
        // cols[..low] are settled, cols[low..up] are at the current minimum and not yet
        // scanned, cols[up..] are still to reach.
        let (mut low, mut up) = (0, 0);
        let mut last = 0;
        let mut min = 0.0;
        let end = 'search: loop {
            if up == low {
                last = low;
                min = d[cols[up]];
                up += 1;
                let first = up;
                for k in first..n {
                    let j = cols[k];
                    let h = d[j];
                    if h <= min {
                        if h < min {
                            up = low;
                            min = h;
                        }
                        cols[k] = cols[up];
                        cols[up] = j;
                        up += 1;
                    }
                }
                if let Some(&j) = cols[low..up].iter().find(|&&j| p.row_of_col[j] == NONE) {
                    break 'search j;
                }
            }
            let j1 = cols[low];
            low += 1;
            let i = p.row_of_col[j1];
            let costs_i = row(i);
            let h = costs_i[j1] - p.v[j1] - min;
            let unreached = up;
            for k in unreached..n {
                let j = cols[k];
                let reduced = costs_i[j] - p.v[j] - h;
                if reduced < d[j] {
                    pred[j] = i;
                    if reduced == min {
                        if p.row_of_col[j] == NONE {
                            break 'search j;
                        }
                        cols[k] = cols[up];
                        cols[up] = j;
                        up += 1;
                    }
                    d[j] = reduced;
                }
            }
        };
        for &j in &cols[..last] {
            p.v[j] += d[j] - min;
        }
        p.flip(start, end, &pred);
    }
    p.col_of_row
}

/// A column reached at a distance, ordered for a min-heap.
#[derive(PartialEq)]
struct Reached(f64, usize);

impl Eq for Reached {}

impl PartialOrd for Reached {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Reached {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// LAPJV on each row's `row_candidates` cheapest pairs and each column's `column_candidates`,
/// checked against the whole matrix (see the module's documentation); `None` when the candidates
/// hold no perfect matching.
fn sparse(n: usize, costs: &[f64], row_candidates: usize, column_candidates: usize) -> Option<Vec<usize>> {
    let row = |i: usize| &costs[i * n..(i + 1) * n];
    let mut pairs = candidates(n, costs, row_candidates.min(n), column_candidates.min(n));
    let (mut p, mut free) = reduce(n, SPARSE_STEPS_PER_ROW, |i| pairs[i].iter().map(|&(j, c)| (j as usize, c)))?;
    let scale = costs.iter().fold(1.0f64, |m, c| m.max(c.abs()));
    let tolerance = scale * 1e-12;

    let mut search = Search::new(n);
    loop {
        // Augmentation: Dijkstra with a heap over the candidates from each free row.
        for &start in &free {
            search.reset();
            search.relax(start, &pairs[start], &p.v, 0.0);
            let (end, min) = loop {
                let Reached(dist, j) = search.heap.pop()?;
                if search.settled[j] || dist > search.d[j] {
                    continue;
                }
                if p.row_of_col[j] == NONE {
                    break (j, dist);
                }
                search.settled[j] = true;
                let i = p.row_of_col[j];
                let through = row(i)[j] - p.v[j] - dist;
                search.relax(i, &pairs[i], &p.v, through);
            };
            for &j in &search.touched {
                if search.settled[j] {
                    p.v[j] += search.d[j] - min;
                }
            }
            p.flip(start, end, &search.pred);
        }

        // The check against every pair: a row whose assigned pair is not its cheapest at these
        // prices (beyond rounding) gains the pairs that beat it, and is matched again.
        free.clear();
        for (i, known) in pairs.iter_mut().enumerate() {
            let held = p.col_of_row[i];
            let own = row(i)[held] - p.v[held] - tolerance;
            let beaten: Vec<(u32, f64)> = row(i)
                .iter()
                .zip(&p.v)
                .enumerate()
                .filter(|&(_, (&c, &vj))| c - vj < own)
                .map(|(j, (&c, _))| (j as u32, c))
                .filter(|&(j, _)| !known.iter().any(|&(k, _)| k == j))
                .collect();
            if !beaten.is_empty() {
                known.extend(beaten);
                p.row_of_col[held] = NONE;
                p.col_of_row[i] = NONE;
                free.push(i);
            }
        }
        if free.is_empty() {
            return Some(p.col_of_row);
        }
    }
}

/// A shortest-path search over the candidates, its arrays kept from one search to the next and
/// reset through the columns the last one reached.
struct Search {
    d: Vec<f64>,
    pred: Vec<usize>,
    settled: Vec<bool>,
    touched: Vec<usize>,
    heap: BinaryHeap<Reached>,
}

impl Search {
    fn new(n: usize) -> Self {
        Self {
            d: vec![f64::INFINITY; n],
            pred: vec![0; n],
            settled: vec![false; n],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &j in &self.touched {
            self.d[j] = f64::INFINITY;
            self.settled[j] = false;
        }
        self.touched.clear();
        self.heap.clear();
    }

    /// Reaches the columns of row `i`'s `pairs` not yet settled through the row, at each pair's
    /// reduced cost less `through` (the row's own price less the distance the path reached it at).
    fn relax(&mut self, i: usize, pairs: &[(u32, f64)], v: &[f64], through: f64) {
        for &(j, c) in pairs {
            let j = j as usize;
            if self.settled[j] {
                continue;
            }
            let reduced = c - v[j] - through;
            if reduced < self.d[j] {
                if self.d[j].is_infinite() {
                    self.touched.push(j);
                }
                self.d[j] = reduced;
                self.pred[j] = i;
                self.heap.push(Reached(reduced, j));
            }
        }
    }
}

/// Each row's pairs among its `per_row` cheapest and the `per_column` cheapest of each column,
/// without repeats.
fn candidates(n: usize, costs: &[f64], per_row: usize, per_column: usize) -> Vec<Vec<(u32, f64)>> {
    let mut pairs: Vec<Vec<(u32, f64)>> = Vec::with_capacity(n);
    // Each column's cheapest rows so far, the dearest of them first when it is full.
    let mut column_best: Vec<Vec<(f64, u32)>> = vec![Vec::with_capacity(per_column); n];
    let mut order: Vec<(f64, u32)> = Vec::with_capacity(n);
    for i in 0..n {
        let row = &costs[i * n..(i + 1) * n];
        order.clear();
        order.extend(row.iter().enumerate().map(|(j, &c)| (c, j as u32)));
        order.select_nth_unstable_by(per_row - 1, |a, b| a.0.total_cmp(&b.0));
        pairs.push(order[..per_row].iter().map(|&(c, j)| (j, c)).collect());
        for (j, &c) in row.iter().enumerate() {
            let best = &mut column_best[j];
            if best.len() < per_column {
                best.push((c, i as u32));
                if best.len() == per_column {
                    best.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
                }
            } else if c < best[0].0 {
                best[0] = (c, i as u32);
                best.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
            }
        }
    }
    for (j, best) in column_best.into_iter().enumerate() {
        for (c, i) in best {
            let own = &mut pairs[i as usize];
            if !own.iter().any(|&(known, _)| known == j as u32) {
                own.push((j as u32, c));
            }
        }
    }
    pairs
}

#[cfg(test)]
pub(super) mod tests {
    use proptest::prelude::*;

    use super::*;

    /// An `n × n` matrix of whole numbers below `spread` from a small generator seeded with
    /// `seed`: few distinct values (many ties, many rows displaced in the row reduction) or many.
    pub(in crate::assignment) fn whole_number_costs(n: usize, spread: u64, seed: u64) -> Vec<f64> {
        let mut state = seed;
        (0..n * n)
            .map(|_| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                ((state >> 33) % spread) as f64
            })
            .collect()
    }

    fn total(n: usize, costs: &[f64], column_of_row: &[usize]) -> f64 {
        column_of_row.iter().enumerate().map(|(i, &j)| costs[i * n + j]).sum()
    }

    proptest! {
        /// The candidates' path, with so few candidates that the check against the whole matrix
        /// and (on ties) the fall back to the dense algorithm are taken often.
        #[test]
        fn the_candidates_answer_is_the_whole_matrix_optimum(
            n in 2usize..60,
            per_row in 1usize..4,
            per_column in 1usize..3,
            spread in prop_oneof![Just(3u64), Just(20), Just(1_000_000)],
            seed in any::<u64>(),
        ) {
            let costs = whole_number_costs(n, spread, seed);
            let want = total(n, &costs, &dense(n, &costs));
            if let Some(got) = sparse(n, &costs, per_row, per_column) {
                let mut used = got.clone();
                used.sort_unstable();
                used.dedup();
                prop_assert_eq!(used.len(), n);
                prop_assert_eq!(total(n, &costs, &got), want);
            }
        }
    }
}
