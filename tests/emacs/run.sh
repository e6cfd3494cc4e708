#!/usr/bin/env bash
# Emacs in batch mode with eglot (Debian emacs-nox + elpa-eglot) against the
# built durable-lsp. Bounded by timeout.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${DURABLE_LSP:-${CARGO_TARGET_DIR:-$repo/target}/release/durable-lsp}
[ -x "$bin" ] || { echo "tests/emacs: no durable-lsp binary at $bin"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$repo/examples/dotnet-isolated-half-switched" "$work/app"
emacs --version | head -1
HOME=$work APP=$work/app DURABLE_LSP=$bin timeout 90 emacs --batch -q -l "$repo/tests/emacs/test.el"
echo "tests/emacs: passed"
