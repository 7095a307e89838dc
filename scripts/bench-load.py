#!/usr/bin/env python3
"""The load benchmark of issue 12 (see BENCHMARKS.md), run by scripts/bench-load.sh against a
served release build: imports the network benchmark's CSV files, then 200 concurrent clients for
BENCH_SECONDS (120) — each request kind an `oha` run of its own, all at once — read the document,
paragraph, compilation, directory and profile pages and the map's data, and post comments and
amendments. Prints one Markdown row per request kind: requests, errors, p50 and p99.

    scripts/bench-load.py BASE_URL CSV_DIR SERVER_PID
"""
import json
import os
import subprocess
import sys
import urllib.request

base, csv_dir, pid = sys.argv[1], sys.argv[2], sys.argv[3]
seconds = int(os.environ.get("BENCH_SECONDS", "120"))
slug = "benchmark-2026"


def call(method, path, cookie=None, body=None, content_type="application/json"):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("content-type", content_type)
    if cookie:
        req.add_header("cookie", cookie)
        req.add_header("origin", base)
    with urllib.request.urlopen(req, timeout=600) as r:
        return r.headers, json.loads(r.read() or b"null")


def login(email, password):
    headers, _ = call("POST", "/api/v1/session", body={"email": email, "password": password})
    return headers["set-cookie"].split(";")[0]


def rss_mib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(("VmRSS", "VmHWM")):
            yield line.split()[0].rstrip(":"), int(line.split()[1]) // 1024


admin = login("load-admin@example.org", "load-benchmark-password")
for table in ("actors", "relations"):
    with open(os.path.join(csv_dir, f"{table}.csv"), "rb") as f:
        _, report = call("POST", f"/api/v1/{table}/import", admin, f.read(), "text/csv")
    print(f"imported {report['imported']} {table} ({len(report['errors'])} refused)", file=sys.stderr)

member = login("bench-member-0@example.org", "mutirao-demo")
_, me = call("GET", "/api/v1/me", member)
_, docs = call("GET", "/api/v1/documents", member)
doc = next(d for d in docs["items"] if d["slug"] == slug)
_, full = call("GET", f"/api/v1/documents/{doc['id']}", member)
paragraph = full["themes"][1]["paragraphs"][0]["id"]
_, actors = call("GET", "/api/v1/actors?per_page=1&q=cooperative", member)
actor = actors["items"][0]["id"]

json_headers = ["-H", f"origin: {base}", "-T", "application/json", "-m", "POST"]
kinds = [
    ("document page", 35, [], f"/recommendations/{slug}"),
    ("paragraph page", 30, [], f"/recommendations/{slug}/p/{paragraph}"),
    ("compilation page", 15, [], f"/recommendations/{slug}/compilation"),
    ("directory page", 30, [], "/network?q=coop"),
    ("profile page", 30, [], f"/network/actors/{actor}"),
    ("map data (whole network, JSON)", 10, [], "/api/v1/network"),
    ("post a comment", 25, json_headers + ["-d", json.dumps({"target": "paragraph", "target_id": paragraph, "body": "A comment under load."})],
     f"/api/v1/documents/{doc['id']}/comments"),
    ("propose an amendment", 25, json_headers + ["-d", json.dumps({"paragraph_id": paragraph, "kind": "replace", "text": "A text proposed under load.",
                                                                   "rationale": "Load.", "actor_id": me["actors"][0]["id"]})],
     f"/api/v1/documents/{doc['id']}/amendments"),
]
assert sum(k[1] for k in kinds) == 200
runs = []
for name, clients, extra, path in kinds:
    # -w: a request still in flight when the time is up is waited for and counted, not reported
    # as an error ("aborted due to deadline").
    cmd = ["oha", "--no-tui", "--output-format", "json", "-z", f"{seconds}s", "-w", "-c", str(clients), "-H", f"cookie: {member}"]
    runs.append((name, clients, subprocess.Popen(cmd + extra + [base + path], stdout=subprocess.PIPE)))

print(f"| Request kind | Clients | Requests | Errors | Requests/s | p50 | p99 |")
print(f"|---|---:|---:|---:|---:|---:|---:|")
total_errors = 0
for name, clients, p in runs:
    out = json.loads(p.communicate()[0])
    codes = {int(k): v for k, v in out.get("statusCodeDistribution", {}).items()}
    failed = sum(v for k, v in codes.items() if k >= 400) + sum(out.get("errorDistribution", {}).values())
    total_errors += failed
    ok = sum(codes.values())
    pct = out["latencyPercentiles"]
    print(f"| {name} | {clients} | {ok} | {failed} | {out['summary']['requestsPerSec']:.1f} | "
          f"{pct['p50'] * 1000:.0f} ms | {pct['p99'] * 1000:.0f} ms |")
    if failed:
        print(f"  {name}: {codes} {out.get('errorDistribution')}", file=sys.stderr)
print(f"\nserver memory after the run: {dict(rss_mib())} MiB; errors: {total_errors}")
