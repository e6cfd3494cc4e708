#!/usr/bin/env python3
"""Generate the benchmark inputs (stdlib only; deterministic; never committed).

    python3 bench/gen_inputs.py OUTDIR            # full set (~7 MB, 1,000-app monorepo)
    python3 bench/gen_inputs.py OUTDIR --smoke    # tiny set for the test suite

Writes into OUTDIR:
  small/     a .NET isolated DTS app: host.json (~2.3 KB), local.settings.json, OrdersApp.csproj
  big/       the same app with a ~2 MB host.json (tens of thousands of logging.logLevel
             categories before the unchanged extensions.durableTask section)
  big_lower/ the same ~2 MB host.json with the levels in lower case, which the host
             accepts and SchemaStore's enum does not
  bigproj/   the same app with a ~2.3 MB Catalog.csproj (thousands of PackageReferences)
  monorepo/  1,000 small apps (host.json + local.settings.json + a csproj each): a mix of
             DTS and Azure Storage, .NET isolated and Python, some with mistakes
  shapes/    the big app again, its host.json (~2 MB each, --shape-bytes) in other shapes:
             comments, block, minified, crlf, unicode, longstring, unknownkeys, deep,
             headers, dupkeys, numbers (see shape_builders; measured by run.py --shapes)
  manifest.json  sizes, cursor positions for completion and typing, expectations for --smoke

Positions in the manifest are 0-based LSP line/character (the files are ASCII, so
UTF-8, UTF-16 and UTF-32 columns agree; the shapes' typing positions are UTF-16).
"""
import argparse
import json
import os
import random
import re
import sys

SEED = 20261127
# What the benchmark types into the large csproj, after its first <ItemGroup>.
CSPROJ_TYPING = '\n    <PackageReference Include="Contoso.Orders.Telemetry" Version="3.1.4" />'
INDENT = "  "

DTS_PACKAGE = "Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged"

# Typed one character at a time into the 2 MB host.json, just after
# `"durableTask": {`: new members the file does not have yet, so every
# intermediate state is what an editor really sends (half a key, a missing
# comma, ...). Only the first N characters are used.
TYPED_MEMBERS = [
    ('defaultVersion', '"1.0"'),
    ('versionMatchStrategy', '"CurrentOrOlder"'),
    ('versionFailureStrategy', '"Reject"'),
    ('maxConcurrentEntityFunctions', '20'),
    ('maxEntityOperationBatchSize', '50'),
    ('maxOrchestrationActions', '100000'),
    ('storeInputsInOrchestrationHistory', 'false'),
    ('useGracefulShutdown', 'true'),
]


def typed_text(indent):
    return "".join("\n%s\"%s\": %s," % (indent, k, v) for k, v in TYPED_MEMBERS)


