#!/usr/bin/env bash
# Benchmark: the exact solvers, which touch no database (so one run stands for both engines).
#
# 1. Assignment: `assignment::minimise` beside scipy.optimize.linear_sum_assignment on the same
#    dense N × N matrices (written by the Rust side, read by numpy): uniform costs at N = 1,000 and
#    5,000, and at 1,000 the worst case for the solver's candidates shortcut, each cost the product
#    of a row factor and a column factor; three matrices (seeds) of each, median of three runs
#    each; the optimal totals must agree. Both solvers' times vary from matrix to matrix, so each
#    is shown.
# 2. Fairs: `fair::schedule::optimal` beside `fair::schedule::greedy` (most wanted pair first, first free time) on
#    the seed's fair size (28 companies, 56 participants) and larger ones: totals and times.
#
#   bench/assignment.sh
#   MATRICES="uniform:2000 product:2000" SEEDS="1 2 3 4 5" bench/assignment.sh
set -euo pipefail
cd "$(dirname "$0")/.."
data=bench-data
mkdir -p "$data"
venv=$data/scipy-venv
if ! "$venv/bin/python" -c 'import scipy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q scipy numpy
fi
cargo build --release --quiet -p tsunagu-bench --bin tsunagu-assignment
bin=target/release/tsunagu-assignment

printf '%-8s %-8s %5s %14s %14s %10s   %s\n' kind n seed "Tsunagu ms" "scipy ms" "scipy/T" "same optimum"
for matrix in ${MATRICES:-uniform:1000 uniform:5000 product:1000}; do
kind=${matrix%%:*}
n=${matrix##*:}
for seed in ${SEEDS:-1 2 3}; do
  ours=$("$bin" matrix "$n" "$seed" "$data/matrix-$n.f64" "$kind")
  "$venv/bin/python" - "$n" "$data/matrix-$n.f64" "$ours" "$seed" "$kind" <<'PY'
import sys, time
import numpy as np
from scipy.optimize import linear_sum_assignment
n, path, ours, seed, kind = int(sys.argv[1]), sys.argv[2], dict(kv.split("=") for kv in sys.argv[3].split()), sys.argv[4], sys.argv[5]
costs = np.fromfile(path, dtype="<f8").reshape(n, n)
times = []
for _ in range(3):
    start = time.perf_counter()
    rows, cols = linear_sum_assignment(costs)
    times.append(time.perf_counter() - start)
scipy_ms = sorted(times)[1] * 1000
total = costs[rows, cols].sum()
same = abs(total - float(ours["total"])) <= 1e-9 * n
print(f"{kind:<8} {n:<8} {seed:>5} {float(ours['ms']):14.1f} {scipy_ms:14.1f} {scipy_ms / float(ours['ms']):9.2f}x   "
      f"{'yes' if same else 'NO'} ({float(ours['total']):.6f} / {total:.6f})")
PY
  rm -f "$data/matrix-$n.f64"
done
done

echo
for size in "28 56" "100 500" "300 2000"; do
  "$bin" fair $size 7
done
