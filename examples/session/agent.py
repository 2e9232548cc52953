#!/usr/bin/env python3
"""An agent-style client of a Crucible session: upload a file, run commands that build on each
other, read a file the sandbox wrote, end the session. Standard library only.

    CRUCIBLE_URL=https://127.0.0.1:8443 CRUCIBLE_KEY=... CRUCIBLE_CACERT=.crucible/tls/cert.pem ./agent.py

Exits non-zero, saying why, when any step does not do what it should.
"""
import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("CRUCIBLE_URL", "https://127.0.0.1:8443").rstrip("/")
KEY = os.environ["CRUCIBLE_KEY"]
TLS = ssl.create_default_context(cafile=os.environ.get("CRUCIBLE_CACERT"))


def call(method, path, body=None, raw=False):
    data = body if raw or body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method, headers={"Authorization": "Bearer " + KEY})
    if data is not None:
        request.add_header("Content-Type", "application/octet-stream" if raw else "application/json")
    try:
        with urllib.request.urlopen(request, context=TLS, timeout=60) as answer:
            content = answer.read()
            return content if answer.headers.get_content_type() == "application/octet-stream" else json.loads(content)
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}")


def run(session, *argv, stdin=""):
    command = call("POST", f"/v1/sessions/{session}/commands?wait=true", {"argv": list(argv), "stdin": stdin})
    if command["status"] != "finished":
        sys.exit(f"command {argv} did not finish: {command}")
    return command


def main():
    session = call("POST", "/v1/sessions", {"runtime": "python", "idle_timeout_s": 60, "max_lifetime_s": 300})
    sid = session["id"]
    try:
        if session["status"] != "ready":
            sys.exit(f"session {sid} is {session['status']}, not ready")
        call("PUT", f"/v1/sessions/{sid}/files/" + urllib.parse.quote("data/numbers.txt", safe=""), b"3\n1\n2\n", raw=True)
        sorted_run = run(sid, "sh", "-c", "sort -n data/numbers.txt > data/sorted.txt && wc -l < data/sorted.txt")
        if sorted_run["stdout"].strip() != "3":
            sys.exit(f"sort saw {sorted_run['stdout']!r} lines")
        total = run(sid, "python3", "-c", "import sys; print(sum(int(l) for l in open('data/sorted.txt')))")
        sorted_file = call("GET", f"/v1/sessions/{sid}/files/" + urllib.parse.quote("data/sorted.txt", safe=""))
        listing = call("GET", f"/v1/sessions/{sid}/files?dir=data")
        names = sorted(entry["path"] for entry in listing["entries"])
        if sorted_file != b"1\n2\n3\n" or total["stdout"] != "6\n" or names != ["data/numbers.txt", "data/sorted.txt"]:
            sys.exit(f"unexpected: file {sorted_file!r}, total {total['stdout']!r}, listing {names}")
        print(f"session {sid}: sorted {names[0]}, total {total['stdout'].strip()} in {total['wall_time_ms']} ms")
    finally:
        ended = call("DELETE", f"/v1/sessions/{sid}")
        print(f"session {sid} {ended['status']} ({ended.get('ended_reason')})")


if __name__ == "__main__":
    main()
