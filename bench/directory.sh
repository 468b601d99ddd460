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
  t_args=(bench/paths.lua -- "$data/$page.txt")
  f_args=("${t_args[@]}")
  compare "$page" 16 "goals: ratio >= 0.5, p99 <= 10 ms"
done
