#!/usr/bin/env python3
"""Crash safety: kill -9 a serving Tsunagu in the middle of concurrent writes, restart it, and check
that nothing acknowledged was lost and nothing unacknowledged is half there.

Each cycle starts `tsunagu serve` on the database, drives writes of every kind through the JSON API
from several threads (a registration with its consent and case, a support record, a stage change, a
referral consent, a referral), records every write the server acknowledged, kills the server with
SIGKILL at a random moment, and then checks:

- SQLite's `PRAGMA integrity_check` is ok (on SQLite);
- every write of the persons registered in the cycle has its audit entry, and every audit entry
  of theirs its write (a commit and its entries are one transaction, so neither may be there
  alone); after the last cycle, of every person the harness registered;
- after a restart, every write acknowledged in the cycle reads back through the API (and a sample
  of the earlier ones; after the last cycle, every write of every cycle);
- `tsunagu audit verify` follows the whole chain.

    python3 tests/crash/crash.py --engine sqlite --cycles 5
    python3 tests/crash/crash.py --engine postgres --cycles 100
    TSUNAGU_BIN=target/release/tsunagu python3 tests/crash/crash.py --cycles 100

Exit status 0 when every cycle passed; 1 with the first failure otherwise. Prints cycles,
acknowledged writes, lost writes and half-written ones at the end.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

PASSWORD = "tsunagu-demo-2024"
KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ"
JST = datetime.timezone(datetime.timedelta(hours=9))


class Failure(Exception):
    """A promise broken: the harness stops and says which."""


def kana_of(n):
    """A reading of its own for every number (no two registrations look like duplicates)."""
    out = ""
    while True:
        out = KANA[n % len(KANA)] + out
        n //= len(KANA)
        if n == 0:
            return out


# --- the server -------------------------------------------------------------------------------


class Server:
    def __init__(self, binary, database, log):
        self.log = open(log, "ab")
        # The log is shared by every start: read only what this one writes.
        offset = self.log.tell()
        self.process = subprocess.Popen(
            [binary, "serve", "--database", database, "--listen", "127.0.0.1:0"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.host, self.port = None, None
        deadline = time.time() + 60
        while time.time() < deadline:
            with open(log, "rb") as f:
                f.seek(offset)
                found = re.findall(rb"listening on http://127\.0\.0\.1:(\d+)", f.read())
            if found:
                self.host, self.port = "127.0.0.1", int(found[-1])
                return
            if self.process.poll() is not None:
                raise Failure(f"the server stopped at start (see {log})")
            time.sleep(0.05)
        raise Failure(f"the server did not start within a minute (see {log})")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def request(self, method, path, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.read().decode("utf-8", "replace"), r.getheader("Set-Cookie") or ""
        finally:
            conn.close()


def create_token(server):
    """Signs the demo support worker in through the form and creates an API token."""
    status, page, cookie = server.request("GET", "/login")
    pre = cookie.split(";")[0]
    csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
    form = urllib.parse.urlencode({"csrf": csrf, "next": "/", "login": "worker", "password": PASSWORD})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": pre}
    status, _, cookie = server.request("POST", "/login", form, headers)
    session = cookie.split(";")[0]
    if status != 303 or not session.startswith("tsunagu_session="):
        raise Failure(f"signing in failed: {status}")
    status, page, _ = server.request("GET", "/account", headers={"Cookie": session})
    csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
    form = urllib.parse.urlencode(
        [("csrf", csrf), ("token_name", "crash"), ("scopes", "persons_read"), ("scopes", "persons_write")]
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": session}
    status, page, _ = server.request("POST", "/account/tokens", form, headers)
    token = re.search(r'<code id="new-token">([^<]*)', page)
    if not token:
        raise Failure(f"creating a token failed: {status}")
    return token.group(1)


class Api:
    def __init__(self, server, token):
        self.server, self.token = server, token

    def call(self, method, path, body=None):
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        status, text, _ = self.server.request(method, path, data, headers)
        return status, (json.loads(text) if text.startswith(("{", "[")) else None)


# --- the writers ------------------------------------------------------------------------------


class Ledger:
    """Every write sent, and those the server acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = []  # (kind, person, key)
        self.persons = set()  # every person whose registration was acknowledged
        self.failures = []

    def ack(self, kind, person, key):
        with self.lock:
            self.acked.append((kind, person, key))


