# Shared by the benchmark scripts: the database to serve, servers, sign-in, wrk runs and the
# figures each script reports. Sourced, not run.
#
# DATABASE=URL picks the database: by default the tokyo-scale SQLite file bench-data/tokyo.sqlite3;
# a postgres:// URL serves that database (created, and filled with `tsunagu demo --scale $SCALE`,
# SCALE=tokyo by default, when it holds nothing yet). BENCH_RESULTS=FILE appends every figure to
# FILE as "engine what clients req/s p99_ms" (bench/all.sh reads them).
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

# The servers started here serve /metrics to requests with this token (see `scrape` in person_page.sh).
export TSUNAGU_METRICS_TOKEN=${TSUNAGU_METRICS_TOKEN:-bench-metrics}

url=${DATABASE:-sqlite://$data/tokyo.sqlite3}
case "$url" in
  postgres*) engine=postgres ;;
  sqlite://*) engine=sqlite ;;
  *) echo "DATABASE must be sqlite://FILE or postgres://…" >&2; exit 2 ;;
esac

# `ensure_demo URL` creates the database if it is missing and builds the demo in it if it is empty.
ensure_demo() {
  local target=$1
  if [ "${target%%:*}" = postgres ]; then
    local name=${target##*/}; name=${name%%\?*}
    local admin=${target%/*}/postgres
    if [ -z "$(psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
      psql "$admin" -qc "CREATE DATABASE $name" >/dev/null
    fi
  fi
  "$bin/tsunagu" demo --scale "${SCALE:-tokyo}" --no-serve --database "$target" >/dev/null
}

# `copy_database FROM TO` gives TO the contents of FROM (a file copy for SQLite, a template copy for
# PostgreSQL), so that a run that writes starts from the same data as the last.
copy_database() {
  local from=$1 to=$2
  if [ "$engine" = postgres ]; then
    local admin=${from%/*}/postgres
    psql "$admin" -qc "DROP DATABASE IF EXISTS ${to##*/} WITH (FORCE)" >/dev/null
    psql "$admin" -qc "CREATE DATABASE ${to##*/} TEMPLATE ${from##*/} STRATEGY FILE_COPY" >/dev/null
    # The copy's pages are written back now, not during the run that follows.
    psql "$admin" -qc "CHECKPOINT" >/dev/null
    sync
  else
    local src=${from#sqlite://} dst=${to#sqlite://}
    python3 -c 'import sqlite3, sys; s = sqlite3.connect(sys.argv[1]); s.execute("PRAGMA wal_checkpoint(TRUNCATE)"); s.close()' "$src"
    rm -f "$dst" "$dst-wal" "$dst-shm"
    cp "$src" "$dst"
    sync
  fi
}

# The settings the figures were taken with.
describe_database() {
  if [ "${1%%:*}" = postgres ]; then
    echo "database: $1 ($(psql "$1" -tAc "SELECT 'fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', shared_buffers=' || current_setting('shared_buffers') || ', autovacuum=' || current_setting('autovacuum') || ', ' || split_part(version(), ' on ', 1)"))"
  else
    echo "database: $1 (SQLite, bundled)"
  fi
}

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
  for _ in $(seq 1 300); do
    if grep -q "listening on" "$log"; then printf -v "$var" '%s' "$(grep -o 'http://[0-9.:]*' "$log" | head -1)"; return; fi
    sleep 0.1
  done
  echo "server did not start: $(cat "$log")" >&2; exit 1
}

# `sign_in BASE LOGIN` signs in through the login form; sets `session` to the session cookie's value.
sign_in() {
  local base=$1 login=$2 jar="$data/cookies.txt" form csrf
  rm -f "$jar"
  form=$(curl -s -c "$jar" "$base/login")
  csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$form" | head -1 | sed 's/.*value="//; s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf=$csrf&next=%2F&login=$login&password=tsunagu-demo-2024" "$base/login"
  session=$(awk '$6 == "tsunagu_session" {print $7}' "$jar")
  [ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
}

# `create_token BASE` creates an API token for the signed-in account (persons read and write); sets
# `token`.
create_token() {
  local base=$1 jar="$data/cookies.txt" account csrf created
  account=$(curl -s -b "$jar" "$base/account")
  csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$account" | head -1 | sed 's/.*value="//; s/"$//')
  created=$(curl -s -b "$jar" -d "csrf=$csrf&token_name=bench&scopes=persons_write&scopes=persons_read" "$base/account/tokens")
  token=$(grep -o '<code id="new-token">[^<]*' <<<"$created" | sed 's/.*>//')
  [ -n "$token" ] || { echo "token creation failed" >&2; exit 1; }
}

p99() { awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}'; }
# `measure URL SCRIPT CLIENTS [WRK OPTIONS...] -- SCRIPT ARGS...` prints "req/s p99_ms", after a 3 s
# warm-up whose figures are dropped (connection pools, page caches and allocator arenas fill
# during the first seconds of any server).
measure() {
  local base=$1 script=$2 clients=$3; shift 3
  local opts=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
  local threads=$(( clients < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$clients" -d3s -s "$script" "${opts[@]}" "$base" "$@" >/dev/null 2>&1 || true
  local out
  out=$(wrk -t"$threads" -c"$clients" -d"${duration}s" --latency -s "$script" "${opts[@]}" "$base" "$@")
  if grep -q "Non-2xx" <<<"$out"; then echo "warning: $(grep Non-2xx <<<"$out") from $base" >&2; fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(p99 <<<"$out")"
}

# `report WHAT SERVER CLIENTS REQ/S P99` prints one figure and keeps it for bench/all.sh.
report() {
  printf '%-22s %-9s %8s %12.0f %10.2f\n' "$1" "$2" "$3" "$4" "$5"
  if [ -n "${BENCH_RESULTS:-}" ]; then
    local who=$2
    [ "$who" = tsunagu ] && who=$engine
    printf '%s\t%s\t%s\t%s\t%s\n' "$who" "$1" "$3" "$4" "$5" >>"$BENCH_RESULTS"
  fi
}
report_header() { printf '%-22s %-9s %8s %12s %10s\n' what server clients "req/s" "p99 (ms)"; }

# `compare WHAT CLIENTS GOAL` measures Tsunagu (at $tsunagu) with the wrk arguments in `t_args` and,
# beside SQLite, the floor (at $floor) with those in `f_args` — each SCRIPT [WRK OPTIONS...] --
# SCRIPT ARGS... — and reports both and Tsunagu's share of the floor's throughput.
compare() {
  local what=$1 clients=$2 goal=$3 t_rps t_p99 f_rps f_p99
  read -r t_rps t_p99 < <(measure "$tsunagu" "${t_args[0]}" "$clients" "${t_args[@]:1}")
  if [ "$engine" != sqlite ]; then
    report "$what" tsunagu "$clients" "$t_rps" "$t_p99"
    return
  fi
  read -r f_rps f_p99 < <(measure "$floor" "${f_args[0]}" "$clients" "${f_args[@]:1}")
  report "$what" floor "$clients" "$f_rps" "$f_p99"
  report "$what" tsunagu "$clients" "$t_rps" "$t_p99"
  awk -v t="$t_rps" -v f="$f_rps" -v p="$t_p99" -v w="$what" -v c="$clients" -v g="$goal" \
    'BEGIN { printf "%s, %d clients: tsunagu/floor throughput %.2f; tsunagu p99 %.2f ms (%s)\n", w, c, t / f, p, g }'
}
