#!/usr/bin/env bash
# Installs what building and testing Mutirão need, skipping what is already there.
#   scripts/setup.sh            the wasm32 target and clippy (rustup); wasm-opt (npm's binaryen,
#                               pinned in tools/package.json; Debian's binaryen 108 breaks
#                               hydration) and the map's libraries into tools/node_modules
#   scripts/setup.sh bindgen    wasm-bindgen-cli at the exact version in Cargo.lock, into the
#                               cargo home (about 4 minutes the first time); scripts/build.sh
#                               calls it beside the server build, which does not need it
#   scripts/setup.sh e2e        Debian's Chromium and the e2e Node packages (e2e/node_modules)
#   scripts/setup.sh fuzz       schemathesis (PyPI, pinned) in a virtualenv in .tools/venv
# No cargo-leptos: scripts/build.sh builds the site with cargo and wasm-bindgen alone.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

base() {
  local installed
  installed=$(rustup target list --installed)
  if ! grep -qx wasm32-unknown-unknown <<<"$installed"; then
    rustup target add wasm32-unknown-unknown
  fi
  # Every build runs clippy as the workspace's compiler (.cargo/config.toml).
  if ! command -v clippy-driver >/dev/null || ! clippy-driver --version >/dev/null 2>&1; then
    rustup component add clippy
  fi
  if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -f tools/node_modules/sigma/dist/sigma.min.js ] \
    || [ ! -f tools/node_modules/graphology-library/dist/graphology-library.min.js ]; then
    echo "setup: installing wasm-opt (npm binaryen) and the map's libraries into tools/"
    (cd tools && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # The network map's libraries, served from the site's own assets (public/vendor, not committed).
  mkdir -p public/vendor
  for f in graphology/dist/graphology.umd.min.js sigma/dist/sigma.min.js graphology-library/dist/graphology-library.min.js; do
    cmp -s "tools/node_modules/$f" "public/vendor/$(basename "$f")" || cp "tools/node_modules/$f" public/vendor/
  done
}

bindgen() {
  local version
  version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
    echo "setup: installing wasm-bindgen-cli $version (about 4 minutes the first time)"
    # --locked fails against this registry mirror (a pinned dependency is missing). Run from
    # outside the repository, whose .cargo/config.toml is for the workspace only.
    (cd / && cargo install wasm-bindgen-cli --version "$version" --force)
  fi
}

e2e() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "setup: installing Debian's chromium"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -d e2e/node_modules/@playwright/test ]; then
    (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
}

fuzz() {
  local version=4.32.5
  if [ "$(.tools/venv/bin/st --version 2>/dev/null | awk '{print $NF}')" != "$version" ]; then
    echo "setup: installing schemathesis $version into .tools/venv"
    python3 -m venv .tools/venv
    .tools/venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==$version"
  fi
}

case "${1:-base}" in
  base) base ;;
  bindgen) bindgen ;;
  e2e) e2e ;;
  fuzz) fuzz ;;
  *) echo "setup.sh: unknown part ${1}" >&2; exit 2 ;;
esac
