#!/usr/bin/env bash
# Benchmark: the directory search and the agency page served from the tokyo-scale demo database,
# by Tsunagu and by the floor (a minimal axum + rusqlite server running the same SQL on the same
# file), 16 concurrent clients each. Prints req/s and p99 side by side and Tsunagu's ratio.
#
#   bench/directory.sh            # 10 s per run
#   DURATION=30 bench/directory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10}
data=bench-data
mkdir -p "$data"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# BIN_DIR=DIR serves the binaries in DIR instead of building them (to compare two builds on one
# database, e.g. one copied aside before a change).
bin=${BIN_DIR:-target/release}
if [ -z "${BIN_DIR:-}" ]; then cargo build --release --quiet -p tsunagu-cli -p tsunagu-bench; fi

db="$data/tokyo.sqlite3"
if [ ! -f "$db" ]; then
  "$bin/tsunagu" demo --scale tokyo --no-serve --database "sqlite://$db"
fi
python3 bench/make_paths.py "$db" "$data"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# `start VAR LOG COMMAND...` starts a server and waits for its "listening on" line; sets VAR to
# its base URL. It runs in this shell, not in a command substitution, so that the server's pid
# reaches `pids` and the server stops with the script.
start() {
  local var=$1 log="$data/$2.log"; shift 2
  "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    if grep -q "listening on" "$log"; then printf -v "$var" '%s' "$(grep -o 'http://[0-9.:]*' "$log" | head -1)"; return; fi
    sleep 0.1
  done
  echo "server did not start: $(cat "$log")" >&2; exit 1
}

start tsunagu tsunagu "$bin/tsunagu" serve --database "sqlite://$db" --listen 127.0.0.1:0
start floor floor "$bin/tsunagu-floor" "$db" 127.0.0.1:0

# Runs wrk and prints "req/s p99_ms", after a 3 s warm-up whose figures are dropped (connection
# pools, page caches and allocator arenas fill during the first seconds of either server).
measure() {
  local out
  wrk -t2 -c16 -d3s -s bench/paths.lua "$1" -- "$2" >/dev/null
  out=$(wrk -t2 -c16 -d"${duration}s" --latency -s bench/paths.lua "$1" -- "$2")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' <<<"$out")
  echo "$rps $p99"
}

printf '%-10s %-8s %12s %10s\n' page server "req/s" "p99 (ms)"
for page in search agency; do
  read -r f_rps f_p99 < <(measure "$floor" "$data/$page.txt")
  read -r t_rps t_p99 < <(measure "$tsunagu" "$data/$page.txt")
  printf '%-10s %-8s %12.0f %10.2f\n' "$page" floor "$f_rps" "$f_p99"
  printf '%-10s %-8s %12.0f %10.2f\n' "$page" tsunagu "$t_rps" "$t_p99"
  awk -v t="$t_rps" -v f="$f_rps" -v p="$t_p99" -v page="$page" \
    'BEGIN { printf "%-10s tsunagu/floor throughput ratio %.2f (goal >= 0.5); tsunagu p99 %.2f ms (goal <= 10)\n", page, t / f, p }'
done
