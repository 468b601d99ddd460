#!/usr/bin/env bash
# Benchmark: where a support worker's day starts — the caseload page, the caseload searched by a
# reading's first kana and filtered by stage, and the dashboard (`/`) — on the tokyo-scale demo
# database, 16 concurrent clients, each beside (on SQLite) the floor running the same SQL
# (tsunagu-floor: no sessions, access policy, audit log or templates) in the same run.
#
#   bench/work_list.sh                      # 10 s per run, on bench-data/tokyo.sqlite3
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/work_list.sh
source "$(dirname "$0")/lib.sh"

ensure_demo "$url"
describe_database "$url"
start tsunagu tsunagu-work-list "$bin/tsunagu" serve --database "$url" --listen 127.0.0.1:0
if [ "$engine" = sqlite ]; then
  # Both only read the cases: the floor serves the same file.
  start floor floor-work-list "$bin/tsunagu-floor" "${url#sqlite://}" 127.0.0.1:0
fi
sign_in "$tsunagu" worker

# Paths: caseload pages (the baseline), and searches by the first one or two kana of readings on
# the worker's caseload, each with one of the stages (and with none).
PYTHONPATH="$(dirname "$0")" python3 - "$tsunagu" "$session" "$data" <<'PY'
import random, sys, urllib.parse
from caseload_api import Caseload
base, session, out = sys.argv[1:]
caseload = Caseload(base, session)
pages = caseload.pages
rng = random.Random(2024)
readings = []
for p in rng.sample(range(1, pages + 1), min(pages, 20)):
    readings += [i["name_kana"] for i in caseload.page(p)]
stages = ["", "intake", "assessment", "preparation", "job_search", "employed", "retention"]
agency = caseload.agency()
searches = []
for _ in range(500):
    q = rng.choice(readings)[: rng.choice([1, 2])]
    stage = rng.choice(stages)
    searches.append((urllib.parse.quote(q), f"&stage={stage}" if stage else ""))
pages = [rng.randint(1, min(pages, 20)) for _ in range(500)]
files = {
    "w-caseload": [f"/persons?page={p}" for p in pages],
    "f-caseload": [f"/caseload/{agency}?page={p}" for p in pages],
    "w-search": [f"/persons?q={q}{stage}" for q, stage in searches],
    "f-search": [f"/caseload/{agency}?kana={q}{stage}" for q, stage in searches],
    "w-dashboard": ["/"],
    "f-dashboard": [f"/dashboard/{agency}"],
}
for name, lines in files.items():
    open(f"{out}/{name}.txt", "w").write("".join(l + "\n" for l in lines))
print(f"{caseload.total} open cases; {len(readings)} readings sampled", file=sys.stderr)
PY

if [ "$engine" = sqlite ]; then
  # The floor answers its errors as text: one of each kind of path must read rows.
  for what in caseload search dashboard; do
    body=$(curl -s "$floor$(head -1 "$data/f-$what.txt")")
    if [[ $body == error* || $body == "not found" ]]; then echo "the floor failed on $what: $body" >&2; exit 1; fi
  done
fi

cookie=(-H "Cookie: tsunagu_session=$session")
report_header
for what in caseload search dashboard; do
  t_args=(bench/paths.lua "${cookie[@]}" -- "$data/w-$what.txt")
  f_args=(bench/paths.lua -- "$data/f-$what.txt")
  compare "$what" 16 "goal: p99 <= 20 ms and >= 0.5x the floor"
done
