#!/usr/bin/env bash
# Benchmark: a casework import (利用者台帳) of 2,000 persons in one file, as an agency moving its
# spreadsheet into Tsunagu sends it: every row checked, then the persons, their consents, cases
# and audit entries written in one transaction. Three files in turn, each of new persons, into a
# demo-scale database built afresh for the run.
#
#   bench/import.sh               # SQLite (bench-data/import.sqlite3)
#   DATABASE=postgres://postgres@127.0.0.1:5432/tsunagu_bench bench/import.sh   # a database named …_import beside it
source "$(dirname "$0")/lib.sh"

if [ "$engine" = postgres ]; then
  db="${url%/*}/${url##*/}_import"
  psql "${url%/*}/postgres" -qc "DROP DATABASE IF EXISTS ${db##*/} WITH (FORCE)" >/dev/null
else
  db="sqlite://$data/import.sqlite3"
  rm -f "${db#sqlite://}" "${db#sqlite://}-wal" "${db#sqlite://}-shm"
fi
SCALE=demo ensure_demo "$db"
describe_database "$db"
start tsunagu import "$bin/tsunagu" serve --database "$db" --listen 127.0.0.1:0
sign_in "$tsunagu" worker
create_token "$tsunagu"

rows=2000
report_header
for round in 1 2 3; do
  python3 - "$data/import-$round.csv" "$round" "$rows" <<'PY'
import sys
out, round_, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
family = [("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"), ("伊藤", "いとう")]
given = [("一郎", "いちろう"), ("花子", "はなこ"), ("健", "けん"), ("美咲", "みさき"), ("翔", "しょう")]
lines = ["氏名,ふりがな,生年月日,障害種別,障害者手帳,支援開始日,段階,段階の開始日,同意日,同意の方法,同意書の保管場所"]
for i in range(rows):
    (f, fk), (g, gk) = family[i % 5], given[(i // 5) % 5]
    # A birth date of its own for each row of each round: no row is a possible duplicate.
    day = rows * round_ + i
    year, rest = 1960 + day // 336, day % 336
    birth = f"{year}-{rest // 28 + 1:02d}-{rest % 28 + 1:02d}"
    lines.append(f"{f} {g},{fk} {gk},{birth},精神,精神2級,2026-04-01,求職活動,2026-05-01,2026-04-01,書面,事業所の書庫")
open(out, "w").write("\n".join(lines) + "\n")
PY
  start_ns=$(date +%s%N)
  status=$(curl -s -o "$data/import-$round.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H "Content-Type: text/csv" --data-binary "@$data/import-$round.csv" "$tsunagu/api/v1/persons/import")
  ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  [ "$status" = 200 ] || { echo "import failed ($status): $(head -c 300 "$data/import-$round.json")" >&2; exit 1; }
  report "import $rows persons" tsunagu 1 "$(awk -v r="$rows" -v ms="$ms" 'BEGIN { print r * 1000 / ms }')" "$ms"
done
echo "import: req/s is persons written a second; p99 is the whole request in ms"
