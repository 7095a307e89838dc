#!/usr/bin/env bash
# Builds Mutirão and starts it with the demo data on the embedded database.
# Honours MUTIRAO_ADDR, MUTIRAO_DB, MUTIRAO_DEMO (default 1 here) and every other
# variable of `mutirao --help`; extra arguments go to the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cargo leptos build
export MUTIRAO_DEMO="${MUTIRAO_DEMO:-1}"
export LEPTOS_SITE_ROOT=target/site
exec target/debug/mutirao "$@"
