#!/usr/bin/env bash
# Benchmark: job coaching at Tokyo's scale (bench/make_coaching.py adds 300 coaches, 3,000
# dispatches and the days worked on them over three fiscal years, at program 9-1's rate of some
# 70 coach-days a coach a year, to a copy of the tokyo demo; DENSITY=2 twice as many).
#
# 1. The fiscal year's totals for every coach — cases, days, minutes — as a program manager reads
#    them (GET /api/v1/coaches/totals/{year}), 1 client: p99 (goal: <= 20 ms), beside SQLite the
#    floor (tsunagu-floor) running the same statement on the same file.
# 2. A coach logs a day through the API (POST /api/v1/dispatches/{id}/days, each request a new
#    coach, case and day), 1 client: p99 (goal: <= 2 ms).
#
#   bench/coaching.sh                      # 10 s per run, on bench-data/tokyo.sqlite3
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/coaching.sh
#   DENSITY=2 bench/coaching.sh            # a year with twice 9-1's days
source "$(dirname "$0")/lib.sh"

ensure_demo "$url"
describe_database "$url"
if [ "$engine" = postgres ]; then coaching="${url%/*}/${url##*/}_coaching"; else coaching="sqlite://$data/coaching.sqlite3"; fi
copy_database "$url" "$coaching"
python3 bench/make_coaching.py "$coaching" "$data"
# As an operator does after a bulk load where autovacuum is off.
if [ "$engine" = postgres ]; then psql "$coaching" -qc "VACUUM ANALYZE" >/dev/null; fi
head -n 2000 "$data/coach-days.txt" >"$data/coach-days-warm.txt"
tail -n +2001 "$data/coach-days.txt" >"$data/coach-days-run.txt"

start tsunagu coaching "$bin/tsunagu" serve --database "$coaching" --listen 127.0.0.1:0
if [ "$engine" = sqlite ]; then start floor coaching-floor "$bin/tsunagu-floor" "${coaching#sqlite://}" 127.0.0.1:0; fi
year=$(python3 -c 'import datetime as d; t = d.datetime.now(d.timezone(d.timedelta(hours=9))).date(); print(t.year - (t.month < 4))')

report_header
# 1. The year's totals for every coach, read by the program manager, on the data as loaded.
sign_in "$tsunagu" manager
echo "/api/v1/coaches/totals/$year" >"$data/coach-totals.txt"
t_args=(bench/paths.lua -H "Cookie: tsunagu_session=$session" -- "$data/coach-totals.txt")
echo "/coach-totals/$year-04-01/$((year + 1))-03-31" >"$data/coach-totals-floor.txt"
f_args=(bench/paths.lua -- "$data/coach-totals-floor.txt")
compare "coach year totals" 1 "goal: p99 <= 20 ms"
curl -s -H "Cookie: tsunagu_session=$session" "$tsunagu/api/v1/coaches/totals/$year" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
cases, days = sum(r["cases"] for r in rows), sum(r["days"] for r in rows)
print(f"the totals: {len(rows)} coaches, {cases} cases, {days} coach-days this fiscal year")'

# 2. Logging days: a warm-up on the first lines, then the measured run on the rest, so that no day
#    is sent twice.
sign_in "$tsunagu" coach; create_token "$tsunagu"
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
wrk -t1 -c1 -d3s -s bench/post_lines.lua "${auth[@]}" "$tsunagu" -- "$data/coach-days-warm.txt" >/dev/null 2>&1 || true
out=$(wrk -t1 -c1 -d"${duration}s" --latency -s bench/post_lines.lua "${auth[@]}" "$tsunagu" -- "$data/coach-days-run.txt")
if grep -q "Non-2xx" <<<"$out"; then echo "warning: $(grep Non-2xx <<<"$out")" >&2; fi
log_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out"); log_p99=$(p99 <<<"$out")
report "log a coach day" tsunagu 1 "$log_rps" "$log_p99"
awk -v p="$log_p99" 'BEGIN { printf "log a coach day, 1 client: p99 %.2f ms (goal: <= 2 ms)\n", p }'

cleanup; pids=()
if [ "$engine" = postgres ]; then sleep 1; psql "${url%/*}/postgres" -qc "DROP DATABASE IF EXISTS ${coaching##*/} WITH (FORCE)" >/dev/null; fi
