#!/usr/bin/env bash
# Fuzzes every parser of outside input (cargo fuzz, libFuzzer, the nightly toolchain): the import
# files (CSV in UTF-8, with a BOM or in CP932, and XLSX) with each import's columns, each import's
# row checks, the pages' form decoding, and the codes, dates (和暦 too) and search folding.
# Starts from the seeds in fuzz/seeds/ and the corpus kept in fuzz/corpus/ (not committed); prints
# executions and crashes per target and exits 1 when any target crashed, hung (10 s for one input)
# or passed 2 GiB.
#
#   fuzz/run.sh              # 30 s per target (what CI runs)
#   fuzz/run.sh 600          # 10 minutes per target
#   RUNS=1000000 fuzz/run.sh # a million executions per target
#
# A crash is kept in fuzz/artifacts/TARGET/; reproduce it with
#   cargo +nightly fuzz run -O TARGET fuzz/artifacts/TARGET/crash-…
# and make it a regression test beside the code it found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo +nightly fuzz build -O 2>&1 | grep -v '^ *Compiling' || true

failed=0
printf '%-16s %12s %8s %10s\n' target executions seconds crashes
for target in $(cargo +nightly fuzz list); do
  corpus=fuzz/corpus/$target
  mkdir -p "$corpus" "fuzz/artifacts/$target"
  before=$(ls "fuzz/artifacts/$target" | wc -l)
  limits=(-rss_limit_mb=2048 -timeout=10 -print_final_stats=1)
  if [ -n "${RUNS:-}" ]; then limits+=(-runs="$RUNS"); else limits+=(-max_total_time="$seconds"); fi
  log=$(mktemp)
  status=0
  cargo +nightly fuzz run -O "$target" "$corpus" "fuzz/seeds/$target" -- "${limits[@]}" >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | awk '{print $5}' | tail -1)
  crashes=$(( $(ls "fuzz/artifacts/$target" | wc -l) - before ))
  printf '%-16s %12s %8s %10s\n' "$target" "${runs:-?}" "${took:-?}" "$crashes"
  if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    failed=1
    grep -E 'panicked|ERROR|SUMMARY|out-of-memory|timeout' "$log" | head -5 >&2 || true
    echo "   see fuzz/artifacts/$target/ and $log" >&2
  else
    rm -f "$log"
  fi
done
exit "$failed"
