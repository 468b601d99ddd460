//! Exact linear assignment: each row to at most one column and each column to at most one row,
//! at the least total cost (or the greatest total weight).
//!
//! The solver is Jonker and Volgenant's shortest augmenting path (LAPJV) for a square matrix of
//! floats; rectangular problems are squared with zero-cost padding (a row matched to a padding
//! column is unassigned), and non-finite numbers are kept out. `bench/assignment.sh`
//! sets it beside `scipy.optimize.linear_sum_assignment` on the same matrices.

mod lapjv;

/// Why a problem could not be solved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssignmentError {
    /// `costs.len()` is not `rows × cols`.
    #[error("the cost matrix holds {len} numbers, not {rows} × {cols}")]
    Shape {
        /// Rows given.
        rows: usize,
        /// Columns given.
        cols: usize,
        /// Numbers given.
        len: usize,
    },
    /// A cost is NaN or infinite.
    #[error("the cost at row {row}, column {col} is not a finite number")]
    NotFinite {
        /// Its row.
        row: usize,
        /// Its column.
        col: usize,
    },
}

/// An optimal assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// For each row, its column, or `None` when the row is left unassigned.
    pub column_of_row: Vec<Option<usize>>,
    /// The total cost (for [`minimise`]) or weight (for [`maximise`]) of the assigned pairs.
    pub total: f64,
}

/// Assigns `min(rows, cols)` pairs at the least total cost, as `linear_sum_assignment` does.
///
/// `costs` is row-major, `rows × cols`.
pub fn minimise(rows: usize, cols: usize, costs: &[f64]) -> Result<Assignment, AssignmentError> {
    check(rows, cols, costs)?;
    let n = rows.max(cols);
    let column_of_square_row = if rows == cols {
        lapjv::solve(n, costs)
    } else {
        lapjv::solve(n, &pad(rows, cols, n, |r, c| costs[r * cols + c]))
    };
    let column_of_row: Vec<Option<usize>> =
        column_of_square_row[..rows].iter().map(|&c| (c < cols).then_some(c)).collect();
    let total = column_of_row.iter().enumerate().filter_map(|(r, c)| c.map(|c| costs[r * cols + c])).sum();
    Ok(Assignment { column_of_row, total })
}

/// Assigns pairs at the greatest total weight, where a pair may be left out: `weights[r × cols + c]`
/// is what assigning row `r` to column `c` is worth, and `None` forbids the pair. Pairs worth zero
/// or less are never chosen (leaving both unassigned is as good or better).
pub fn maximise(rows: usize, cols: usize, weights: &[Option<f64>]) -> Result<Assignment, AssignmentError> {
    if weights.len() != rows * cols {
        return Err(AssignmentError::Shape { rows, cols, len: weights.len() });
    }
    if let Some(i) = weights.iter().position(|w| w.is_some_and(|w| !w.is_finite())) {
        return Err(AssignmentError::NotFinite { row: i / cols.max(1), col: i % cols.max(1) });
    }
    // A maximum-weight matching is a minimum-cost perfect matching of the square matrix whose
    // cost is minus the weight where the pair is allowed and worth something, and zero
    // elsewhere: a zero-cost pair stands for "both left out".
    let gain = |r: usize, c: usize| weights[r * cols + c].filter(|w| *w > 0.0);
    let n = rows.max(cols);
    let column_of_square_row = lapjv::solve(n, &pad(rows, cols, n, |r, c| gain(r, c).map_or(0.0, |w| -w)));
    let column_of_row: Vec<Option<usize>> = column_of_square_row[..rows]
        .iter()
        .enumerate()
        .map(|(r, &c)| (c < cols && gain(r, c).is_some()).then_some(c))
        .collect();
    let total = column_of_row.iter().enumerate().filter_map(|(r, c)| c.and_then(|c| gain(r, c))).sum();
    Ok(Assignment { column_of_row, total })
}

fn check(rows: usize, cols: usize, costs: &[f64]) -> Result<(), AssignmentError> {
    if costs.len() != rows * cols {
        return Err(AssignmentError::Shape { rows, cols, len: costs.len() });
    }
    match costs.iter().position(|c| !c.is_finite()) {
        Some(i) => Err(AssignmentError::NotFinite { row: i / cols, col: i % cols }),
        None => Ok(()),
    }
}