def host_json(log_levels=None, hub="%TASKHUB_NAME%", provider="azureManaged", extra_logging=True):
    """A realistic DTS host.json (~2.3 KB with the default arguments)."""
    log_level = {
        "default": "Information",
        "Host.Results": "Error",
        "Host.Aggregator": "Trace",
        "Function": "Information",
        "Function.OrderOrchestrator": "Information",
        "Function.OrderOrchestrator.User": "Information",
        "Function.ReserveInventory": "Warning",
        "Function.ChargePayment": "Warning",
        "Function.ShipOrder": "Warning",
        "DurableTask.Core": "Warning",
        "DurableTask.AzureManagedBackend": "Information",
        "Microsoft.DurableTask": "Information",
        "Microsoft.Azure.WebJobs.Extensions.DurableTask": "Information",
        "Azure.Core": "Error",
        "Grpc": "Warning",
    }
    if log_levels:
        log_level.update(log_levels)
    storage = {"type": provider}
    if provider == "azureManaged":
        storage["connectionStringName"] = "DTS_CONNECTION_STRING"
    else:
        storage.update({"partitionCount": 4, "maxQueuePollingInterval": "00:00:30"})
    doc = {
        "version": "2.0",
        "functionTimeout": "00:10:00",
        "logging": {
            "logLevel": log_level,
            "applicationInsights": {
                "samplingSettings": {
                    "isEnabled": True,
                    "maxTelemetryItemsPerSecond": 20,
                    "excludedTypes": "Request;Exception",
                },
                "enableLiveMetricsFilters": True,
                "enableDependencyTracking": True,
            },
        },
        "extensions": {
            "http": {
                "routePrefix": "api",
                "maxOutstandingRequests": 200,
                "maxConcurrentRequests": 100,
                "dynamicThrottlesEnabled": True,
            },
            "durableTask": {
                "hubName": hub,
                "storageProvider": storage,
                "tracing": {
                    "traceInputsAndOutputs": False,
                    "traceReplayEvents": False,
                    "distributedTracingEnabled": True,
                    "version": "V2",
                },
                "maxConcurrentActivityFunctions": 10,
                "maxConcurrentOrchestratorFunctions": 5,
            },
        },
        "aggregator": {"batchSize": 1000, "flushTimeout": "00:00:30"},
        "retry": {
            "strategy": "exponentialBackoff",
            "maxRetryCount": 5,
            "minimumInterval": "00:00:02",
            "maximumInterval": "00:15:00",
        },
        "healthMonitor": {
            "enabled": True,
            "healthCheckInterval": "00:00:10",
            "healthCheckWindow": "00:02:00",
            "healthCheckThreshold": 6,
            "counterThreshold": 0.8,
        },
        "singleton": {
            "lockPeriod": "00:00:15",
            "listenerLockPeriod": "00:01:00",
            "listenerLockRecoveryPollingInterval": "00:01:00",
            "lockAcquisitionTimeout": "00:01:00",
            "lockAcquisitionPollingInterval": "00:00:03",
        },
    }
    if not extra_logging:
        del doc["retry"], doc["singleton"], doc["healthMonitor"], doc["aggregator"]
    return json.dumps(doc, indent=INDENT) + "\n"


def local_settings(runtime="dotnet-isolated", dts=True, conn=None, hub_setting=True, encrypted_key=True):
    values = {
        "AzureWebJobsStorage": "UseDevelopmentStorage=true",
        "FUNCTIONS_WORKER_RUNTIME": runtime,
    }
    if dts:
        values["DTS_CONNECTION_STRING"] = conn or "Endpoint=http://localhost:8080;Authentication=None"
    if hub_setting:
        values["TASKHUB_NAME"] = "default"
    doc = {"Values": values}
    if encrypted_key:
        doc = {"IsEncrypted": False, "Values": values}
    return json.dumps(doc, indent=INDENT) + "\n"


def csproj(name, dts=True, durable_version="1.4.0", extra_refs=()):
    refs = [
        ("Microsoft.Azure.Functions.Worker", "2.0.0"),
        ("Microsoft.Azure.Functions.Worker.Sdk", "2.0.0"),
        ("Microsoft.Azure.Functions.Worker.Extensions.DurableTask", durable_version),
        ("Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore", "2.0.1"),
    ]
    if dts:
        refs.append((DTS_PACKAGE, "1.12.0"))
    refs.extend(extra_refs)
    items = "\n".join('    <PackageReference Include="%s" Version="%s" />' % r for r in refs)
    return """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <AzureFunctionsVersion>v4</AzureFunctionsVersion>
    <OutputType>Exe</OutputType>
    <RootNamespace>%s</RootNamespace>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <FrameworkReference Include="Microsoft.AspNetCore.App" />
%s
  </ItemGroup>
  <ItemGroup>
    <None Update="host.json">
      <CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>
    </None>
    <None Update="local.settings.json">
      <CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>
      <CopyToPublishDirectory>Never</CopyToPublishDirectory>
    </None>
  </ItemGroup>
</Project>
""" % (name, items)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="\n") as f:
        f.write(text)
    return len(text.encode())


def positions(text):
    """Cursor positions used by the benchmark, all inside extensions.durableTask."""
    dt = text.index('"durableTask": {')
    hub_line, hub_col = find(text, '"hubName"', dt)
    dt_line, dt_col = find(text, '"durableTask": {', dt)
    open_brace_col = dt_col + len('"durableTask": {')
    indent = " " * (hub_col)
    return {
        # Just after the opening quote of "hubName": property-name completion.
        "completion": [hub_line, hub_col + 1],
        # End of the `"durableTask": {` line: where the typing starts.
        "typing_start": [dt_line, open_brace_col],
        "typing_text": typed_text(indent),
    }


