#!/usr/bin/env bash
# Benchmark: the caseload page, the person timeline and creating a support record on the
# tokyo-scale demo database (100,000 persons, 3,000,000 support records), by Tsunagu and (on
# SQLite) by the floor (tsunagu-floor: the same SQL on a copy of the file, without sessions, access
# policy, audit log or templates), side by side. Reads at 16 concurrent clients; support records
# with 1 client (p99) and 16 (throughput).
#
#   bench/journey.sh            # 10 s per run, on bench-data/tokyo.sqlite3
#   DURATION=30 bench/journey.sh
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/journey.sh
#   WRITES=0 DATABASE=… bench/journey.sh   # the reads alone, on the database itself (no copy)
source "$(dirname "$0")/lib.sh"

ensure_demo "$url"
describe_database "$url"
# Support-record creation adds thousands of records to the persons whose timelines are read:
# every run starts from copies of the untouched database, so runs compare. Each server has a copy
# of its own, so that neither copies the other's writes back from the write-ahead log.
writes=${WRITES:-1}
if [ "$writes" = 0 ]; then
  db=$url
elif [ "$engine" = postgres ]; then
  db="${url%/*}/${url##*/}_journey"
else
  db="sqlite://$data/journey.sqlite3"
  floor_db="sqlite://$data/floor.sqlite3"
  copy_database "$url" "$floor_db"
fi
if [ "$db" != "$url" ]; then copy_database "$url" "$db"; fi
start tsunagu tsunagu-journey "$bin/tsunagu" serve --database "$db" --listen 127.0.0.1:0
if [ "$engine" = sqlite ]; then
  start floor floor-journey "$bin/tsunagu-floor" "${floor_db#sqlite://}" 127.0.0.1:0
fi

# Sign in as the demo support worker; create an API token for the writes.
sign_in "$tsunagu" worker
create_token "$tsunagu"

# Request paths: caseload pages, and 2,000 persons of the worker's caseload.
PYTHONPATH="$(dirname "$0")" python3 - "$tsunagu" "$session" "$data" <<'PY'
import json, random, sys
from caseload_api import Caseload
base, session, out = sys.argv[1:]
api = Caseload(base, session)
pages = api.pages
ids = []
page = 1
while len(ids) < 2000 and page <= pages:
    ids += [i["id"] for i in api.page(page)]
    page += 1
agency = api.agency()
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
print(f"{api.total} open cases; {len(ids)} persons sampled", file=sys.stderr)
PY

cookie=(-H "Cookie: tsunagu_session=$session")
auth=(-H "Authorization: Bearer $token" -H "Content-Type: application/json")
report_header
for what in caseload timeline; do
  t_args=(bench/paths.lua "${cookie[@]}" -- "$data/t-$what.txt")
  f_args=(bench/paths.lua -- "$data/f-$what.txt")
  compare "$what page" 16 "goal: p99 <= 20 ms"
done
for clients in 1 16; do
  [ "$writes" = 0 ] && break
  t_args=(bench/post.lua "${auth[@]}" -- "$data/t-support.txt" "$data/support.json")
  f_args=(bench/post.lua -- "$data/f-support.txt" "$data/support.json")
  compare "create support record" "$clients" "goals: p99 <= 2 ms with 1 client, >= 2000/s"
done
if [ "$engine" = postgres ] && [ "$db" != "$url" ]; then
  cleanup; pids=()
  sleep 1
  psql "${url%/*}/postgres" -qc "DROP DATABASE IF EXISTS ${db##*/} WITH (FORCE)" >/dev/null
fi
