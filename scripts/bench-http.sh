#!/usr/bin/env bash
# The server benchmark: GET /healthz (the ceiling of the HTTP stack), POST /api/v1/status with
# valid (number, passport) pairs, and the web pages a person meets first — GET /en/ (the start
# page) and POST /en/status (the status answer page, the same pairs as a form) — in the same
# run, at 64 connections for 10 s each, on loopback. Needs wrk (Debian: apt-get install wrk) and a seeded database (SQLite or PostgreSQL):
#   export TIRKEU_LOOKUP_KEY=$(tirkeu config gen-key)
#   tirkeu seed --database sqlite:///tmp/bench/tirkeu.db --cases 1000000
#   scripts/bench-http.sh sqlite:///tmp/bench/tirkeu.db [SECONDS] [CONNECTIONS]
# With PERF_OUT=FILE it also records the server's profile under the status load.
# Then the back office, signed in as an officer added for the run, at $STAFF_CONNS connections
# (default 8, an office's worth): the queue's first page (six counts and 50 rows), a deep keyset
# page (90 % into "new submissions"), case pages (random cases; each read is audited, so each is
# also a write) and the dashboard; their server-side p99 is read from /metrics (the route's
# duration summary), beside wrk's own latency.
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:?usage: scripts/bench-http.sh DATABASE_URL [SECONDS] [CONNECTIONS]}"
secs="${2:-10}"
conns="${3:-64}"
port=18090
metrics_port=18091   # the internal metrics listener (metrics are not on the public one)
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

# The back office's deep page: the queue position 90 % into the submitted cases, as the
# page's `cursor` (hex queued_at, hex id: tirkeu_store::Cursor::encode).
cursor=$(python3 - "$url" <<'PY'
import sqlite3, subprocess, sys
url = sys.argv[1]
count = "SELECT COUNT(*) FROM applications WHERE state = 'submitted'"
def one(q):
    if url.startswith("sqlite://"):
        return sqlite3.connect(url[len("sqlite://"):]).execute(q).fetchone()
    out = subprocess.run(["psql", url, "-At", "-F", ",", "-c", q], capture_output=True, text=True, check=True).stdout
    return tuple(int(x) for x in out.strip().split(","))
n = one(count)[0]
q, i = one(f"SELECT queued_at, id FROM applications WHERE state = 'submitted' ORDER BY queued_at, id LIMIT 1 OFFSET {n * 9 // 10}")
print(f"{q:x}.{i:x}")
PY
)
staff_conns="${STAFF_CONNS:-8}"
officer="bench-$(date +%s)"
officer_password="bench-password-$RANDOM$RANDOM"
printf '%s' "$officer_password" | "$bin" user add --database "$url" --username "$officer" --role officer --password-stdin >/dev/null
cat > "$work/case.lua" <<LUA
dofile("$work/pairs.lua")
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/en/staff/cases/" .. bench_pairs[(i % #bench_pairs) + 1][1])
end
LUA

# The rate limits are raised for the benchmark: every request comes from one client.
TIRKEU_STATUS_PER_CLIENT_PER_MINUTE=1000000000 TIRKEU_STATUS_PER_NUMBER_PER_MINUTE=1000000000 \
TIRKEU_METRICS_LISTEN="127.0.0.1:$metrics_port" TIRKEU_LOG=warn \
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

token=$(curl -sf -H 'Content-Type: application/json' \
    -d "{\"username\":\"$officer\",\"password\":\"$officer_password\"}" \
    "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
cookie="Cookie: tirkeu_session=$token"
staff() { # NAME PATH [LUA]
    echo "== $1, $staff_conns connections, ${secs}s"
    wrk -t2 -c"$staff_conns" -d"${secs}s" --latency -H "$cookie" ${3:+-s "$3"} "http://127.0.0.1:$port$2" | tee "$work/$1.txt"
    grep -q "Non-2xx" "$work/$1.txt" && { echo "FAIL: $1 answered errors" >&2; exit 1; } || true
}
staff queue "/en/staff"
staff deep-page "/en/staff?queue=new&cursor=$cursor"
staff case "/en/staff/cases/x" "$work/case.lua"
staff dashboard "/en/staff/dashboard"
echo "== GET /healthz again, $staff_conns connections, ${secs}s (the staff pages' baseline)"
wrk -t2 -c"$staff_conns" -d"${secs}s" --latency "http://127.0.0.1:$port/healthz" | tee "$work/health-staff.txt"
curl -sf "http://127.0.0.1:$metrics_port/metrics" > "$work/metrics.txt"

h=$(awk '/Requests\/sec/ {print $2}' "$work/health.txt")
home=$(awk '/Requests\/sec/ {print $2}' "$work/home.txt")
page=$(awk '/Requests\/sec/ {print $2}' "$work/status-page.txt")
s=$(awk '/Requests\/sec/ {print $2}' "$work/status.txt")
p99=$(awk '$1 == "99%" {print $2}' "$work/status.txt")
python3 -c "print(f'healthz {float(\"$h\"):.0f}/s, status {float(\"$s\"):.0f}/s, ratio {float(\"$s\")/float(\"$h\"):.2f}, status p99 $p99')"
python3 -c "print(f'start page {float(\"$home\"):.0f}/s, ratio {float(\"$home\")/float(\"$h\"):.2f}; status answer page {float(\"$page\"):.0f}/s, ratio {float(\"$page\")/float(\"$h\"):.2f}')"
python3 - "$work" <<'PY'
import re, sys
work = sys.argv[1]
def rps(name):
    return float(re.search(r"Requests/sec:\s+([\d.]+)", open(f"{work}/{name}.txt").read()).group(1))
def wrk_p99(name):
    return re.search(r"^\s+99%\s+(\S+)", open(f"{work}/{name}.txt").read(), re.M).group(1)
metrics = open(f"{work}/metrics.txt").read()
def server_p99(route):
    m = re.search(r'http_request_duration_seconds\{[^}]*route="' + re.escape(route) + r'"[^}]*status="200"[^}]*quantile="0.99"\} (\S+)', metrics) \
        or re.search(r'http_request_duration_seconds\{[^}]*quantile="0.99"[^}]*route="' + re.escape(route) + r'"[^}]*\} (\S+)', metrics)
    return f"{float(m.group(1)) * 1000:.1f} ms" if m else "?"
base = rps("health-staff")
print(f"back office at the same connections: healthz {base:.0f}/s")
for name, route in [("queue", "/{lang}/staff"), ("deep-page", "/{lang}/staff"),
                    ("case", "/{lang}/staff/cases/{number}"), ("dashboard", "/{lang}/staff/dashboard")]:
    print(f"  {name}: {rps(name):.0f}/s, ratio {rps(name) / base:.3f}, wrk p99 {wrk_p99(name)}, server p99 (route, whole run) {server_p99(route)}")
PY