def writer(api, ledger, numbers, receiver, stop):
    """Writes of every kind, person after person, until the server stops answering."""
    today = datetime.datetime.now(JST).date().isoformat()
    while not stop.is_set():
        n = next(numbers)
        try:
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=random.randrange(15000))
            status, body = api.call(
                "POST",
                "/api/v1/persons",
                {
                    "name": f"試験 {n}",
                    "name_kana": f"しけん {kana_of(n)}",
                    "birth_date": birth.isoformat(),
                    "categories": ["intellectual"],
                    "consent": {
                        "purposes": ["support"],
                        "categories": ["basic", "disability"],
                        "evidence": "verbal",
                        "evidence_note": "面談で口頭により確認",
                    },
                },
            )
            if status != 201:
                raise Failure(f"registration answered {status}: {body}")
            person = body["id"]
            with ledger.lock:
                ledger.persons.add(person)
            ledger.ack("person", person, person)
            note = f"電話で体調を確認 #{n}"
            record = {"kind": "phone", "date": today, "minutes": "15", "note": note}
            status, body = api.call("POST", f"/api/v1/persons/{person}/support-records", record)
            if status != 201:
                raise Failure(f"a support record answered {status}: {body}")
            ledger.ack("support", person, note)
            reason = f"初回面談 #{n}"
            status, body = api.call(
                "POST", f"/api/v1/persons/{person}/stage", {"stage": "intake", "on": today, "reason": reason}
            )
            if status != 204:
                raise Failure(f"a stage change answered {status}: {body}")
            ledger.ack("stage", person, reason)
            consent = {
                "purposes": ["referral"],
                "categories": ["basic"],
                "evidence": "verbal",
                "evidence_note": "紹介先を説明し口頭で同意",
                "recipient_kind": "agency",
                "recipient_id": receiver,
                "valid_from": today,
            }
            status, body = api.call("POST", f"/api/v1/persons/{person}/consents", consent)
            if status != 201:
                raise Failure(f"a consent answered {status}: {body}")
            ledger.ack("consent", person, body["id"])
            status, body = api.call(
                "POST", f"/api/v1/persons/{person}/referrals", {"to_agency": receiver, "note": f"紹介 #{n}"}
            )
            if status != 201:
                raise Failure(f"a referral answered {status}: {body}")
            ledger.ack("referral", person, body["id"])
        except (OSError, http.client.HTTPException):
            # The server is gone: what was in flight is unacknowledged.
            return
        except Failure as e:
            ledger.failures.append(str(e))
            return


# --- the checks -------------------------------------------------------------------------------


class Database:
    """Read-only SQL on the database, whichever the engine."""

    def __init__(self, url):
        self.url = url
        self.sqlite = url[len("sqlite://"):] if url.startswith("sqlite://") else None

    def rows(self, sql):
        if self.sqlite:
            c = sqlite3.connect(self.sqlite)
            try:
                return [tuple(str(v) for v in r) for r in c.execute(sql).fetchall()]
            finally:
                c.close()
        out = subprocess.run(["psql", self.url, "-AtX", "-F", "\t", "-c", sql], capture_output=True, text=True)
        if out.returncode != 0:
            raise Failure(f"psql: {out.stderr.strip()}")
        return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]

    def uuid(self, expr):
        """`expr` (text) as the type ids have: text on SQLite, uuid on PostgreSQL."""
        return expr if self.sqlite else f"CAST({expr} AS uuid)"

    def integrity(self):
        if not self.sqlite:
            return "ok"
        return "; ".join(r[0] for r in self.rows("PRAGMA integrity_check"))