/// The `n × n` matrix holding `cost(r, c)` in its top-left `rows × cols` corner and zeros elsewhere.
fn pad(rows: usize, cols: usize, n: usize, cost: impl Fn(usize, usize) -> f64) -> Vec<f64> {
    let mut square = vec![0.0; n * n];
    for r in 0..rows {
        for c in 0..cols {
            square[r * n + c] = cost(r, c);
        }
    }
    square
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Every way of giving each row a distinct column (rows ≤ cols), by brute force.
    fn best_by_brute_force(rows: usize, cols: usize, cost: &dyn Fn(usize, usize) -> f64) -> f64 {
        fn go(r: usize, rows: usize, cols: usize, used: &mut Vec<bool>, cost: &dyn Fn(usize, usize) -> f64) -> f64 {
            if r == rows {
                return 0.0;
            }
            let mut best = f64::INFINITY;
            for c in 0..cols {
                if !used[c] {
                    used[c] = true;
                    best = best.min(cost(r, c) + go(r + 1, rows, cols, used, cost));
                    used[c] = false;
                }
            }
            best
        }
        go(0, rows, cols, &mut vec![false; cols], cost)
    }

    /// The least total cost of a square matrix by the textbook O(n³) Hungarian method with
    /// potentials, a solver written differently from the one under test.
    fn best_by_hungarian(n: usize, costs: &[f64]) -> f64 {
        let (mut u, mut v) = (vec![0.0; n + 1], vec![0.0; n + 1]);
        let mut row_of = vec![0usize; n + 1];
        let mut way = vec![0usize; n + 1];
        for i in 1..=n {
            row_of[0] = i;
            let mut j0 = 0;
            let mut minv = vec![f64::INFINITY; n + 1];
            let mut used = vec![false; n + 1];
            loop {
                used[j0] = true;
                let (i0, mut delta, mut j1) = (row_of[j0], f64::INFINITY, 0);
                for j in 1..=n {
                    if !used[j] {
                        let cur = costs[(i0 - 1) * n + j - 1] - u[i0] - v[j];
                        if cur < minv[j] {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if minv[j] < delta {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for j in 0..=n {
                    if used[j] {
                        u[row_of[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
                if row_of[j0] == 0 {
                    break;
                }
            }
            while j0 != 0 {
                let j1 = way[j0];
                row_of[j0] = row_of[j1];
                j0 = j1;
            }
        }
        (1..=n).map(|j| costs[(row_of[j] - 1) * n + j - 1]).sum()
    }

    #[test]
    fn a_known_matrix_gets_its_known_optimum() {
        // scipy's documented example: rows 0, 1, 2 to columns 1, 0, 2, total 5.
        let costs = [4.0, 1.0, 3.0, 2.0, 0.0, 5.0, 3.0, 2.0, 2.0];
        let a = minimise(3, 3, &costs).unwrap();
        assert_eq!(a.column_of_row, [Some(1), Some(0), Some(2)]);
        assert_eq!(a.total, 5.0);
    }

    #[test]
    fn rectangular_problems_assign_as_many_pairs_as_the_short_side() {
        let wide = minimise(2, 3, &[5.0, 1.0, 9.0, 1.0, 5.0, 9.0]).unwrap();
        assert_eq!(wide.column_of_row, [Some(1), Some(0)]);
        let tall = minimise(3, 2, &[5.0, 1.0, 1.0, 5.0, 0.0, 0.0]).unwrap();
        assert_eq!(tall.column_of_row.iter().flatten().count(), 2);
        assert_eq!(tall.total, 1.0 + 0.0);
    }

    #[test]
    fn forbidden_and_worthless_pairs_are_left_out() {
        let w = [Some(3.0), None, None, Some(0.0)];
        let a = maximise(2, 2, &w).unwrap();
        assert_eq!(a.column_of_row, [Some(0), None]);
        assert_eq!(a.total, 3.0);
    }

    #[test]
    fn bad_input_is_refused_with_its_place() {
        assert_eq!(minimise(2, 2, &[0.0, 1.0, f64::NAN, 0.0]), Err(AssignmentError::NotFinite { row: 1, col: 0 }));
        assert!(matches!(minimise(2, 2, &[0.0]), Err(AssignmentError::Shape { .. })));
        assert_eq!(minimise(0, 0, &[]).unwrap().column_of_row, []);
    }

    proptest! {
        #[test]
        fn minimise_finds_the_brute_force_optimum(
            rows in 1usize..6,
            cols in 1usize..6,
            // Small integers make ties common, which is where solvers go wrong.
            seed in proptest::collection::vec(0u8..4, 36),
        ) {
            let costs: Vec<f64> = (0..rows * cols).map(|i| f64::from(seed[i])).collect();
            let a = minimise(rows, cols, &costs).unwrap();
            let used: Vec<usize> = a.column_of_row.iter().flatten().copied().collect();
            prop_assert_eq!(used.len(), rows.min(cols));
            let mut distinct = used.clone();
            distinct.sort_unstable();
            distinct.dedup();
            prop_assert_eq!(distinct.len(), used.len());
            let best = if rows <= cols {
                best_by_brute_force(rows, cols, &|r, c| costs[r * cols + c])
            } else {
                best_by_brute_force(cols, rows, &|c, r| costs[r * cols + c])
            };
            prop_assert_eq!(a.total, best);
        }

        #[test]
        fn minimise_agrees_with_the_hungarian_method_on_larger_matrices(
            n in 2usize..120,
            spread in prop_oneof![Just(3u64), Just(20), Just(1_000_000)],
            seed in any::<u64>(),
        ) {
            let costs = super::lapjv::tests::whole_number_costs(n, spread, seed);
            let a = minimise(n, n, &costs).unwrap();
            let mut used: Vec<usize> = a.column_of_row.iter().flatten().copied().collect();
            used.sort_unstable();
            used.dedup();
            prop_assert_eq!(used.len(), n);
            prop_assert_eq!(a.total, best_by_hungarian(n, &costs));
        }

        #[test]
        fn maximise_finds_the_brute_force_optimum(
            rows in 1usize..5,
            cols in 1usize..5,
            seed in proptest::collection::vec(0u8..5, 25),
        ) {
            // 0 forbids the pair; 1..=4 is its weight.
            let weights: Vec<Option<f64>> =
                (0..rows * cols).map(|i| (seed[i] > 0).then(|| f64::from(seed[i]))).collect();
            let a = maximise(rows, cols, &weights).unwrap();
            for (r, c) in a.column_of_row.iter().enumerate() {
                if let Some(c) = c {
                    prop_assert!(weights[r * cols + c].is_some());
                }
            }
            // Leaving a pair out is the same as taking it at weight 0, so the best total is
            // minus the least cost of the square matrix with 0 for every forbidden pair.
            let n = rows.max(cols);
            let cost = |r: usize, c: usize| {
                if r < rows && c < cols { weights[r * cols + c].map_or(0.0, |w| -w) } else { 0.0 }
            };
            prop_assert_eq!(a.total, -best_by_brute_force(n, n, &cost));
        }
    }
}
