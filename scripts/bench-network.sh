#!/usr/bin/env bash
# Measures the network targets of issue 4 (see BENCHMARKS.md): builds the release server and
# bundle, writes the benchmark CSV files (25,000 actors, 100,000 relations), serves a fresh
# on-disk database with the demo accounts, and runs scripts/bench-network.mjs against it, which
# imports the files through the API and times the queries, the directory page and the map.
#   BENCH_MEMORY_LIMIT=1000000000 scripts/bench-network.sh   # as in a container given 1,000 MB
# Not part of the test suite (timings are not assertions).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh && scripts/setup.sh e2e
export PATH="$PWD/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
scripts/build.sh --release
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; sleep 1; find /sys/fs/cgroup -maxdepth 6 -type d -name "mutirao-limit-$pid" -exec rmdir {} + 2>/dev/null || true; rm -rf "$dir"' EXIT
target/release/mutirao --db mem:// admin generate-network-csv --actors "${BENCH_ACTORS:-25000}" --relations "${BENCH_RELATIONS:-100000}" --out "$dir"
port=${BENCH_PORT:-3198}
# BENCH_MEMORY_LIMIT (bytes) runs the server as a container with that memory limit would
# (scripts/memory-limit.sh; root only): the server must then live within it.
limited=()
if [ -n "${BENCH_MEMORY_LIMIT:-}" ]; then limited=(scripts/memory-limit.sh "$BENCH_MEMORY_LIMIT"); fi
LEPTOS_SITE_ROOT=target/site RUST_LOG=warn "${limited[@]}" target/release/mutirao --db "surrealkv://$dir/db" --addr "127.0.0.1:$port" --demo &
pid=$!
for _ in $(seq 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
node scripts/bench-network.mjs "http://127.0.0.1:$port" "$dir" "$pid"
