#!/usr/bin/env bash
# Formatting and clippy, clean for each feature set: the server side (ssr, with the tests) and
# the browser side (hydrate, wasm32). Warnings fail.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cargo fmt --all --check
# The same flags cargo-leptos builds with, so the artefacts are shared with the other builds.
RUSTFLAGS="--cfg erase_components" LEPTOS_OUTPUT_NAME=mutirao cargo clippy --workspace --all-targets -- -D warnings
RUSTFLAGS="--cfg erase_components" cargo clippy -p app --lib --no-default-features --features hydrate \
  --target wasm32-unknown-unknown --target-dir target/front -- -D warnings