def gen_big_log_levels(target_bytes, rng):
    areas = ["Orders", "Billing", "Inventory", "Shipping", "Catalog", "Customers", "Payments", "Returns",
             "Search", "Notifications", "Pricing", "Loyalty", "Fraud", "Reports", "Warehouse", "Tax"]
    kinds = ["Orchestrator", "Activity", "Entity", "Client", "Trigger", "Http", "Timer", "Queue"]
    levels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"]
    out, size, i = {}, 0, 0
    while size < target_bytes:
        name = "Function.%s.%s%05d.User" % (areas[i % len(areas)], kinds[(i // 16) % len(kinds)], i)
        level = levels[rng.randrange(len(levels))]
        out[name] = level
        size += len(name) + len(level) + 14  # quotes, colon, comma, newline, 6-space indent
        i += 1
    return out


def gen_big_csproj(name, target_bytes):
    extra, i = [], 0
    size = len(csproj(name))
    vendors = ["Contoso", "Fabrikam", "Northwind", "AdventureWorks", "Tailspin", "Woodgrove", "Litware"]
    while size < target_bytes:
        ref = ("%s.Catalog.Module%05d.Abstractions" % (vendors[i % len(vendors)], i),
               "%d.%d.%d" % (1 + i % 9, (i // 9) % 20, i % 31))
        extra.append(ref)
        size += len('    <PackageReference Include="" Version="" />\n') + len(ref[0]) + len(ref[1])
        i += 1
    return csproj(name, extra_refs=extra), len(extra)


# --------------------------------------------------------------------------- shapes

# Typed into each shape just before `"maxConcurrentActivityFunctions"`: an
# unknown key first (did-you-mean), then a known one.
SHAPE_TYPING = '"x": 1, "maxConcurrentOrchestratorFunctions": 3, "extendedSessionsEnabled": false, '
SHAPE_TYPING_AT = '"maxConcurrentActivityFunctions"'
# The deep shape: many arrays nested DEEP_DEPTH levels (inside the root object
# and the "deep" array, under the parser's limit of 128), and one nested
# DEEP_PAST_LIMIT levels, which the parser reports once and skips.
DEEP_DEPTH = 100
DEEP_PAST_LIMIT = 5000


def _fresh():
    return json.loads(host_json())


def _dump(doc):
    return json.dumps(doc, indent=INDENT, ensure_ascii=False) + "\n"


def _commented(text, comment):
    """`text` with comment(entry) on the line before (or in front of) each
    generated logLevel category."""
    out = []
    for line in text.split("\n"):
        entry = line.strip()
        if entry.startswith('"Function.'):
            indent = line[:len(line) - len(line.lstrip())]
            line = comment(indent, entry)
        out.append(line)
    return "\n".join(out)


def shape_builders(pool):
    """(name, what, build) for each shape; build(n) returns the host.json text
    with n repetitions of what the shape repeats. `pool` is a list of
    (category, level) pairs, at least as many as any shape needs."""
    def levels(n, rename=lambda k: k):
        doc = _fresh()
        doc["logging"]["logLevel"].update((rename(k), v) for k, v in pool[:n])
        return doc

    def edited(change):
        """A builder: the default host.json after change(extensions, n)."""
        def build(n):
            doc = _fresh()
            change(doc["extensions"], n)
            return _dump(doc)
        return build

    def deep(n):
        nests = ["[" * DEEP_PAST_LIMIT + "]" * DEEP_PAST_LIMIT] + ["[" * DEEP_DEPTH + "]" * DEEP_DEPTH] * n
        return host_json().replace('"aggregator"', '"deep": [\n    %s\n  ],\n  "aggregator"'
                                   % ",\n    ".join(nests), 1)

    def dupkeys(n):
        body = ",\n".join('      "hubName": "h%d"' % i for i in range(n))
        return host_json().replace('"hubName": "%TASKHUB_NAME%"', body.strip(), 1)

    return [
        ("comments", "a `//` comment line before each logLevel category",
         lambda n: _commented(_dump(levels(n)), lambda ind, e: "%s// %s\n%s%s" % (ind, e[:40], ind, e))),
        ("block", "a `/* */` comment before each logLevel category",
         lambda n: _commented(_dump(levels(n)), lambda ind, e: "%s/* %s */ %s" % (ind, e[:30], e))),
        ("minified", "the logLevel categories, all on one line",
         lambda n: json.dumps(levels(n), separators=(",", ":"))),
        ("crlf", "the logLevel categories, CRLF line ends",
         lambda n: _dump(levels(n)).replace("\n", "\r\n")),
        ("unicode", "non-ASCII logLevel categories (`Üser😀`)",
         lambda n: _dump(levels(n, lambda k: k.replace("User", "Üser😀")))),
        ("longstring", "one long hubName",
         edited(lambda ext, n: ext["durableTask"].update(hubName="x" * n))),
        ("unknownkeys", "unknown keys inside extensions.durableTask",
         edited(lambda ext, n: ext["durableTask"].update(("unknownSetting%05d" % i, i) for i in range(n)))),
        ("deep", "arrays nested %d deep, and one %d deep (past the parser's limit)" % (DEEP_DEPTH, DEEP_PAST_LIMIT),
         deep),
        ("headers", "entries in extensions.http.customHeaders",
         edited(lambda ext, n: ext["http"].update(customHeaders={"X-H%06d" % i: "v" * 10 for i in range(n)}))),
        ("dupkeys", "hubName repeated inside extensions.durableTask", dupkeys),
        ("numbers", "one array of numbers inside extensions.durableTask",
         edited(lambda ext, n: ext["durableTask"].update(numbers=list(range(n))))),
    ]


def sized(build, target, k=100):
    """(text, n): build(n) for the n whose text is about `target` bytes. The
    size grows about linearly with n: two small samples, then one correction
    from the real size."""
    a, b = len(build(k).encode()), len(build(2 * k).encode())
    per = max(1.0, (b - a) / k)
    n = max(1, round(k + (target - a) / per))
    text = build(n)
    got = len(text.encode())
    if n > k and abs(got - target) > target / 100:
        n = max(1, round(n + (target - got) / max(1.0, (got - a) / (n - k))))
        text = build(n)
    return text, n


def position16(text, i):
    """0-based [line, UTF-16 character] of index i into text (LSP's default
    encoding; lines end at \\r\\n, \\n or a lone \\r, as LSP says)."""
    line, start = 0, 0
    for brk in re.finditer(r"\r\n|\n|\r", text[:i]):
        line, start = line + 1, brk.end()
    return [line, len(text[start:i].encode("utf-16-le")) // 2]


def find(text, needle, after=0):
    """0-based [line, UTF-16 character] of the first `needle` at or after index `after`."""
    return position16(text, text.index(needle, after))


def gen_shapes(out, target, seed=SEED):
    """The big app (host.json, local.settings.json, csproj) once per shape in
    out/shapes/NAME/, each host.json about `target` bytes. Returns the manifest
    entries, by name, in order."""
    rng = random.Random(seed)
    pool = list(gen_big_log_levels(2 * target, rng).items())
    shapes = {}
    for name, what, build in shape_builders(pool):
        text, n = sized(build, target)
        dir_ = "shapes/" + name
        shapes[name] = {"dir": dir_, "host_json": dir_ + "/host.json", "what": what, "repeats": n,
                        "bytes": write(os.path.join(out, dir_, "host.json"), text),
                        "typing_start": find(text, SHAPE_TYPING_AT), "typing_text": SHAPE_TYPING}
        write(os.path.join(out, dir_, "local.settings.json"), local_settings())
        write(os.path.join(out, dir_, "OrdersApp.csproj"), csproj("OrdersApp"))
    return shapes


# --------------------------------------------------------------------------- monorepo

# The mistakes planted in the monorepo, each with the code our checker reports.
MISTAKES = [
    "missing_dts_package",      # H007 + P002: azureManaged without the AzureManaged package
    "old_durable_package",      # P003: Worker.Extensions.DurableTask below 1.2.2
    "type_case",                # H005: "Type" instead of "type"
    "missing_connection",       # H014: connection setting absent from local.settings.json
    "bad_endpoint",             # L012: Endpoint is not a URL (port out of range)
    "hub_without_percent",      # H022: hubName looks like a setting name
    "trailing_comma",           # H002: JSONC in host.json
    "no_is_encrypted",          # L002: IsEncrypted missing
    "unknown_provider",         # H004: typo in storageProvider.type
    "extended_sessions",        # H016: extended sessions with DTS
]


def gen_app(root, index, rng, smoke=False):
    name = "App%04d" % index
    dir_ = os.path.join(root, "app-%04d" % index)
    dts = rng.random() < 0.5
    python = rng.random() < 0.2
    mistake = MISTAKES[rng.randrange(len(MISTAKES))] if rng.random() < 0.15 else None
    if not dts and mistake in ("missing_dts_package", "missing_connection", "bad_endpoint", "extended_sessions",
                               "type_case", "unknown_provider"):
        dts = True
    if mistake in ("missing_dts_package", "old_durable_package"):
        python = False
    hub = "%TASKHUB_NAME%" if dts else "%s%d" % ("Hub", index)
    if mistake == "hub_without_percent":
        hub = "TASKHUB_NAME"
    provider = "azureManaged" if dts else "AzureStorage"
    if mistake == "unknown_provider":
        provider = "azureManged"
    log_levels = {"Function.%s.Orchestrator" % name: "Information"}
    text = host_json(log_levels=log_levels, hub=hub, provider=provider, extra_logging=rng.random() < 0.3)
    doc = json.loads(text)
    dt = doc["extensions"]["durableTask"]
    if mistake == "type_case":
        sp = dt["storageProvider"]
        sp["Type"] = sp.pop("type")
    if mistake == "extended_sessions":
        dt["extendedSessionsEnabled"] = True
    if python:
        doc["extensionBundle"] = {"id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.*, 5.0.0)"}
        del doc["extensions"]["http"]
    text = json.dumps(doc, indent=INDENT) + "\n"
    if mistake == "trailing_comma":
        text = text.replace('"Information"\n', '"Information",\n', 1)
    n = write(os.path.join(dir_, "host.json"), text)
    conn = "Endpoint=http://localhost:80800;Authentication=None" if mistake == "bad_endpoint" else None
    n += write(os.path.join(dir_, "local.settings.json"),
               local_settings(runtime="python" if python else "dotnet-isolated",
                              dts=dts and mistake != "missing_connection", conn=conn,
                              hub_setting=dts, encrypted_key=mistake != "no_is_encrypted"))
    if python:
        n += write(os.path.join(dir_, "function_app.py"),
                   "import azure.functions as func\nimport azure.durable_functions as df\n\n"
                   "app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)\n")
        n += write(os.path.join(dir_, "requirements.txt"), "azure-functions\nazure-functions-durable\n")
    else:
        n += write(os.path.join(dir_, name + ".csproj"),
                   csproj(name, dts=dts and mistake != "missing_dts_package",
                          durable_version="1.1.0" if mistake == "old_durable_package" else "1.4.0"))
    return n, mistake


def generate(out, smoke=False, shape_bytes=None, seed=SEED):
    rng = random.Random(seed)
    out = os.path.abspath(out)
    manifest = {"version": 1, "smoke": smoke, "root": out, "seed": seed}

    small = host_json()
    manifest["small"] = {
        "dir": "small", "host_json": "small/host.json",
        "bytes": write(os.path.join(out, "small", "host.json"), small),
        **positions(small)}
    write(os.path.join(out, "small", "local.settings.json"), local_settings())
    write(os.path.join(out, "small", "OrdersApp.csproj"), csproj("OrdersApp"))

    big_target = 20_000 if smoke else 2_000_000
    big = host_json(log_levels=gen_big_log_levels(big_target - len(small), rng))
    manifest["big"] = {
        "dir": "big", "host_json": "big/host.json",
        "bytes": write(os.path.join(out, "big", "host.json"), big),
        "log_levels": len(json.loads(big)["logging"]["logLevel"]),
        **positions(big)}
    write(os.path.join(out, "big", "local.settings.json"), local_settings())
    write(os.path.join(out, "big", "OrdersApp.csproj"), csproj("OrdersApp"))

    # The same 2 MB with the levels written in lower case ("warning"): the
    # host reads log levels ignoring case, SchemaStore's enum does not, so a
    # schema-driven tool reports every one of them (issue 9's 4.48 s is of
    # this order; the first shape shows the other end).
    lower = {k: v.lower() for k, v in json.loads(big)["logging"]["logLevel"].items()}
    lower["default"] = "Information"
    big_lower = host_json(log_levels=lower)
    manifest["big_lower"] = {
        "dir": "big_lower", "host_json": "big_lower/host.json",
        "bytes": write(os.path.join(out, "big_lower", "host.json"), big_lower),
        **positions(big_lower)}
    write(os.path.join(out, "big_lower", "local.settings.json"), local_settings())
    write(os.path.join(out, "big_lower", "OrdersApp.csproj"), csproj("OrdersApp"))

    proj_text, refs = gen_big_csproj("Catalog", 23_000 if smoke else 2_300_000)
    manifest["bigproj"] = {
        "dir": "bigproj", "csproj": "bigproj/Catalog.csproj",
        "bytes": write(os.path.join(out, "bigproj", "Catalog.csproj"), proj_text),
        "package_references": refs + 5}
    # Typing a new PackageReference just after the first `<ItemGroup>`.
    line, col = find(proj_text, "<ItemGroup>")
    manifest["bigproj"].update({
        "typing_start": [line, col + len("<ItemGroup>")],
        "typing_text": CSPROJ_TYPING})
    write(os.path.join(out, "bigproj", "host.json"), small)
    write(os.path.join(out, "bigproj", "local.settings.json"), local_settings())

    # An app with one known mistake, for --smoke's correctness checks: the
    # project lacks the AzureManaged package that host.json selects.
    write(os.path.join(out, "broken", "host.json"), small)
    write(os.path.join(out, "broken", "local.settings.json"), local_settings())
    write(os.path.join(out, "broken", "OrdersApp.csproj"), csproj("OrdersApp", dts=False))
    manifest["broken"] = {"dir": "broken", "host_json": "broken/host.json", "expect_code": "H007",
                          **positions(small)}

    apps = 5 if smoke else 1000
    total, mistakes = 0, {}
    for i in range(1, apps + 1):
        n, m = gen_app(os.path.join(out, "monorepo"), i, rng, smoke)
        total += n
        if m:
            mistakes[m] = mistakes.get(m, 0) + 1
    manifest["monorepo"] = {"dir": "monorepo", "apps": apps, "bytes": total,
                            "apps_with_a_mistake": sum(mistakes.values()), "mistakes": mistakes}
    manifest["shapes"] = gen_shapes(out, shape_bytes or (20_000 if smoke else 2_000_000), seed)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output folder (created; files in it are overwritten)")
    ap.add_argument("--smoke", action="store_true", help="tiny inputs (for the test suite)")
    ap.add_argument("--seed", type=int, default=SEED,
                    help="another seed gives another set of the same kind (log levels, which monorepo apps are "
                         "DTS, Python or wrong, and how): held-out inputs (default %(default)s)")
    ap.add_argument("--shape-bytes", type=int,
                    help="size of each host.json in shapes/ (default 2,000,000; 20,000 with --smoke)")
    a = ap.parse_args()
    m = generate(a.out, a.smoke, a.shape_bytes, a.seed)
    for k in ("small", "big", "big_lower", "bigproj"):
        print("%-8s %9d bytes" % (k, m[k]["bytes"]), file=sys.stderr)
    print("monorepo %9d bytes in %d apps (%d with a planted mistake)"
          % (m["monorepo"]["bytes"], m["monorepo"]["apps"], m["monorepo"]["apps_with_a_mistake"]), file=sys.stderr)
    print("shapes   %9d bytes in %d host.json files (%s)"
          % (sum(s["bytes"] for s in m["shapes"].values()), len(m["shapes"]), ", ".join(m["shapes"])),
          file=sys.stderr)


if __name__ == "__main__":
    main()
