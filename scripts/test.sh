#!/usr/bin/env bash
# Runs every test: unit, integration (embedded SurrealDB), HTTP, and end-to-end in Debian's
# headless Chromium against the built site, with JavaScript on and off.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== disk before the build: $(df -h . | awk 'NR==2 {print $4" free of "$2}')"
scripts/setup.sh --e2e
export PATH="$PWD/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

echo "== build the site (server + wasm)"
cargo leptos build

echo "== build the release wasm bundle (wasm-opt) for the release-bundle e2e project"
# Same component erasure as the debug server it is served by, so the two agree on the markup.
RUSTFLAGS="--cfg erase_components" LEPTOS_SITE_ROOT=target/site-release cargo leptos build --release --frontend-only

echo "== end-to-end tests"
(cd e2e && MUTIRAO_E2E_RELEASE_SITE=target/site-release npx playwright test)

echo "== unit, integration and HTTP tests"
# The same flags cargo-leptos builds with, so both share one set of compiled artefacts.
export RUSTFLAGS="--cfg erase_components" LEPTOS_OUTPUT_NAME=mutirao
cargo test --workspace

echo "== formatting and clippy (ssr and hydrate)"
scripts/lint.sh
