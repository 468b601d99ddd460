"""Job coaching at Tokyo's scale for bench/coaching.sh, added to a copy of the tokyo demo database.

   python3 bench/make_coaching.py sqlite://bench-data/coaching.sqlite3 bench-data
   python3 bench/make_coaching.py postgres://…/tsunagu_bench_coaching bench-data

Program 9-1 counted 77 東京ジョブコーチ, 847 cases and 5,549 days worked in FY2023; with the 配置型,
訪問型 and 企業在籍型 coaches of the 職業センター and the welfare corporations this adds 300 coaches at
41 agencies, 3,000 dispatches over three fiscal years and the days worked on them at 9-1's rate
(some 70 coach-days a coach a year: about 21,000 a year), with the fixed seed. Sixty of the coaches and 300 of the dispatches are the
demo coach's agency's, for persons who consent to it as the demo's dispatch does (their consent
is that one's, copied), so that the coach may log days on them.

DENSITY=2 makes the days twice as frequent, for a busier year.

Writes OUT/coach-days.txt: one request per line, `PATH<TAB>BODY`, each a day not yet logged for
that coach, case and day (ten minutes, so that no coach passes twelve hours a day), for
bench/post_lines.lua.
"""
import datetime
import json
import os
import random
import sqlite3
import subprocess
import sys
import uuid

url, out = sys.argv[1], sys.argv[2]
# DENSITY=2: days worked twice as often (a busier year than 9-1's).
density = float(os.environ.get("DENSITY", "1"))
postgres = url.startswith("postgres")
rng = random.Random(2024)
today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).date()


def rows(sql):
    if postgres:
        text = subprocess.run(["psql", url, "-tAF", "\t", "-c", sql], check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in text.splitlines() if line]
    con = sqlite3.connect(url.removeprefix("sqlite://"))
    try:
        return [[str(v) if v is not None else "" for v in r] for r in con.execute(sql)]
    finally:
        con.close()


def run(script):
    if postgres:
        subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-1"], input=script, check=True, text=True,
                       stdout=subprocess.DEVNULL)
    else:
        con = sqlite3.connect(url.removeprefix("sqlite://"))
        con.executescript("BEGIN;" + script + "COMMIT;")
        con.close()


def q(value):
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


def ordinal(d):
    return [d.year, d.timetuple().tm_yday]


def uid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


coach_account, own_agency = rows("SELECT id, agency_id FROM accounts WHERE login = 'coach'")[0]
template = rows(f"SELECT c.id, c.person_id FROM consents c WHERE c.recipient_id = '{own_agency}' "
                f"AND c.revoked_at IS NULL ORDER BY c.recorded_at LIMIT 1")[0]
others = [r[0] for r in rows("SELECT id FROM agencies WHERE kind IN ('welfare_facility', 'vocational_centre') "
                             f"AND id <> '{own_agency}' ORDER BY id")][:40]
persons = [r[0] for r in rows(f"SELECT id FROM persons WHERE id <> '{template[1]}' ORDER BY id")]
employers = [r[0] for r in rows("SELECT id FROM employers ORDER BY id")]
rng.shuffle(persons)

kinds = ["tokyo"] * 80 + ["visiting"] * 120 + ["placed"] * 40 + ["in_house"] * 60
rng.shuffle(kinds)
coaches = []  # (id, agency, kind)
for i, kind in enumerate(kinds):
    agency = own_agency if i < 60 else others[i % len(others)]
    coaches.append((uid(), agency, kind))
by_agency = {}
for c in coaches:
    by_agency.setdefault(c[1], []).append(c)

first_year = datetime.date(today.year - (1 if today.month < 4 else 0) - 2, 4, 1)
span = (today - first_year).days
dispatches, days, consents = [], [], []
logged = {}  # (coach, day) -> minutes
taken = set()  # (dispatch, coach, day)
for n in range(3000):
    own = n < 300
    agency = own_agency if own else others[n % len(others)]
    team = rng.sample(by_agency[agency], k=min(len(by_agency[agency]), rng.choice([1, 1, 2])))
    person = persons[n % len(persons)]
    start = first_year + datetime.timedelta(days=rng.randrange(span - 30))
    if own:
        # The agency's own cases run now, so that days can be logged on them today.
        start = today - datetime.timedelta(days=rng.randrange(100, 160))
        consents.append((uid(), person))
    intensive = start + datetime.timedelta(days=30)
    transition = intensive + datetime.timedelta(days=60)
    follow_up = transition + datetime.timedelta(days=180)
    dispatch = uid()
    body = {
        "employer": rng.choice(employers), "coaches": [c[0] for c in team], "starts_on": ordinal(start),
        "phases": [{"until": ordinal(intensive), "visits_a_month": 8}, {"until": ordinal(transition), "visits_a_month": 4},
                   {"until": ordinal(follow_up), "visits_a_month": 2}],
        "person_agreed_on": ordinal(start - datetime.timedelta(days=5)),
        "employer_agreed_on": ordinal(start - datetime.timedelta(days=4)), "goals": "作業の手順を一人でこなす",
        "transition_began_on": None, "follow_up_began_on": None, "ended_on": None,
    }
    dispatches.append((dispatch, person, agency, body["employer"], ",".join(body["coaches"]), start, follow_up,
                       json.dumps(body, ensure_ascii=False)))
    day, end = start, min(follow_up, today - datetime.timedelta(days=1))
    while day <= end:
        coach = rng.choice(team)[0]
        minutes = rng.choice([60, 90, 120, 180])
        if (dispatch, coach, day) not in taken and logged.get((coach, day), 0) + minutes <= 720:
            taken.add((dispatch, coach, day))
            logged[(coach, day)] = logged.get((coach, day), 0) + minutes
            days.append((uid(), dispatch, person, coach, day, minutes))
        gap = max(1, round((8 if day < intensive else 16 if day < transition else 36) / density))
        day += datetime.timedelta(days=rng.randrange(1, gap + 1))

