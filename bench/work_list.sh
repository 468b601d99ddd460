#!/usr/bin/env bash
# Benchmark: where a support worker's day starts — the dashboard (`/`) and the caseload searched
# by name and filtered by stage — against the unfiltered caseload page measured in the same run,
# on the tokyo-scale demo database, 16 concurrent clients. The floor (bench/journey.sh) has no
# filtered SQL yet, so the baseline here is Tsunagu's own caseload page.
#
#   bench/work_list.sh                      # 10 s per run, on bench-data/tokyo.sqlite3
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/work_list.sh
source "$(dirname "$0")/lib.sh"

ensure_demo "$url"
describe_database "$url"
start tsunagu tsunagu-work-list "$bin/tsunagu" serve --database "$url" --listen 127.0.0.1:0
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
searches = []
for _ in range(500):
    q = rng.choice(readings)[: rng.choice([1, 2])]
    stage = rng.choice(stages)
    searches.append("/persons?q=" + urllib.parse.quote(q) + (f"&stage={stage}" if stage else ""))
files = {
    "w-caseload": [f"/persons?page={rng.randint(1, min(pages, 20))}" for _ in range(500)],
    "w-search": searches,
    "w-dashboard": ["/"],
}
for name, lines in files.items():
    open(f"{out}/{name}.txt", "w").write("".join(l + "\n" for l in lines))
print(f"{caseload.total} open cases; {len(readings)} readings sampled", file=sys.stderr)
PY

cookie=(-H "Cookie: tsunagu_session=$session")
report_header
declare -A rps p99s
for what in caseload search dashboard; do
  read -r rps[$what] p99s[$what] < <(measure "$tsunagu" bench/paths.lua 16 "${cookie[@]}" -- "$data/w-$what.txt")
  report "$what" tsunagu 16 "${rps[$what]}" "${p99s[$what]}"
done
for what in search dashboard; do
  awk -v t="${rps[$what]}" -v b="${rps[caseload]}" -v p="${p99s[$what]}" -v w="$what" \
    'BEGIN { printf "%s, 16 clients: %.2f of the caseload page'"'"'s throughput; p99 %.2f ms (goal: p99 <= 20 ms)\n", w, t / b, p }'
done
