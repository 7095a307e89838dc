#!/usr/bin/env bash
# Runs every test: formatting; one build of the tests (which builds the server binary too) beside
# the optimised browser bundle, both linted by clippy as they compile (a warning fails);
# unit, integration (embedded SurrealDB) and HTTP tests; the REST API fuzzed by schemathesis
# (scripts/fuzz-api.sh); end-to-end tests in Debian's headless
# Chromium against the built site, with JavaScript on and off. Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
started=$(date +%s)
last=$started
times=()
step() {
  local now
  now=$(date +%s)
  [ -n "${current:-}" ] && times+=("$(printf '%-44s %4d s' "$current" $((now - last)))")
  last=$now current=$1
  echo "== $1"
}
summary() {
  step ""
  printf '%s\n' "== time per step:" "${times[@]}" "$(printf '%-44s %4d s' total $(($(date +%s) - started)))"
}
trap summary EXIT

echo "== disk before the build: $(df -h . | awk 'NR==2 {print $4" free of "$2}')"
step "setup (rustup target, npm tools)"
scripts/setup.sh
mkdir -p target
# Chromium, Playwright and schemathesis install while the build runs.
{ scripts/setup.sh e2e && scripts/setup.sh fuzz; } >target/setup-e2e.log 2>&1 &
e2e_setup=$!

step "formatting"
cargo fmt --all --check

step "build: tests + server (debug), bundle (release)"
MUTIRAO_SERVER_CARGO="test --workspace --all-targets --no-run" scripts/build.sh --release-bundle 2>&1 | tee target/build.log
# Clippy compiles the workspace's crates (.cargo/config.toml): its lints are the build's warnings.
if grep -E '^warning: `(app|shared|mutirao)` \(.*\) generated [0-9]+ warnings?' target/build.log; then
  echo "== the build has warnings (above): fix them"
  exit 1
fi

step "unit, integration and HTTP tests"
cargo test --workspace --all-targets

step "crash durability (the real binary, kill -9)"
cargo test --workspace --test it -- --ignored --exact binary::binary_every_acknowledged_write_survives_kill_9

step "resource limits (the real binary under abuse: /healthz within a second, under 500 MB)"
cargo test --workspace --test it -- --ignored --exact binary::binary_stays_up_small_and_responsive_under_abuse

wait "$e2e_setup" || { cat target/setup-e2e.log; exit 1; }
step "API fuzzing (schemathesis)"
scripts/fuzz-api.sh target/debug/mutirao

step "end-to-end tests"
(cd e2e && npx playwright test)
