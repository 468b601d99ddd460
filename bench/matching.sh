#!/usr/bin/env bash
# Benchmark: a person's top-10 openings among the tokyo-scale demo's 50,000 (its 45,000 published
# ranked in memory: hard constraints, score, near misses), with the access decision and the audit
# entry every match writes on the person — beside the person's page for the same persons, read in
# the same run (the same policy and audit work, no ranking): the ratio is what ranking adds.
#
# Signs in as the demo support worker, samples 2,000 persons of the worker's caseload, and asks
# for each with varied weekly hours and accommodations needed, with 1 and 16 clients.
#
# First the ranking alone (`tsunagu-matching`: 50,000 generated openings, 2,000 persons), the
# early-stopping scan beside the full scan.
#
#   bench/matching.sh                 # 10 s per run
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/matching.sh
source "$(dirname "$0")/lib.sh"

# The ranking alone, in process: the early-stopping scan against the full scan.
"$bin/tsunagu-matching"
echo

ensure_demo "$url"
start base matching "$bin/tsunagu" serve --database "$url" --listen 127.0.0.1:0
sign_in "$base" worker

python3 - "$base" "$session" "$data/matching-person.txt" "$data/matching.txt" <<'PY'
import json, random, sys, urllib.request
base, session, pages, matches = sys.argv[1:]
ids, page = [], 1
while len(ids) < 2000:
    req = urllib.request.Request(f"{base}/api/v1/persons?page={page}", headers={"Cookie": f"tsunagu_session={session}"})
    items = json.load(urllib.request.urlopen(req))["items"]
    if not items:
        break
    ids += [i["id"] for i in items]
    page += 1
rng = random.Random(2024)
needs = ["written_instructions", "quiet_place", "flexible_hours", "job_coach", "rest_area", "mentor"]
open(pages, "w").write("".join(f"/persons/{i}\n" for i in ids))
lines = []
for i in ids:
    query = f"hours={rng.choice([10, 15, 20, 25, 30, 35, 40])}"
    query += "".join(f"&needs={n}" for n in rng.sample(needs, rng.choice([0, 1, 1, 2])))
    lines.append(f"/persons/{i}/matches?{query}\n")
open(matches, "w").write("".join(lines))
print(f"{len(ids)} persons on the caseload sampled", file=sys.stderr)
PY

describe_database "$url"
case "$engine" in
  postgres) openings=$(psql "$url" -tAc "SELECT count(*) FILTER (WHERE status = 'published') || ' published of ' || count(*) FROM openings") ;;
  sqlite) openings=$(python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print("%d published of %d" % c.execute("SELECT sum(status = \"published\"), count(*) FROM openings").fetchone())' "${url#sqlite://}") ;;
esac
echo "openings: $openings"
report_header
for clients in 1 16; do
  read -r p_rps p_p99 < <(measure "$base" bench/paths.lua "$clients" -H "Cookie: tsunagu_session=$session" -- "$data/matching-person.txt")
  read -r m_rps m_p99 < <(measure "$base" bench/paths.lua "$clients" -H "Cookie: tsunagu_session=$session" -- "$data/matching.txt")
  report "person page" tsunagu "$clients" "$p_rps" "$p_p99"
  report "matching top-10" tsunagu "$clients" "$m_rps" "$m_p99"
  awk -v m="$m_rps" -v p="$p_rps" -v q="$m_p99" -v c="$clients" 'BEGIN {
    printf "  matching at %d clients: %.2fx the person page'"'"'s throughput; p99 %.2f ms (goal at 16 clients: <= 10 ms)\n", c, m / p, q }'
done
