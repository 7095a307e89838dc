#!/usr/bin/env bash
# Builds the site without cargo-leptos: the `mutirao` server binary and the browser bundle
# (the `app` crate for wasm32 with `hydrate`, then wasm-bindgen; wasm-opt for release), with the
# stylesheet and the public files, into a site root the server serves (LEPTOS_SITE_ROOT).
#
#   scripts/build.sh                    debug server + debug bundle into target/site
#   scripts/build.sh --release          release server + optimised bundle into target/site
#   scripts/build.sh --release-bundle   debug server + optimised bundle (what the tests use)
#   scripts/build.sh --server-only      only the server binary
#   scripts/build.sh --bundle-only      only the bundle (with --release or --release-bundle: optimised)
#
# The server and the bundle are built at the same time, each in its own target directory
# (the bundle in target/front): a large crate compiles on one core for minutes, and the other
# build uses the other core meanwhile. Compile settings live in .cargo/config.toml, so the
# tests and clippy reuse what this builds. `cargo leptos watch` still works for those who have
# cargo-leptos; these scripts never need it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

release=0 bundle_release=0 server=1 bundle=1 site=target/site
while [ $# -gt 0 ]; do
  case "$1" in
    --release) release=1 bundle_release=1 ;;
    --release-bundle) bundle_release=1 ;;
    --bundle-only) server=0 ;;
    --server-only) bundle=0 ;;
    --site) site=$2; shift ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

# The cargo command of the server build (the test command builds the tests, and with them the
# server binary, instead).
read -r -a server_cargo <<<"${MUTIRAO_SERVER_CARGO:-build -p mutirao --bin mutirao}"

build_server() {
  if [ "$release" = 1 ]; then
    cargo "${server_cargo[@]}" --release
  else
    cargo "${server_cargo[@]}"
  fi
}

build_bundle() {
  local profile=debug args=()
  if [ "$bundle_release" = 1 ]; then profile=wasm-release args=(--profile wasm-release); fi
  scripts/setup.sh bindgen
  cargo build -p app --lib --target wasm32-unknown-unknown --no-default-features --features hydrate \
    --target-dir target/front "${args[@]}"
  local pkg="$site/pkg"
  rm -rf "$pkg.tmp" && mkdir -p "$pkg.tmp"
  wasm-bindgen --target web --no-typescript --out-name mutirao --out-dir "$pkg.tmp" \
    "target/front/wasm32-unknown-unknown/$profile/app.wasm"
  # Leptos' hydration script loads pkg/{output name}.wasm.
  mv "$pkg.tmp/mutirao_bg.wasm" "$pkg.tmp/mutirao.wasm"
  if [ "$bundle_release" = 1 ]; then
    # npm's binaryen (tools/package.json): Debian's binaryen 108 breaks hydration.
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      "$pkg.tmp/mutirao.wasm" -o "$pkg.tmp/mutirao.wasm"
  fi
  cp style/main.css "$pkg.tmp/mutirao.css"
  rm -rf "$pkg" && mv "$pkg.tmp" "$pkg"
  # The public files (icons, scripts, the map's libraries) at the site's root.
  cp -R public/. "$site/"
}

mkdir -p "$site"
pids=()
if [ "$server" = 1 ]; then build_server & pids+=($!); fi
if [ "$bundle" = 1 ]; then build_bundle & pids+=($!); fi
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
exit "$status"
