#!/usr/bin/env bash
# Benchmark: the caseload page, the person timeline and creating a support record on the
# tokyo-scale demo database (100,000 persons, 3,000,000 support records), by Tsunagu and by the
# floor (tsunagu-floor: the same SQL on a copy of the file, without sessions, access policy, audit log
# or templates), side by side. Reads at 16 concurrent clients; support records with 1 client (p99)
# and 16 (throughput).
#
#   bench/journey.sh            # 10 s per run
#   DURATION=30 bench/journey.sh
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

pristine="$data/tokyo.sqlite3"
if [ ! -f "$pristine" ]; then
  "$bin/tsunagu" demo --scale tokyo --no-serve --database "sqlite://$pristine"
fi
# Support-record creation adds thousands of records to the persons whose timelines are read:
# every run starts from copies of the untouched database, so runs compare. Each server has a copy
# of its own, so that neither copies the other's writes back from the write-ahead log.
python3 -c 'import sqlite3, sys; s = sqlite3.connect(sys.argv[1]); s.execute("PRAGMA wal_checkpoint(TRUNCATE)"); s.close()' "$pristine"
db="$data/journey.sqlite3"
floor_db="$data/floor.sqlite3"
for copy in "$db" "$floor_db"; do
  rm -f "$copy" "$copy-wal" "$copy-shm"
  cp "$pristine" "$copy"
done
# The copies are written back before the servers start, so that no run waits on that writeback.
sync

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
  for _ in $(seq 1 100); do
    if grep -q "listening on" "$log"; then printf -v "$var" '%s' "$(grep -o 'http://[0-9.:]*' "$log" | head -1)"; return; fi
    sleep 0.1
  done
  echo "server did not start: $(cat "$log")" >&2; exit 1
}
start tsunagu tsunagu-journey "$bin/tsunagu" serve --database "sqlite://$db" --listen 127.0.0.1:0
start floor floor-journey "$bin/tsunagu-floor" "$floor_db" 127.0.0.1:0

# Sign in as the demo support worker; create an API token for the writes.
jar="$data/cookies.txt"
rm -f "$jar"
form=$(curl -s -c "$jar" "$tsunagu/login")
csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$form" | head -1 | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf=$csrf&next=%2F&login=worker&password=tsunagu-demo-2024" "$tsunagu/login"
session=$(awk '$6 == "tsunagu_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "sign-in failed"; exit 1; }
account=$(curl -s -b "$jar" "$tsunagu/account")
csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$account" | head -1 | sed 's/.*value="//; s/"$//')
created=$(curl -s -b "$jar" -d "csrf=$csrf&token_name=bench&scopes=persons_write&scopes=persons_read" "$tsunagu/account/tokens")
token=$(grep -o '<code id="new-token">[^<]*' <<<"$created" | sed 's/.*>//')
[ -n "$token" ] || { echo "token creation failed"; exit 1; }

# Request paths: caseload pages, and 2,000 persons of the worker's caseload.
python3 - "$tsunagu" "$session" "$data" <<'PY'
import json, random, sys, urllib.request
base, session, out = sys.argv[1:]
def get(path):
    req = urllib.request.Request(base + path, headers={"Cookie": f"tsunagu_session={session}"})
    return json.load(urllib.request.urlopen(req))
first = get("/api/v1/persons?page=1")
pages = max(1, (first["total"] + 49) // 50)
ids = []
page = 1
while len(ids) < 2000 and page <= pages:
    ids += [i["id"] for i in get(f"/api/v1/persons?page={page}")["items"]]
    page += 1
agency = get("/api/v1/persons/" + ids[0])["cases"][0]["agency_id"]
rng = random.Random(2024)
caseload = [rng.randint(1, min(pages, 20)) for _ in range(500)]
files = {
    "t-caseload": [f"/persons?page={p}" for p in caseload],
    "f-caseload": [f"/caseload/{agency}?page={p}" for p in caseload],
    "t-timeline": [f"/persons/{i}/timeline" for i in ids],
    "f-timeline": [f"/timeline/{i}" for i in ids],
    "t-support": [f"/api/v1/persons/{i}/support-records" for i in ids],
    "f-support": [f"/support/{i}/{agency}" for i in ids],
}
for name, lines in files.items():
    open(f"{out}/{name}.txt", "w").write("".join(l + "\n" for l in lines))
import datetime
today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).date()
open(f"{out}/support.json", "w").write(json.dumps({"kind": "phone", "date": today.isoformat(), "minutes": "15",
    "note": "電話で体調を確認", "next_action": "職場訪問",
    "next_action_on": (today + datetime.timedelta(days=7)).isoformat()}, ensure_ascii=False))
print(f"{first['total']} open cases; {len(ids)} persons sampled", file=sys.stderr)
PY

p99() { awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}'; }
# measure URL SCRIPT CLIENTS [WRK OPTIONS...] -- SCRIPT ARGS... -> "req/s p99_ms" after a 3 s warm-up.
measure() {
  local url=$1 script=$2 clients=$3; shift 3
  local opts=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
  local threads=$(( clients < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$clients" -d3s -s "$script" "${opts[@]}" "$url" "$@" >/dev/null 2>&1 || true
  local out
  out=$(wrk -t"$threads" -c"$clients" -d"${duration}s" --latency -s "$script" "${opts[@]}" "$url" "$@")
  if grep -q "Non-2xx" <<<"$out"; then echo "warning: $(grep Non-2xx <<<"$out") from $url" >&2; fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(p99 <<<"$out")"
}

cookie=(-H "Cookie: tsunagu_session=$session")
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
printf '%-22s %-8s %8s %12s %10s\n' what server clients "req/s" "p99 (ms)"
row() { printf '%-22s %-8s %8s %12.0f %10.2f\n' "$1" "$2" "$3" "$4" "$5"; }
for what in caseload timeline; do
  read -r f_rps f_p99 < <(measure "$floor" bench/paths.lua 16 -- "$data/f-$what.txt")
  read -r t_rps t_p99 < <(measure "$tsunagu" bench/paths.lua 16 "${cookie[@]}" -- "$data/t-$what.txt")
  row "$what page" floor 16 "$f_rps" "$f_p99"
  row "$what page" tsunagu 16 "$t_rps" "$t_p99"
  awk -v t="$t_rps" -v f="$f_rps" -v p="$t_p99" -v w="$what" \
    'BEGIN { printf "%-22s tsunagu/floor throughput %.2f; tsunagu p99 %.2f ms (goal <= 20)\n", w, t / f, p }'
done
for clients in 1 16; do
  read -r f_rps f_p99 < <(measure "$floor" bench/post.lua "$clients" -- "$data/f-support.txt" "$data/support.json")
  read -r t_rps t_p99 < <(measure "$tsunagu" bench/post.lua "$clients" "${auth[@]}" -- "$data/t-support.txt" "$data/support.json")
  row "create support record" floor "$clients" "$f_rps" "$f_p99"
  row "create support record" tsunagu "$clients" "$t_rps" "$t_p99"
  awk -v t="$t_rps" -v f="$f_rps" -v p="$t_p99" -v c="$clients" \
    'BEGIN { printf "%-22s tsunagu/floor throughput %.2f; tsunagu %.0f records/s, p99 %.2f ms (goals: p99 <= 2 ms with 1 client, >= 2000/s)\n", c " client(s)", t / f, t, p }'
done
