#!/usr/bin/env bash
# Benchmark: the directory search and the agency page served from the tokyo-scale demo database,
# 16 concurrent clients each, by Tsunagu and (on SQLite) by the floor: a minimal axum + rusqlite
# server running the same SQL on the same file. Prints req/s and p99 side by side and Tsunagu's
# ratio to the floor.
#
#   bench/directory.sh            # 10 s per run, on bench-data/tokyo.sqlite3
#   DURATION=30 bench/directory.sh
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/directory.sh
source "$(dirname "$0")/lib.sh"

ensure_demo "$url"
describe_database "$url"
start tsunagu tsunagu "$bin/tsunagu" serve --database "$url" --listen 127.0.0.1:0
python3 bench/make_paths.py "$tsunagu" "$data"
if [ "$engine" = sqlite ]; then
  start floor floor "$bin/tsunagu-floor" "${url#sqlite://}" 127.0.0.1:0
fi

report_header
for page in search agency; do
  read -r t_rps t_p99 < <(measure "$tsunagu" bench/paths.lua 16 -- "$data/$page.txt")
  if [ "$engine" = sqlite ]; then
    read -r f_rps f_p99 < <(measure "$floor" bench/paths.lua 16 -- "$data/$page.txt")
    report "$page" floor 16 "$f_rps" "$f_p99"
  fi
  report "$page" tsunagu 16 "$t_rps" "$t_p99"
  if [ "$engine" = sqlite ]; then
    awk -v t="$t_rps" -v f="$f_rps" -v p="$t_p99" -v page="$page" \
      'BEGIN { printf "%-10s tsunagu/floor throughput ratio %.2f (goal >= 0.5); tsunagu p99 %.2f ms (goal <= 10)\n", page, t / f, p }'
  fi
done
