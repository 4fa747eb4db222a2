#!/usr/bin/env bash
# The server benchmark: GET /healthz (the ceiling of the HTTP stack), POST /api/v1/status with
# valid (number, passport) pairs, and the web pages a person meets first — GET /en/ (the start
# page) and POST /en/status (the status answer page, the same pairs as a form), and the back
# office's workqueue (first page and a keyset page half-way) and case page — in the same run,
# at 64 connections for 10 s each, on loopback. Needs wrk (Debian: apt-get install wrk) and a
# seeded database (SQLite or PostgreSQL):
#   export TIRKEU_LOOKUP_KEY=$(tirkeu config gen-key)
#   tirkeu seed --database sqlite:///tmp/bench/tirkeu.db --cases 1000000
#   scripts/bench-http.sh sqlite:///tmp/bench/tirkeu.db [SECONDS] [CONNECTIONS]
# With PERF_OUT=FILE it also records the server's profile under the status load.
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:?usage: scripts/bench-http.sh DATABASE_URL [SECONDS] [CONNECTIONS]}"
secs="${2:-10}"
conns="${3:-64}"
port=18090
work=$(mktemp -d)
bin="${TIRKEU_BIN:-target/release/tirkeu}"   # TIRKEU_BIN=… to compare two builds
[ -x "$bin" ] || cargo build --release -p tirkeu

# 20,000 valid pairs from the database, as a Lua table for wrk.
python3 - "$url" "$work/pairs.lua" <<'PY'
import sqlite3, subprocess, sys
url, q = sys.argv[1], "SELECT number, passport_number FROM applications ORDER BY random() LIMIT 20000"
if url.startswith("sqlite://"):
    rows = sqlite3.connect(url[len("sqlite://"):]).execute(q).fetchall()
else:
    out = subprocess.run(["psql", url, "-At", "-F", ",", "-c", q], capture_output=True, text=True, check=True).stdout
    rows = [tuple(l.split(",", 1)) for l in out.splitlines() if l]
with open(sys.argv[2], "w") as f:
    f.write("bench_pairs = {\n")
    for n, p in rows:
        f.write('{"%s","%s"},\n' % (n, p))
    f.write("}\n")
PY
cat > "$work/status.lua" <<LUA
dofile("$work/pairs.lua")
local i = 0
request = function()
  i = i + 1
  local p = bench_pairs[(i % #bench_pairs) + 1]
  local body = '{"number":"' .. p[1] .. '","passport_number":"' .. p[2] .. '"}'
  return wrk.format("POST", "/api/v1/status", {["Content-Type"] = "application/json"}, body)
end
response = function(status, headers, body)
  if status ~= 200 then errors_seen = (errors_seen or 0) + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
LUA
# The status answer page: the same pairs, posted as the page's form.
sed -e 's|local body = .*|local body = "number=" .. p[1] .. "\&passport_number=" .. p[2]|' \
    -e 's|wrk.format("POST", "/api/v1/status", {\["Content-Type"\] = "application/json"}, body)|wrk.format("POST", "/en/status", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)|' \
    "$work/status.lua" > "$work/status-page.lua"

# The back office: an officer for the benchmark (added once; "already taken" afterwards), a
# keyset cursor half-way through the submitted cases (a deep page of "New submissions"), and a
# case in review (its page writes a case.read audit entry per request, as in real use).
printf '%s\n' 'bench officer password' | "$bin" user add --database "$url" --username bench-officer \
    --role officer --password-stdin >/dev/null 2>&1 || true
read -r deep case_number < <(python3 - "$url" <<'PY'
import sqlite3, subprocess, sys
url = sys.argv[1]
queries = [
    "SELECT queued_at, id FROM applications WHERE state = 'submitted' ORDER BY queued_at, id "
    "LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM applications WHERE state = 'submitted')",
    "SELECT number, 0 FROM applications WHERE state = 'in_review' LIMIT 1",
]
def run(q):
    if url.startswith("sqlite://"):
        return sqlite3.connect(url[len("sqlite://"):]).execute(q).fetchone()
    out = subprocess.run(["psql", url, "-At", "-F", ",", "-c", q], capture_output=True, text=True, check=True).stdout
    return tuple(out.strip().split(","))
(q, i), (n, _) = run(queries[0]), run(queries[1])
print(f"{int(q):x}.{int(i):x} {n}")
PY
)

# The rate limits are raised for the benchmark: every request comes from one client.
TIRKEU_STATUS_PER_CLIENT_PER_MINUTE=1000000000 TIRKEU_STATUS_PER_NUMBER_PER_MINUTE=1000000000 \
TIRKEU_LOG=warn \
    "$bin" serve --database "$url" --listen "127.0.0.1:$port" --data-dir "$work/data" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/server.log"; exit 1; }

echo "== GET /healthz, $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/healthz" | tee "$work/health.txt"
echo "== POST /api/v1/status (valid pairs), $conns connections, ${secs}s"
# PERF_OUT=FILE records a CPU profile of the server through the status run (perf record -g).
if [ -n "${PERF_OUT:-}" ]; then
    # Attached a second in, once the database driver's threads exist (-p follows only those).
    (sleep 1; perf record -F 999 -g -p "$server" -o "$PERF_OUT" -- sleep $((secs > 2 ? secs - 2 : 1)) >/dev/null 2>&1) &
fi
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/status.lua" "http://127.0.0.1:$port/api/v1/status" | tee "$work/status.txt"

echo "== GET /en/ (start page), $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/en/" | tee "$work/home.txt"
echo "== POST /en/status (status answer page, valid pairs), $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$work/status-page.lua" "http://127.0.0.1:$port/en/status" | tee "$work/status-page.txt"
cookie=$(curl -s -o /dev/null -D - --data-urlencode username=bench-officer \
    --data-urlencode 'password=bench officer password' \
    "http://127.0.0.1:$port/en/sign-in" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(tirkeu_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "the benchmark officer could not sign in"; exit 1; }
echo "== GET /en/staff (workqueue, first page), $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port/en/staff?queue=new" | tee "$work/queue.txt"
echo "== GET /en/staff (workqueue, a keyset page half-way), $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port/en/staff?queue=new&cursor=$deep" | tee "$work/queue-deep.txt"
echo "== GET /en/staff/cases/… (case page, audited), $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port/en/staff/cases/$case_number" | tee "$work/case.txt"

h=$(awk '/Requests\/sec/ {print $2}' "$work/health.txt")
home=$(awk '/Requests\/sec/ {print $2}' "$work/home.txt")
page=$(awk '/Requests\/sec/ {print $2}' "$work/status-page.txt")
s=$(awk '/Requests\/sec/ {print $2}' "$work/status.txt")
p99=$(awk '$1 == "99%" {print $2}' "$work/status.txt")
python3 -c "print(f'healthz {float(\"$h\"):.0f}/s, status {float(\"$s\"):.0f}/s, ratio {float(\"$s\")/float(\"$h\"):.2f}, status p99 $p99')"
for f in queue queue-deep case; do
    r=$(awk '/Requests\/sec/ {print $2}' "$work/$f.txt")
    python3 -c "print(f'$f {float(\"$r\"):.0f}/s, ratio {float(\"$r\")/float(\"$h\"):.2f}')"
done
python3 -c "print(f'start page {float(\"$home\"):.0f}/s, ratio {float(\"$home\")/float(\"$h\"):.2f}; status answer page {float(\"$page\"):.0f}/s, ratio {float(\"$page\")/float(\"$h\"):.2f}')"
