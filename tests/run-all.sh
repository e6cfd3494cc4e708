#!/usr/bin/env bash
# Every test: the Rust suite (unit, fixtures, snapshots, properties, the
# binary over stdio), then the real editors against the release binary.
# .ci/run installs what this needs and calls it; the README names it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
cargo test --workspace --locked
cargo build --release --locked -p durable-lsp
bash tests/neovim/run.sh
# SARIF output against the OASIS SARIF 2.1.0 schema (jsonschema from PyPI).
bash tests/sarif/run.sh
if command -v emacs >/dev/null 2>&1; then
  bash tests/emacs/run.sh
else
  echo "tests/emacs: skipped (no emacs; .ci/run installs emacs-nox and elpa-eglot)"
fi
# Real VS Code (code-server + Debian chromium): installs into
# ~/.cache/durable-lsp-vscode on first use, packages the .vsix with the
# release binary built above, runs tests/vscode. Screenshots go to /tmp.
bash .ci/vscode.sh --skip-cargo