name_at = lambda i: f"{'佐藤鈴木高橋田中伊藤渡辺山本中村小林加藤'[i % 10 * 2:i % 10 * 2 + 2]} {'一郎花子健太美咲翔太'[i % 5 * 2:i % 5 * 2 + 2]}{i}"
stamp = today.isoformat() + "T00:00:00Z"
script = []
for i in range(0, len(coaches), 500):
    script.append("INSERT INTO coaches (id, agency_id, account_id, name, kind, active_from, active_until, version, updated_at) VALUES "
                  + ",".join(f"({q(c[0])}, {q(c[1])}, NULL, {q(name_at(i + j))}, {q(c[2])}, {q(first_year - datetime.timedelta(days=365))}, NULL, 1, {q(stamp)})"
                             for j, c in enumerate(coaches[i:i + 500])) + ";")
cols = ("id, prefecture, person_id, recipient_kind, recipient_id, purposes, categories, valid_from, valid_to, "
        "revoked_at, evidence, evidence_note, recorded_by, recorded_at")
for cid, person in consents:
    script.append(f"INSERT INTO consents ({cols}) SELECT {q(cid)}, prefecture, {q(person)}, recipient_kind, recipient_id, "
                  f"purposes, categories, valid_from, valid_to, revoked_at, evidence, evidence_note, recorded_by, recorded_at "
                  f"FROM consents WHERE id = {q(template[0])};")
for i in range(0, len(dispatches), 500):
    script.append("INSERT INTO dispatches (id, prefecture, person_id, agency_id, employer_id, coaches, starts_on, last_day, body, recorded_by, version, updated_at) VALUES "
                  + ",".join(f"({q(d[0])}, '13', {q(d[1])}, {q(d[2])}, {q(d[3])}, {q(d[4])}, {q(d[5])}, {q(d[6])}, {q(d[7])}, {q(coach_account)}, 1, {q(stamp)})"
                             for d in dispatches[i:i + 500]) + ";")
for i in range(0, len(days), 1000):
    script.append("INSERT INTO coach_days (id, prefecture, dispatch_id, person_id, coach_id, on_date, minutes, activities, note, recorded_by, recorded_at) VALUES "
                  + ",".join(f"({q(d[0])}, '13', {q(d[1])}, {q(d[2])}, {q(d[3])}, {q(d[4])}, {d[5]}, 'tasks', '', {q(coach_account)}, {q(stamp)})"
                             for d in days[i:i + 1000]) + ";")
run("\n".join(script))

# Days to log, each new for its coach, case and day: the agency's running cases, their last 100 days.
lines = []
for d in dispatches[:300]:
    team = d[4].split(",")
    for back in range(1, 101):
        day = today - datetime.timedelta(days=back)
        if day < d[5]:
            break
        for coach in team:
            if (d[0], coach, day) in taken or logged.get((coach, day), 0) + 10 > 720:
                continue
            logged[(coach, day)] = logged.get((coach, day), 0) + 10
            body = json.dumps({"coach": coach, "worked_on": day.isoformat(), "duration": "10", "activities": ["tasks"],
                               "day_note": "作業の様子を確認"}, ensure_ascii=False)
            lines.append(f"/api/v1/dispatches/{d[0]}/days\t{body}")
rng.shuffle(lines)
open(f"{out}/coach-days.txt", "w").write("\n".join(lines) + "\n")
fy = today.year - (1 if today.month < 4 else 0)
this_year = sum(1 for d in days if d[4] >= datetime.date(fy, 4, 1))
print(f"coaching: {len(coaches)} coaches, {len(dispatches)} dispatches, {len(days)} days worked "
      f"({this_year} this fiscal year), {len(lines)} new days to log")
