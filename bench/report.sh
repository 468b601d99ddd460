#!/usr/bin/env bash
# Benchmark: the annual report, as a program manager reads it — the FY2024 report (the program
# document's own years), the current fiscal year's (the computed indicators counted from the
# directory), its JSON and its workbook, and the retention analysis (from the counts kept of the
# placements)
# — beside /healthz (one database round trip) as the baseline, on the tokyo-scale demo database,
# 1 and 16 clients.
#
#   bench/report.sh                       # 10 s per run, on bench-data/tokyo.sqlite3
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/report.sh
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_national SCALE=national bench/report.sh
#   DATABASE=sqlite://bench-data/national.sqlite3 SCALE=national bench/report.sh
source "$(dirname "$0")/lib.sh"

ensure_demo "$url"
describe_database "$url"
start tsunagu tsunagu-report "$bin/tsunagu" serve --database "$url" --listen 127.0.0.1:0
sign_in "$tsunagu" manager
cookie=(-H "Cookie: tsunagu_session=$session")
year=$(date +%Y); [ "$(date +%m)" -lt 4 ] && year=$((year - 1))
echo "/healthz" >"$data/r-healthz.txt"
echo "/report?year=2024" >"$data/r-report.txt"
echo "/report?year=$year" >"$data/r-current.txt"
echo "/api/v1/report/2024" >"$data/r-json.txt"
echo "/report/export.xlsx?year=2024" >"$data/r-xlsx.txt"
echo "/report/retention" >"$data/r-retention.txt"

report_header
declare -A rps p99
for what in healthz report current json xlsx retention; do
  for clients in 1 16; do
    read -r r p < <(measure "$tsunagu" bench/paths.lua "$clients" "${cookie[@]}" -- "$data/r-$what.txt")
    label=$what
    case $what in
      healthz) label="healthz (baseline)" ;;
      report) label="report FY2024" ;;
      current) label="report FY$year" ;;
      json) label="report JSON" ;;
      xlsx) label="report XLSX" ;;
      retention) label="retention" ;;
    esac
    report "$label" tsunagu "$clients" "$r" "$p"
    rps[$what-$clients]=$r
    p99[$what-$clients]=$p
  done
done
for what in report current json xlsx retention; do
  awk -v w="$what" -v t="${rps[$what-16]}" -v b="${rps[healthz-16]}" -v p="${p99[$what-16]}" -v p1="${p99[$what-1]}" \
    'BEGIN { printf "%s: %.2fx the baseline'"'"'s throughput at 16 clients; p99 %.2f ms at 1 client, %.2f ms at 16 (goal: <= 100 ms)\n", w, t / b, p1, p }'
done
