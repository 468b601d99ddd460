#!/usr/bin/env bash
# Benchmark: what the access policy and the audit append cost on a person's page.
#
# Serves the tokyo-scale demo database (100,000 persons), signs in as the demo support worker and
# reads persons of the worker's caseload (own cases) with 1 and with 16 concurrent clients. The
# server's own histograms give, for the same requests, the time spent deciding access
# (tsunagu_person_policy_seconds: the index lookup and every `decide` call), the time the page
# waited for its audit entry to be committed (tsunagu_person_audit_seconds: the append runs while
# the rest of the page is gathered; the page is not returned before it is committed), and the
# append itself (tsunagu_person_audit_append_seconds), set against the whole request time of
# GET /persons/{id}. The share counts the policy and the wait: what the two add to the page.
#
#   bench/person_page.sh            # 10 s per run
#   DURATION=30 bench/person_page.sh
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/person_page.sh   # SCALE=demo for a small one
source "$(dirname "$0")/lib.sh"

ensure_demo "$url"
start base person-page "$bin/tsunagu" serve --database "$url" --listen 127.0.0.1:0
sign_in "$base" worker

# The worker's caseload, through the API: 2,000 persons the worker reads on their own case.
python3 - "$base" "$session" "$data/person.txt" <<'PY'
import json, sys, urllib.request
base, session, out = sys.argv[1:]
ids = []
page = 1
while len(ids) < 2000:
    req = urllib.request.Request(f"{base}/api/v1/persons?page={page}", headers={"Cookie": f"tsunagu_session={session}"})
    items = json.load(urllib.request.urlopen(req))["items"]
    if not items:
        break
    ids += [i["id"] for i in items]
    page += 1
open(out, "w").write("".join(f"/persons/{i}\n" for i in ids))
print(f"{len(ids)} persons on the caseload sampled", file=sys.stderr)
PY

# Sums and counts of the three histograms, from /metrics.
scrape() {
  curl -s -H "Authorization: Bearer $TSUNAGU_METRICS_TOKEN" "$base/metrics" | python3 -c '
import re, sys
want = {
    "page": r"^http_request_duration_seconds_(sum|count)\{[^}]*route=\"/persons/\{id\}\"[^}]*status=\"200\"",
    "policy": r"^tsunagu_person_policy_seconds_(sum|count)",
    "audit": r"^tsunagu_person_audit_seconds_(sum|count)",
    "append": r"^tsunagu_person_audit_append_seconds_(sum|count)",
}
vals = {f"{k}_{s}": 0.0 for k in want for s in ("sum", "count")}
for line in sys.stdin:
    for key, pattern in want.items():
        m = re.match(pattern, line)
        if m:
            vals[f"{key}_{m.group(1)}"] += float(line.split()[-1])
print(" ".join(f"{vals[k]}" for k in sorted(vals)))'
}

describe_database "$url"
printf '%-8s %10s %10s %12s %12s %12s %12s %8s\n' clients "req/s" "p99 (ms)" "page (µs)" "policy (µs)" "wait (µs)" "append (µs)" share
for clients in 1 16; do
  threads=$(( clients < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$clients" -d3s -s bench/paths.lua -H "Cookie: tsunagu_session=$session" "$base" -- "$data/person.txt" >/dev/null
  before=$(scrape)
  out=$(wrk -t"$threads" -c"$clients" -d"${duration}s" --latency -s bench/paths.lua -H "Cookie: tsunagu_session=$session" "$base" -- "$data/person.txt")
  after=$(scrape)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' <<<"$out")
  python3 - "$clients" "$rps" "$p99" "$before" "$after" <<'PY'
import sys
clients, rps, p99, before, after = sys.argv[1:]
keys = sorted(f"{k}_{s}" for k in ("append", "audit", "page", "policy") for s in ("sum", "count"))
b = dict(zip(keys, map(float, before.split())))
a = dict(zip(keys, map(float, after.split())))
d = {k: a[k] - b[k] for k in keys}
pages = d["page_count"] or 1
page_us = d["page_sum"] / pages * 1e6
policy_us = d["policy_sum"] / pages * 1e6
audit_us = d["audit_sum"] / pages * 1e6
append_us = d["append_sum"] / (d["append_count"] or 1) * 1e6
share = (d["policy_sum"] + d["audit_sum"]) / (d["page_sum"] or 1)
print(f"{clients:<8} {float(rps):10.0f} {float(p99):10.2f} {page_us:12.1f} {policy_us:12.1f} {audit_us:12.1f} {append_us:12.1f} {share:7.1%}")
PY
  if [ -n "${BENCH_RESULTS:-}" ]; then printf '%s\tperson page\t%s\t%s\t%s\n' "$engine" "$clients" "$rps" "$p99" >>"$BENCH_RESULTS"; fi
done
echo "share = (policy + wait) / page time, over the same requests (goal <= 10%)"
