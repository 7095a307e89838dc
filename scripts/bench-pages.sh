#!/usr/bin/env bash
# Measures the page-render targets of issue 3 (see BENCHMARKS.md): builds the release server
# and bundle, writes the benchmark data set into a fresh on-disk database, serves it, and runs
# scripts/bench-pages.mjs against it. Not part of the test suite (timings are not assertions).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh && scripts/setup.sh e2e
export PATH="$PWD/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
scripts/build.sh --release
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
db="surrealkv://$dir/bench"
port=${BENCH_PORT:-3199}
echo "== generating the data set"
time target/release/mutirao --db "$db" admin generate-benchmark-data
LEPTOS_SITE_ROOT=target/site RUST_LOG=warn target/release/mutirao --db "$db" --addr "127.0.0.1:$port" &
pid=$!
for _ in $(seq 60); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
node scripts/bench-pages.mjs "http://127.0.0.1:$port" "${BENCH_RUNS:-100}"
