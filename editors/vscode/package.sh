#!/usr/bin/env bash
# Builds the platform-specific .vsix: the release server binary inside, the
# extension bundled with esbuild, linted first.
#
#   editors/vscode/package.sh [--skip-cargo] [--target T] [--binary PATH] [--out DIR]
#
#   --skip-cargo   do not run `cargo build --release -p durable-lsp`; use the
#                  binary already at target/release/durable-lsp
#   --target T     VS Code platform (default linux-x64); for any other one pass
#                  the server built for it with --binary (see README.md)
#   --binary PATH  the durable-lsp executable to bundle (implies --skip-cargo)
#   --out DIR      where the .vsix goes (default editors/vscode/dist)
#
# npm dependencies are installed from package-lock.json into
# $DURABLE_LSP_VSCODE_CACHE/ext (default ~/.cache/durable-lsp-vscode/ext) and
# the build runs in a staging folder there, so the checkout gets no
# node_modules. Logs go to stderr; the only line on stdout is the .vsix path.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${DURABLE_LSP_VSCODE_CACHE:-${HOME:-/root}/.cache/durable-lsp-vscode}
target=linux-x64
skip_cargo=0
binary=""
out=$HERE/dist

while (($#)); do
  case "$1" in
    --skip-cargo) skip_cargo=1 ;;
    --target) target=$2; shift ;;
    --binary) binary=$2; skip_cargo=1; shift ;;
    --out) out=$2; shift ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "== package.sh: $*" >&2; }
die() { echo "package.sh: FAILED: $*" >&2; exit 1; }
run() { # LIMIT_SECONDS CMD...
  local limit=$1; shift
  echo "+ $*" >&2
  timeout --kill-after=10 "$limit" "$@" >&2 || die "'$*' failed (exit $?)"
}

# 1. The server binary.
exe=durable-lsp
[[ "$target" == win32-* ]] && exe=durable-lsp.exe
if [ -z "$binary" ]; then
  [ "$target" = linux-x64 ] || die "--target $target needs --binary: build durable-lsp for that platform first (README.md, 'Other platforms')"
  if [ "$skip_cargo" = 0 ]; then
    command -v cargo >/dev/null || die "cargo is not installed (or pass --skip-cargo to reuse target/release/durable-lsp)"
    (cd "$ROOT" && run 1800 cargo build --release --locked -p durable-lsp)
  fi
  binary=${CARGO_TARGET_DIR:-$ROOT/target}/release/durable-lsp
fi
[ -f "$binary" ] || die "no server binary at $binary (drop --skip-cargo to build it)"
if [ "$target" = linux-x64 ]; then
  version_line=$(timeout 10 "$binary" --version) || die "$binary --version failed"
  log "server: $binary ($version_line)"
fi

# 2. npm dependencies, from the lock file, into the cache.
deps=$CACHE/ext
stamp=$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -c1-16)
if ! { [ -f "$deps/.stamp" ] && [ "$(cat "$deps/.stamp")" = "$stamp" ] && [ -d "$deps/node_modules" ]; }; then
  log "npm ci into $deps"
  rm -rf "$deps"
  mkdir -p "$deps"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$deps/"
  run 900 npm ci --prefix "$deps" --no-audit --no-fund
  echo "$stamp" >"$deps/.stamp"
fi

# 3. A staging copy of the sources, with the cached node_modules beside them.
stage=$CACHE/build/$target
rm -rf "$stage"
mkdir -p "$stage/server"
cp -R "$HERE/src" "$stage/"
cp "$HERE"/{package.json,package-lock.json,tsconfig.json,eslint.config.mjs,esbuild.mjs,.vscodeignore,README.md,CHANGELOG.md,LICENSE} "$stage/"
ln -s "$deps/node_modules" "$stage/node_modules"
cd "$stage"
# The README shows the screenshots from docs/images (relative links, for
# GitHub); the marketplace page needs them absolute.
sed -i 's#](\.\./\.\./docs/images/#](https://github.com/durable-lsp/durable-lsp/raw/HEAD/docs/images/#g' README.md

# 4. Lint (ESLint with type information, then the strict type check), bundle.
log "lint"
run 300 node node_modules/eslint/bin/eslint.js --max-warnings 0 src
run 300 node node_modules/typescript/bin/tsc --noEmit -p .
log "bundle"
run 120 node esbuild.mjs --production

# 5. The server goes into server/, executable.
cp "$binary" "server/$exe"
chmod 755 "server/$exe"

# 6. vsce: the .vsix for this platform. Dependencies are bundled, so none are listed.
version=$(node -p "require('./package.json').version")
mkdir -p "$out"
vsix=$out/durable-lsp-$target-$version.vsix
rm -f "$vsix" node_modules # vsce must not walk the cache
run 300 node "$deps/node_modules/@vscode/vsce/vsce" package --target "$target" --no-dependencies \
  --baseContentUrl https://github.com/durable-lsp/durable-lsp/blob/HEAD/editors/vscode/ \
  --out "$vsix"

# 7. Check what went in.
listing=$(unzip -l "$vsix")
for f in extension/package.json extension/out/extension.js "extension/server/$exe" extension/readme.md extension/LICENSE.txt; do
  grep -q " $f\$" <<<"$listing" || die "$vsix lacks $f"
done
log "$(grep -c ' extension/' <<<"$listing") files in $vsix ($(du -h "$vsix" | cut -f1))"
echo "$vsix"
