#!/usr/bin/env bash
# Runs the reliability harnesses long and writes their figures to bench/RELIABILITY.md: the crash
# harness on both engines, the API against its OpenAPI document, every fuzz target, the backup
# under write load and the bounded write-ahead log.
#
#   tests/reliability.sh                  # N=100 crash cycles per engine, 300 API cases per
#                                         # operation and caller, a million runs per fuzz target
#   N=20 EXAMPLES=50 RUNS=100000 tests/reliability.sh # shorter
#
# Needs PostgreSQL at TSUNAGU_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
cycles=${N:-100}
runs=${RUNS:-1000000}
examples=${EXAMPLES:-300}
out=bench/RELIABILITY.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p tsunagu-cli
export TSUNAGU_BIN=$PWD/target/release/tsunagu

started=$(date -u +%Y-%m-%dT%H:%MZ)
for engine in sqlite postgres; do
  python3 tests/crash/crash.py --engine "$engine" --cycles "$cycles" | tail -1 >"$work/crash-$engine"
done
# Every check, also the one CI leaves out (a request the document allows but a rule refuses).
EXAMPLES=$examples CHECKS=all bash tests/api/schemathesis.sh >"$work/api" 2>&1 || true
RUNS=$runs bash fuzz/run.sh >"$work/fuzz" 2>&1
cargo nextest run --release -p tsunagu-store-sqlite --test backup --test wal_bound --no-capture 2>&1 |
  grep -E '^(written|[0-9]+ writes acknowledged)' >"$work/store"

{
  echo "# Reliability figures"
  echo
  echo "Written by \`tests/reliability.sh\` (N=$cycles, RUNS=$runs), started $started, on"
  echo "$(nproc) cores and $(free -g | awk '/^Mem/ {print $2}') GiB, commit $(git rev-parse --short HEAD)."
  echo "What each harness does is in the README (\"Reliability\")."
  echo
  echo "## Crash safety: \`python3 tests/crash/crash.py --engine ENGINE --cycles $cycles\`"
  echo
  for engine in sqlite postgres; do echo "- $(cat "$work/crash-$engine")"; done
  echo
  echo "## The API against its document: \`EXAMPLES=$examples CHECKS=all tests/api/schemathesis.sh\`"
  echo
  echo "Requests generated and failures by kind, per caller. ST202 (a request the document allows but"
  echo "the server refuses) is the one check CI does not fail on: those are the rules no schema states"
  echo "(see the script's header); every other kind must stay at zero."
  echo
  echo '```'
  grep -E '^== as|generated|❌ ST|⚠️' "$work/api" | sed 's/^ *//'
  echo '```'
  echo
  echo "## Fuzzing: \`RUNS=$runs fuzz/run.sh\`"
  echo
  echo '```'
  grep -E '^(target|[a-z_]+ +[0-9?])' "$work/fuzz"
  echo '```'
  echo
  echo "## Backup under write load, and the write-ahead log"
  echo
  echo "\`cargo nextest run --release -p tsunagu-store-sqlite --test backup --test wal_bound --no-capture\`:"
  echo
  sed 's/^/- /' "$work/store"
} >"$out"
cat "$out"
