#!/usr/bin/env bash
# Builds Mutirão and starts it with the demo data on the embedded database.
# Honours MUTIRAO_ADDR, MUTIRAO_DB, MUTIRAO_DEMO (default 1 here) and every other
# variable of `mutirao --help`; extra arguments go to the binary.
# MUTIRAO_RELEASE=1 builds an optimised server and a wasm-opt'd bundle instead (slower to build).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ "${MUTIRAO_RELEASE:-0}" = "1" ]; then
  scripts/build.sh --release
  bin=target/release/mutirao
else
  scripts/build.sh
  bin=target/debug/mutirao
fi
export MUTIRAO_DEMO="${MUTIRAO_DEMO:-1}"
export LEPTOS_SITE_ROOT=target/site
exec "$bin" "$@"
