#!/usr/bin/env bash
# Benchmark: sign-ups racing for an event's seats, at Tokyo's scale (a copy of the tokyo demo).
#
# The support worker's agency opens events of 20 seats each; the worker signs up 200 of its
# clients to each through the API (POST /api/v1/events/{id}/signups), the requests in event order,
# so that the clients in flight all race for the same event's seats, as a popular seminar's
# opening morning does. Each sign-up is a person's personal data: read on the access policy,
# written with its audit entry in one commit, answered with where it stands.
#
# 1. 1 client: the sign-up's own cost (the baseline).
# 2. 16 clients racing (goal: p99 <= 5 ms), and their ratio to the baseline.
# Afterwards every event is checked: exactly 20 confirmed, the rest waitlisted in arrival order.
#
#   bench/events.sh                        # on bench-data/tokyo.sqlite3
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/events.sh
source "$(dirname "$0")/lib.sh"

ensure_demo "$url"
describe_database "$url"
if [ "$engine" = postgres ]; then events="${url%/*}/${url##*/}_events"; else events="sqlite://$data/events.sqlite3"; fi
copy_database "$url" "$events"
start tsunagu events "$bin/tsunagu" serve --database "$events" --listen 127.0.0.1:0

# A token of the worker's for reading its caseload and writing events.
sign_in "$tsunagu" worker
jar="$data/cookies.txt"
csrf=$(curl -s -b "$jar" "$tsunagu/account" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
token=$(curl -s -b "$jar" -d "csrf=$csrf&token_name=bench&scopes=persons_read&scopes=events" "$tsunagu/account/tokens" \
  | grep -o '<code id="new-token">[^<]*' | sed 's/.*>//')
[ -n "$token" ] || { echo "token creation failed" >&2; exit 1; }

# Events for each run (one warm-up's, two measured runs'), their sign-ups one request per line.
python3 - "$tsunagu" "$token" "$data" <<'PY'
import datetime, json, sys, urllib.request
base, token, out = sys.argv[1:4]
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
persons = []
page = 1
while len(persons) < 200:
    items = call("GET", f"/api/v1/persons?page={page}")["items"]
    if not items:
        break
    persons += [p["id"] for p in items]
    page += 1
persons = persons[:200]
assert len(persons) == 200, f"the worker's caseload holds {len(persons)} persons, not 200"
today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).date()
day = (today + datetime.timedelta(days=14)).isoformat()
for run, count in (("warm", 10), ("one", 150), ("many", 400)):
    ids = []
    for n in range(count):
        body = {"event_kind": "seminar", "event_title": f"就労支援セミナー {run} {n + 1}", "audience": ["staff", "persons"],
                "event_starts_on": day, "event_ends_on": day,
                "sessions": [{"date": day, "starts": "13:30", "ends": "16:30", "place": "都庁第一本庁舎"}],
                "event_capacity": "20", "opens_on": today.isoformat(), "closes_on": day}
        ids.append(call("POST", "/api/v1/events", body)["id"])
    with open(f"{out}/signups-{run}.txt", "w") as f:
        for event in ids:
            for person in persons:
                f.write(f"/api/v1/events/{event}/signups\t{json.dumps({'person_id': person})}\n")
    with open(f"{out}/events-{run}.txt", "w") as f:
        f.write("\n".join(ids) + "\n")
PY

auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
run_lines() {  # CLIENTS FILE: sends every line once; prints "req/s p99"
  local out
  out=$(wrk -t1 -c"$1" -d"${duration}s" --latency -s bench/post_lines.lua "${auth[@]}" "$tsunagu" -- "$2")
  if grep -q "Non-2xx" <<<"$out"; then echo "warning: $(grep Non-2xx <<<"$out")" >&2; fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(p99 <<<"$out")"
}
report_header
run_lines 4 "$data/signups-warm.txt" >/dev/null
read -r one_rps one_p99 < <(run_lines 1 "$data/signups-one.txt")
report "event sign-up" tsunagu 1 "$one_rps" "$one_p99"
read -r many_rps many_p99 < <(run_lines 16 "$data/signups-many.txt")
report "event sign-up" tsunagu 16 "$many_rps" "$many_p99"
awk -v a="$one_p99" -v b="$many_p99" -v r="$many_rps" -v s="$one_rps" 'BEGIN {
  printf "event sign-up, 16 clients racing: p99 %.2f ms (goal: <= 5 ms), %.2f x the p99 of 1 client; throughput %.2f x\n", b, b / a, r / s }'

# Every event the runs filled holds exactly its 20 seats, the rest waiting in arrival order.
python3 - "$tsunagu" "$token" "$data" <<'PY'
import json, sys, urllib.request
base, token, out = sys.argv[1:4]
checked = full = 0
for run in ("one", "many"):
    # The first ten of each run: the organiser's read names every person signed up (audited).
    for event in open(f"{out}/events-{run}.txt").read().split()[:10]:
        req = urllib.request.Request(f"{base}/api/v1/events/{event}", headers={"Authorization": f"Bearer {token}"})
        page = json.load(urllib.request.urlopen(req))
        signups = [s for s in page["mine"] if s["status"] != "cancelled"]
        if not signups:
            continue
        checked += 1
        confirmed = sorted(s["position"] for s in signups if s["status"] == "confirmed")
        waiting = sorted(s["position"] for s in signups if s["status"] == "waitlisted")
        assert page["confirmed"] <= 20, f"event {event} holds {page['confirmed']} confirmed of 20 seats"
        assert confirmed == list(range(1, len(confirmed) + 1)), f"event {event}: the seats went out of order"
        assert not waiting or waiting[0] == len(confirmed) + 1, f"event {event}: the line does not follow the seats"
        full += len(confirmed) == 20
print(f"checked {checked} events signed up to: none over 20 seats, seats and line in arrival order ({full} full)")
PY

cleanup; pids=()
if [ "$engine" = postgres ]; then sleep 1; psql "${url%/*}/postgres" -qc "DROP DATABASE IF EXISTS ${events##*/} WITH (FORCE)" >/dev/null; fi
