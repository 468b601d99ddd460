#!/usr/bin/env bash
# Every benchmark on both engines, one after the other on the same machine, and their figures side
# by side: the floor (where there is one), SQLite, PostgreSQL and PostgreSQL's throughput as a share
# of SQLite's.
#
#   bench/all.sh                       # 10 s per run, tokyo scale
#   DURATION=30 bench/all.sh
#   PG_URL=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/all.sh
#
# The SQLite database is bench-data/tokyo.sqlite3, the PostgreSQL one PG_URL (both built with
# `tsunagu demo --scale tokyo` when missing; the same seed gives both the same rows).
source "$(dirname "$0")/lib.sh"
results=$data/all.tsv
: >"$results"
export BIN_DIR=$bin BENCH_RESULTS=$PWD/$results
sqlite="sqlite://bench-data/tokyo.sqlite3"
postgres=${PG_URL:-postgres://postgres@127.0.0.1:5432/tsunagu_bench}
for script in directory journey person_page matching import work_list report report_counts coaching events; do
  for database in "$sqlite" "$postgres"; do
    echo "== bench/$script.sh on $database"
    DATABASE=$database "bench/$script.sh"
  done
done

echo
describe_database "$postgres"
python3 - "$results" <<'PY'
import sys
rows, order = {}, []
for line in open(sys.argv[1]):
    who, what, clients, rps, p99 = line.rstrip("\n").split("\t")
    key = (what, int(clients))
    if key not in rows:
        rows[key] = {}
        order.append(key)
    rows[key][who] = (float(rps), float(p99))
# The issue's floors for PostgreSQL: throughput against SQLite's in the same run, and p99.
goals = {
    ("person page", 16): "PG >= 0.5x, p99 <= 20 ms",
    ("caseload page", 16): "PG >= 0.5x, p99 <= 20 ms",
    ("timeline page", 16): "PG >= 0.5x, p99 <= 20 ms",
    ("matching top-10", 16): "p99 <= 10 ms (both engines)",
    ("create support record", 1): "PG p99 <= 5 ms",
    ("import 2000 persons", 1): "persons/s; 'p99' = the request's ms",
    ("log a coach day", 1): "p99 <= 2 ms (both engines)",
    ("coach year totals", 1): "p99 <= 20 ms (both engines)",
    ("event sign-up", 16): "p99 <= 5 ms, racing for 20 seats (both engines)",
}
def cell(v):
    return f"{v[0]:8.0f} {v[1]:7.2f} ms" if v else f"{'-':>8} {'':10}"
print(f"{'what':<22} {'clients':>7}   {'floor req/s, p99':>19}   {'SQLite req/s, p99':>19}   {'PostgreSQL req/s, p99':>21}   PG/SQLite   goal")
for key in order:
    r = rows[key]
    s, p, f = r.get("sqlite"), r.get("postgres"), r.get("floor")
    ratio = f"{p[0] / s[0]:9.2f}" if s and p else f"{'-':>9}"
    print(f"{key[0]:<22} {key[1]:>7}   {cell(f)}   {cell(s)}   {cell(p):>21}   {ratio}   {goals.get(key, '')}")
PY
