#!/usr/bin/env python3
# Usage: python3 scripts/bench-import-memory.py target/release/mutirao [ROWS]: starts the server on a
# fresh on-disk database with the demo data, posts a 63 MB actors CSV as a dry run (and, given
# ROWS, imports that many of its rows), and prints the server's resident memory (BENCHMARKS.md).

import json, os, subprocess, sys, threading, time, urllib.request, http.cookiejar, shutil
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(sys.argv[1]); PORT = 3997; BASE = f"http://127.0.0.1:{PORT}"
d = os.path.join(ROOT, "target/bench-import-memory/db"); shutil.rmtree(d, ignore_errors=True)
p = subprocess.Popen([BIN, "--addr", f"127.0.0.1:{PORT}", "--db", f"surrealkv://{d}", "--demo"], env={**os.environ, "RUST_LOG": "warn"}, cwd=ROOT)
def mem():
    kv = dict(l.split(":", 1) for l in open(f"/proc/{p.pid}/status"))
    return int(kv["VmRSS"].split()[0]) // 1024, int(kv["VmHWM"].split()[0]) // 1024
for _ in range(300):
    try:
        urllib.request.urlopen(BASE + "/healthz"); break
    except Exception: time.sleep(0.5)
def req(method, path, body=None, headers={}):
    r = urllib.request.Request(BASE + path, data=body, method=method, headers=headers)
    with urllib.request.urlopen(r, timeout=3600) as resp:
        return resp.status, resp.headers, resp.read()
_, h, _ = req("POST", "/api/v1/session", json.dumps({"email": "admin@example.org", "password": "mutirao-demo"}).encode(), {"content-type": "application/json", "origin": BASE})
cookie = h["set-cookie"].split(";")[0]
_, _, b = req("POST", "/api/v1/tokens", json.dumps({"name": "import"}).encode(), {"content-type": "application/json", "origin": BASE, "cookie": cookie})
token = json.loads(b)["token"]
rows = []; i = 0; size = 0
header = "name,kind,state,municipality,products,tags,description\n"
while size < 63 * 1024 * 1024:
    line = f"Cooperativa de produtores orgânicos número {i},cooperative,RS,Porto Alegre,\"alface;tomate;feijão\",organico;teste,Uma cooperativa de agricultores familiares que produz hortaliças orgânicas certificadas {i}\n"
    rows.append(line); size += len(line.encode()); i += 1
csv = (header + "".join(rows)).encode()
print(f"{len(csv)/1e6:.1f} MB, {i} rows; before: resident/peak MiB {mem()}", flush=True)
peak = [0]; done = [False]
def watch():
    while not done[0]:
        peak[0] = max(peak[0], mem()[0]); time.sleep(0.05)
threading.Thread(target=watch, daemon=True).start()
t = time.time()
st, _, b = req("POST", "/api/v1/actors/import?dry_run=true", csv, {"content-type": "text/csv", "authorization": f"Bearer {token}"})
r = json.loads(b)
print(f"dry run: {st} in {time.time()-t:.1f} s, errors {len(r.get('errors', []))}; peak resident {peak[0]} MiB; now {mem()}", flush=True)
if len(sys.argv) > 2:
    n = int(sys.argv[2]); part = (header + "".join(rows[:n])).encode(); peak[0] = 0; t = time.time()
    st, _, b = req("POST", "/api/v1/actors/import", part, {"content-type": "text/csv", "authorization": f"Bearer {token}"})
    print(f"import of {n} rows ({len(part)/1e6:.1f} MB): {st} in {time.time()-t:.1f} s, {json.loads(b).get('imported')} imported; peak resident {peak[0]} MiB; now {mem()}", flush=True)
done[0] = True; p.terminate(); p.wait()