# What each of the harness's writes is stored as, and the record its audit entry names.
TABLES = [
    ("persons", "id", "person"),
    ("consents", "person_id", "consent"),
    ("support_records", "person_id", "support"),
    ("stage_changes", "person_id", "stage"),
    ("referrals", "person_id", "referral"),
]


def half_written(db, persons):
    """Writes without their audit entry, and audit entries without their write."""
    if not persons:
        return []
    found = []
    for start in range(0, len(persons), 500):
        listed = ",".join(f"'{p}'" for p in persons[start : start + 500])
        for table, person_column, prefix in TABLES:
            missing_entry = db.rows(
                f"SELECT CAST(t.id AS TEXT) FROM {table} t WHERE t.{person_column} IN ({listed}) AND NOT EXISTS "
                f"(SELECT 1 FROM audit_log a WHERE a.person = CAST(t.{person_column} AS TEXT) "
                f"AND a.record = '{prefix}:' || CAST(t.id AS TEXT))"
            )
            found += [f"{table} {r[0]} has no audit entry" for r in missing_entry]
            # The id is cut from the record, so that the lookup is by the table's key.
            record_id = db.uuid(f"substr(a.record, {len(prefix) + 2})")
            missing_write = db.rows(
                f"SELECT a.record FROM audit_log a WHERE a.person IN ({listed}) AND a.action = 'create' "
                f"AND a.record LIKE '{prefix}:%' AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = {record_id})"
            )
            found += [f"the audit entry {r[0]} has no write" for r in missing_write]
    return found


def lost(api, db, acked):
    """The acknowledged writes that do not read back: through the API, and referrals (whose list
    the API gives only the newest of) in the database."""
    by_person = {}
    for kind, person, key in acked:
        by_person.setdefault(person, []).append((kind, key))
    referrals = [key for kind, _, key in acked if kind == "referral"]
    sent = set()
    for start in range(0, len(referrals), 500):
        listed = ",".join(f"'{r}'" for r in referrals[start : start + 500])
        sent |= {r[0] for r in db.rows(f"SELECT CAST(id AS TEXT) FROM referrals WHERE id IN ({listed})")}
    missing = []
    for person, writes in by_person.items():
        status, record = api.call("GET", f"/api/v1/persons/{person}")
        if status != 200:
            missing += [f"{kind} of {person} (the person reads {status})" for kind, _ in writes]
            continue
        status, timeline = api.call("GET", f"/api/v1/persons/{person}/timeline")
        notes = {e.get("note") for e in timeline["events"] if e["event"] == "support"}
        reasons = {e.get("reason") for e in timeline["events"] if e["event"] == "stage"}
        consents = {c["id"] for c in record["consents"]}
        for kind, key in writes:
            there = {
                "person": True,
                "support": key in notes,
                "stage": key in reasons,
                "consent": key in consents,
                "referral": key in sent,
            }[kind]
            if not there:
                missing.append(f"{kind} {key} of {person}")
    return missing


def audit_verify(binary, url):
    out = subprocess.run([binary, "audit", "verify", "--database", url], capture_output=True, text=True)
    if out.returncode != 0:
        raise Failure(f"tsunagu audit verify: {out.stderr.strip()}")
    return out.stdout.strip()


# --- the cycles -------------------------------------------------------------------------------


