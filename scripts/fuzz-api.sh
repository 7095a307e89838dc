#!/usr/bin/env bash
# Fuzzes the REST API with schemathesis against the document it serves (/api/v1/openapi.json):
# starts the built server on a free port with an in-memory database and the demo data, takes a
# token as the demo admin and one as the demo member, and runs every operation as each of them
# with the checks not_a_server_error, status_code_conformance, response_schema_conformance and
# content_type_conformance. Any finding fails. Bounded and repeatable: a fixed seed and number of
# cases per operation (MUTIRAO_FUZZ_EXAMPLES, default 12; MUTIRAO_FUZZ_SEED, default 1).
#   scripts/fuzz-api.sh [path/to/mutirao]      (default target/debug/mutirao)
# schemathesis is installed by `scripts/setup.sh fuzz` into .tools/venv (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/mutirao}
st=.tools/venv/bin/st
[ -x "$st" ] || scripts/setup.sh fuzz
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
mkdir -p target/fuzz
RUST_LOG=warn "$bin" --addr "127.0.0.1:$port" --db mem:// --demo >target/fuzz/server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat target/fuzz/server.log; exit 1; }
  sleep 0.5
done

token() {
  local jar=target/fuzz/$1.cookies
  curl -fsS -c "$jar" -H 'content-type: application/json' \
    -d "{\"email\":\"$1@example.org\",\"password\":\"mutirao-demo\"}" "$base/api/v1/session" >/dev/null
  curl -fsS -b "$jar" -H 'content-type: application/json' -H "origin: $base" \
    -d '{"name":"schemathesis"}' "$base/api/v1/tokens" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

status=0
for who in admin member; do
  echo "== schemathesis as the demo $who"
  "$st" run "$base/api/v1/openapi.json" -H "Authorization: Bearer $(token "$who")" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
    -n "${MUTIRAO_FUZZ_EXAMPLES:-12}" --seed "${MUTIRAO_FUZZ_SEED:-1}" --workers 2 --no-color \
    --generation-database none --report junit --report-junit-path "target/fuzz/$who.xml" \
    >"target/fuzz/$who.log" 2>&1 || status=1
  tail -n 25 "target/fuzz/$who.log"
done
if ! kill -0 "$server" 2>/dev/null; then
  echo "== the server stopped during the fuzzing"; tail -n 50 target/fuzz/server.log; exit 1
fi
[ "$status" -eq 0 ] || echo "== schemathesis found failures: the whole report is in target/fuzz/"
exit "$status"
