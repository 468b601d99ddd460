#!/usr/bin/env bash
# The JSON API against its own OpenAPI document, with schemathesis: every operation, valid and
# invalid inputs generated from the document, as the demo support worker, as the administrator and
# with no credentials. Fails on a server error, a status code or media type the document does not
# declare, a response that does not match its schema, a request the document forbids that is
# accepted, or an operation that ignores its authentication. Prints requests and failures by kind.
#
#   tests/api/schemathesis.sh             # 20 cases per operation and caller (what CI runs)
#   EXAMPLES=300 tests/api/schemathesis.sh
#
# A request the document allows but the server refuses (positive_data_acceptance; CHECKS=all adds
# it) is reported and not failed on. The document states types, required fields, codes, dates,
# patterns and lengths; what it cannot state are the rules across fields or against stored data:
# a date not in the future or after another, the `support` purpose of a registration, services
# only for welfare facilities, a block or municipality the directory holds, a block name no other
# block has, the columns a file must have.
set -euo pipefail
cd "$(dirname "$0")/../.."
examples=${EXAMPLES:-20}
bin=${TSUNAGU_BIN:-target/debug/tsunagu}
command -v schemathesis >/dev/null || pip install -q 'schemathesis>=4,<5'
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" demo --database "sqlite://$work/api.sqlite3" --listen 127.0.0.1:0 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/server.log" | head -1 || true)
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { echo "the demo server did not start: $(cat "$work/server.log")" >&2; exit 1; }

# `token LOGIN SCOPE…` signs LOGIN in through the form and prints a new API token with the scopes.
token() {
  local login=$1 jar=$work/$1.jar form csrf scopes=""
  shift
  for s in "$@"; do scopes+="&scopes=$s"; done
  form=$(curl -s -c "$jar" "$base/login")
  csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$form" | head -1 | sed 's/.*value="//; s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null \
    -d "csrf=$csrf&next=%2F&login=$login&password=tsunagu-demo-2024" "$base/login"
  form=$(curl -s -b "$jar" "$base/account")
  csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$form" | head -1 | sed 's/.*value="//; s/"$//')
  curl -s -b "$jar" -d "csrf=$csrf&token_name=schemathesis$scopes" "$base/account/tokens" |
    grep -o '<code id="new-token">[^<]*' | sed 's/.*>//'
}
worker=$(token worker persons_read persons_write)
admin=$(token admin directory_write audit_read)
[ -n "$worker" ] && [ -n "$admin" ] || { echo "creating the API tokens failed" >&2; exit 1; }

checks=${CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,ignored_auth}
failed=0
for caller in worker admin nobody; do
  case $caller in
    worker) auth=(-H "Authorization: Bearer $worker") ;;
    admin) auth=(-H "Authorization: Bearer $admin") ;;
    nobody) auth=() ;;
  esac
  echo "== as $caller"
  status=0
  schemathesis run "$base/api/v1/openapi.json" "${auth[@]}" --max-examples "$examples" --seed 2024 \
    --checks "$checks" --phases examples,coverage,fuzzing --generation-database none \
    --request-timeout 30 >"$work/$caller.txt" 2>&1 || status=$?
  cp "$work/$caller.txt" "${SCHEMATHESIS_LOG_DIR:-$work}/" 2>/dev/null || true
  sed -n '/=== SUMMARY ===/,$p' "$work/$caller.txt" | grep -E 'generated|Failures|❌|✅|failures|passed|Selected' || true
  if [ "$status" -ne 0 ]; then
    failed=1
    grep -E '^_+ |^- ST|Received|Documented' "$work/$caller.txt" | head -40 >&2 || true
  fi
done
exit "$failed"
