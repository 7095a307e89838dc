#!/usr/bin/env bash
# Installs what building Mutirão needs, skipping what is already there:
#   the wasm32 target, cargo-leptos 0.3.10 (the last that builds on Rust 1.95) and
#   wasm-bindgen-cli at the exact version in Cargo.lock, into the cargo home; wasm-opt (npm's
#   binaryen, pinned in tools/package.json) into tools/node_modules, which callers put on PATH
#   for `cargo leptos build --release`. (Debian's binaryen 108 breaks hydration: not used.)
# With `--e2e` also Debian's Chromium and the e2e Node packages (into e2e/node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

LEPTOS_VERSION=0.3.10
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$LEPTOS_VERSION" ]; then
  echo "setup: installing cargo-leptos $LEPTOS_VERSION (about 18 minutes the first time)"
  cargo install cargo-leptos --locked --version "$LEPTOS_VERSION"
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$BINDGEN_VERSION" ]; then
  echo "setup: installing wasm-bindgen-cli $BINDGEN_VERSION (about 5 minutes the first time)"
  # --locked fails against this registry mirror (a pinned dependency is missing).
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION" --force
fi

if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -f tools/node_modules/sigma/dist/sigma.min.js ] \
  || [ ! -f tools/node_modules/graphology-library/dist/graphology-library.min.js ]; then
  echo "setup: installing wasm-opt (npm binaryen) and the map's libraries into tools/"
  (cd tools && npm ci --no-audit --no-fund)
fi
# The network map's libraries, served from the site's own assets (public/vendor, not committed).
mkdir -p public/vendor
for f in graphology/dist/graphology.umd.min.js sigma/dist/sigma.min.js graphology-library/dist/graphology-library.min.js; do
  cmp -s "tools/node_modules/$f" "public/vendor/$(basename "$f")" || cp "tools/node_modules/$f" public/vendor/
done

if [ "${1:-}" = "--e2e" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    echo "setup: installing Debian's chromium"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -d e2e/node_modules/@playwright/test ]; then
    (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
