#!/usr/bin/env bash
# The load benchmark of issue 12 (see BENCHMARKS.md): builds the release server and bundle,
# writes the drafting benchmark data set (a document of 150 paragraphs, 1,000 amendments, 5,000
# comments) and the network's CSV files (25,000 actors, 100,000 relations) into a fresh on-disk
# database, serves it, and runs scripts/bench-load.py: 200 concurrent clients for two minutes.
# Needs `oha` (crates.io; installed into the cargo home when missing).
#   BENCH_SECONDS=30 BENCH_NO_BUILD=1 scripts/bench-load.sh
# Not part of the test suite (timings are not assertions).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! command -v oha >/dev/null; then
  # From outside the repository, whose .cargo/config.toml is for the workspace only.
  # --locked: its newest dependencies want a newer Rust than this one.
  (cd / && cargo install oha --version 1.16.0 --locked)
fi
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  scripts/setup.sh && scripts/setup.sh bindgen
  scripts/build.sh --release
fi
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
db="surrealkv://$dir/db"
bin=target/release/mutirao
echo "== writing the data sets"
"$bin" --db "$db" admin generate-benchmark-data
MUTIRAO_ADMIN_PASSWORD=load-benchmark-password "$bin" --db "$db" admin create-user --email load-admin@example.org --role admin
"$bin" --db mem:// admin generate-network-csv --actors "${BENCH_ACTORS:-25000}" --relations "${BENCH_RELATIONS:-100000}" --out "$dir"
port=${BENCH_PORT:-3197}
LEPTOS_SITE_ROOT=target/site RUST_LOG=warn "$bin" --db "$db" --addr "127.0.0.1:$port" &
pid=$!
for _ in $(seq 120); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
python3 scripts/bench-load.py "http://127.0.0.1:$port" "$dir" "$pid"