ADMIN = os.environ.get("TSUNAGU_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


def psql_admin(sql):
    env = dict(os.environ, PGOPTIONS="--client-min-messages=warning")
    subprocess.run(["psql", ADMIN, "-qAtX", "-c", sql], check=True, env=env)


def prepare(binary, engine, work):
    if engine == "sqlite":
        url = f"sqlite://{work}/crash.sqlite3"
    else:
        name = f"tsunagu_crash_{os.getpid()}"
        psql_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        psql_admin(f"CREATE DATABASE {name}")
        url = f"{ADMIN.rsplit('/', 1)[0]}/{name}"
    out = subprocess.run([binary, "demo", "--no-serve", "--database", url], capture_output=True, text=True)
    if out.returncode != 0:
        raise Failure(f"building the demo failed: {out.stderr[-2000:]}")
    return url


def receiving_agency(api):
    """A Hello Work for the referrals (any agency other than the worker's own)."""
    status, found = api.call("GET", "/api/v1/agencies?q=" + urllib.parse.quote("ハローワーク"))
    if status != 200 or not found["items"]:
        raise Failure("no Hello Work in the demo directory")
    return found["items"][0]["id"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cycles", type=int, default=int(os.environ.get("N", "5")))
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    binary = os.environ.get("TSUNAGU_BIN", "target/debug/tsunagu")
    random.seed(args.seed)

    work = tempfile.mkdtemp(prefix="tsunagu-crash-")
    log = os.path.join(work, "server.log")
    url = prepare(binary, args.engine, work)
    db = Database(url)
    server = Server(binary, url, log)
    token = create_token(server)
    api = Api(server, token)
    receiver = receiving_agency(api)
    ledger = Ledger()
    counter = iter(range(1, 10**9))
    numbers_lock = threading.Lock()

    def numbers():
        while True:
            with numbers_lock:
                n = next(counter)
            yield n

    started = time.time()
    checked, seen = 0, set()
    try:
        for cycle in range(1, args.cycles + 1):
            stop = threading.Event()
            threads = [
                threading.Thread(target=writer, args=(api, ledger, numbers(), receiver, stop))
                for _ in range(args.writers)
            ]
            for t in threads:
                t.start()
            time.sleep(random.uniform(0.3, 2.0))
            server.kill()
            stop.set()
            for t in threads:
                t.join()
            if ledger.failures:
                raise Failure(f"cycle {cycle}: {ledger.failures[0]}")

            integrity = db.integrity()
            if integrity != "ok":
                raise Failure(f"cycle {cycle}: integrity_check: {integrity}")
            # The persons the harness registered since the last check, the unacknowledged ones too
            # (and after the last cycle, all of them).
            persons = {r[0] for r in db.rows("SELECT CAST(id AS TEXT) FROM persons WHERE name LIKE '試験 %'")}
            fresh = persons if cycle == args.cycles else persons - seen
            seen |= persons
            broken = half_written(db, sorted(fresh))
            if broken:
                raise Failure(f"cycle {cycle}: half written: {broken[:5]} ({len(broken)} in all)")
            server = Server(binary, url, log)
            api.server = server
            # This cycle's writes, a sample of the earlier ones, and after the last cycle all of them.
            acked = list(ledger.acked)
            earlier, latest = acked[:checked], acked[checked:]
            if cycle == args.cycles:
                sample = acked
            else:
                sample = latest + random.sample(earlier, min(len(earlier), 200))
            checked = len(acked)
            missing = lost(api, db, sample)
            if missing:
                raise Failure(f"cycle {cycle}: acknowledged but lost: {missing[:5]} ({len(missing)} in all)")
            verified = audit_verify(binary, url)
            print(f"cycle {cycle}: {len(ledger.acked)} writes acknowledged so far, none lost; {verified}", flush=True)
    except Failure as e:
        print(f"FAILED ({args.engine}): {e}; the database and the server's log are kept in {work}", file=sys.stderr)
        server.kill()
        return 1
    server.kill()
    shutil.rmtree(work)
    if args.engine == "postgres":
        psql_admin(f"DROP DATABASE {url.rsplit('/', 1)[1]} WITH (FORCE)")
    print(
        f"{args.engine}: {args.cycles} cycles of kill -9, {len(ledger.acked)} writes acknowledged "
        f"({len(ledger.persons)} persons), 0 lost, 0 half written, "
        f"{'integrity_check ok, ' if args.engine == 'sqlite' else ''}audit log intact "
        f"({time.time() - started:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
