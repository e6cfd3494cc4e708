#!/usr/bin/env python3
"""The benchmark's floor: a "language server" that does no work.

It reads every message whole, as any server must, and answers at once
without looking at a document: `initialize` with pull diagnostics,
`textDocument/diagnostic` with an empty full report, any other request with
null. `run.py` times its open → diagnostics on the 2 MB host.json: what the
client, the pipe and reading 2 MB cost before any server decodes or
analyses anything, so the best peer/ours ratio any server could reach on
this machine is the peer's time divided by this one.

Stdlib only. Only the first bytes of a message are looked at: run.py writes
`id` and `method` first, and a server that scanned the whole 2 MB body would
be measuring its own work.
"""
import json
import sys

HEAD = 200  # bytes of a message that hold run.py's "id" and "method"


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        length = None
        while True:
            line = stdin.readline()
            if not line:
                return 0
            if line in (b"\r\n", b"\n"):
                break
            key, _, value = line.partition(b":")
            if key.strip().lower() == b"content-length":
                length = int(value)
        if length is None:
            return 1
        body = stdin.read(length)
        if len(body) < length:
            return 0
        head = body[:HEAD]
        if b'"id":' not in head or b'"method":' not in head:  # a notification, or an answer to us
            if b'"method": "exit"' in head:
                return 0
            continue
        rid = json.JSONDecoder().raw_decode(head.split(b'"id":', 1)[1].decode().lstrip())[0]
        if b'"method": "textDocument/diagnostic"' in head:
            result = {"kind": "full", "items": []}
        elif b'"method": "initialize"' in head:
            result = {"capabilities": {"textDocumentSync": 2, "diagnosticProvider": {
                "interFileDependencies": False, "workspaceDiagnostics": False}},
                "serverInfo": {"name": "floor"}}
        else:
            result = None
        out = json.dumps({"jsonrpc": "2.0", "id": rid, "result": result}).encode()
        stdout.write(b"Content-Length: %d\r\n\r\n%s" % (len(out), out))
        stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
