#!/usr/bin/env bash
# Issue 12's read-path figures on a seeded database, in one run (BENCHMARKS.md, "Scale"):
#   - the status lookup cold (right after the caches were emptied, as after a restart), then
#     warm (the database read once beforehand; said so in the output);
#   - POST /api/v1/status beside GET /healthz at 16 and at 64 connections: rate, p50, p99 and
#     the lookup's p99 over /healthz's (CPU queueing shows in both, the lookup's own cost only
#     in the difference);
#   - on PostgreSQL, `pgbench -S` (select-only by primary key, pgbench's own tables at scale
#     10) and the same select on `applications` by id, each with the same number of clients;
#   - the officer queue's first page at 8 connections (its p99, for the 1M/10M comparison).
# Needs wrk, and pgbench (postgresql-contrib) for PostgreSQL. Usage:
#   export TIRKEU_LOOKUP_KEY=…   # the key the database was seeded with
#   scripts/bench-scale.sh sqlite:///tmp/s1m/tirkeu.db [SECONDS]
#   scripts/bench-scale.sh postgres://postgres@127.0.0.1:5432/tirkeu_1m [SECONDS]
# TIRKEU_BIN chooses the binary (default target/release/tirkeu). PostgreSQL runs on this
# machine, sharing its cores with the server and wrk; the cold run restarts it.
set -euo pipefail
cd "$(dirname "$0")/.."
url="${1:?usage: scripts/bench-scale.sh DATABASE_URL [SECONDS]}"
secs="${2:-10}"
port=18190
metrics_port=18191
work=$(mktemp -d)
bin="${TIRKEU_BIN:-target/release/tirkeu}"
[ -x "$bin" ] || cargo build --release -p tirkeu
: "${TIRKEU_LOOKUP_KEY:?set TIRKEU_LOOKUP_KEY to the key the database was seeded with}"

sql() { # QUERY → rows as "a,b"
    python3 - "$url" "$1" <<'PY'
import sqlite3, subprocess, sys
url, q = sys.argv[1], sys.argv[2]
if url.startswith("sqlite://"):
    for r in sqlite3.connect(url[len("sqlite://"):]).execute(q):
        print(",".join(str(x) for x in r))
else:
    print(subprocess.run(["psql", url, "-At", "-F", ",", "-c", q], capture_output=True, text=True, check=True).stdout, end="")
PY
}

cases=$(sql "SELECT COUNT(*) FROM applications")
echo "== $url: $cases cases"
sql "SELECT number, passport_number FROM applications ORDER BY random() LIMIT 20000" \
    | awk -F, 'BEGIN {print "bench_pairs = {"} {printf "{\"%s\",\"%s\"},\n", $1, $2} END {print "}"}' > "$work/pairs.lua"
cat > "$work/status.lua" <<LUA
dofile("$work/pairs.lua")
local i = 0
request = function()
  i = i + 1
  local p = bench_pairs[(i % #bench_pairs) + 1]
  return wrk.format("POST", "/api/v1/status", {["Content-Type"] = "application/json"},
    '{"number":"' .. p[1] .. '","passport_number":"' .. p[2] .. '"}')
end
LUA

# Empties the caches that hold the database: the OS page cache for its files (fadvise
# DONTNEED, no root needed for files we can open) and, on PostgreSQL, its shared buffers (a
# restart).
evict() {
    if [[ "$url" == sqlite://* ]]; then
        files=("${url#sqlite://}"*)
    else
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main restart
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
        dir=$(psql "$url" -At -c "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database WHERE datname = current_database()")
        mapfile -t files < <(find "$dir" -type f)
    fi
    python3 - "${files[@]}" <<'PY'
import os, sys
for f in sys.argv[1:]:
    try:
        fd = os.open(f, os.O_RDONLY)
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
    except OSError:
        pass
PY
}

# Reads the database once, so that the warm runs meet it in memory.
warm() {
    if [[ "$url" == sqlite://* ]]; then
        cat "${url#sqlite://}"* > /dev/null
    else
        psql "$url" -qAt -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" \
            -c "SELECT SUM(pg_prewarm(c.oid)) FROM pg_class c WHERE c.relname IN ('applications', 'applications_number_key') OR c.relname LIKE 'applications_%'" > /dev/null
    fi
}

# The worker is off: a freshly seeded database holds years of timers that fall due at once
# (drafts to expire, answers overdue, cards expiring), and a worker inside the server would
# spend the runs working through that backlog, ten times longer at 10M than at 1M, taking CPU
# from the requests measured. A live system's worker keeps up with its timers as they fall due.
start_server() {
    TIRKEU_WORKER_ENABLED=false \
    TIRKEU_STATUS_PER_CLIENT_PER_MINUTE=1000000000 TIRKEU_STATUS_PER_NUMBER_PER_MINUTE=1000000000 \
    TIRKEU_METRICS_LISTEN="127.0.0.1:$metrics_port" TIRKEU_LOG=warn \
        "$bin" serve --database "$url" --listen "127.0.0.1:$port" --data-dir "$work/data" > "$work/server.log" 2>&1 &
    server=$!
    # A cold start opens the file, checks migrations and refreshes statistics: give it time.
    for _ in $(seq 1 900); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.2; done
    cat "$work/server.log"; exit 1
}
trap 'kill ${server:-0} 2>/dev/null; rm -rf "$work"' EXIT

run() { # NAME CONNS URL [LUA] → $work/NAME.txt
    wrk -t2 -c"$2" -d"${secs}s" --latency ${4:+-s "$4"} "$3" > "$work/$1.txt"
    if grep -q "Non-2xx" "$work/$1.txt"; then cat "$work/$1.txt"; echo "FAIL: $1 answered errors" >&2; exit 1; fi
}

echo "== cold: caches emptied, server started, status lookups at 16 connections"
evict
start_server
run status-cold 16 "http://127.0.0.1:$port/api/v1/status" "$work/status.lua"

echo "== warm: the database read once beforehand"
warm
for c in 16 64; do
    run "health-$c" "$c" "http://127.0.0.1:$port/healthz"
    run "status-$c" "$c" "http://127.0.0.1:$port/api/v1/status" "$work/status.lua"
done

if [[ "$url" == postgres* ]]; then
    pgb=$(psql "$url" -At -c "SELECT 1 FROM pg_database WHERE datname = 'tirkeu_pgbench'")
    base="${url%/*}"
    if [ "$pgb" != 1 ]; then
        psql "$base/postgres" -qc "CREATE DATABASE tirkeu_pgbench"
        pgbench -q -i -s 10 "$base/tirkeu_pgbench" > /dev/null 2>&1
    fi
    max_id=$(sql "SELECT MAX(id) FROM applications")
    printf '\\set id random(1, %s)\nSELECT state, updated_at, language, passport_lookup FROM applications WHERE id = :id;\n' "$max_id" > "$work/by-id.sql"
    psql "$base/tirkeu_pgbench" -qAt -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" -c "SELECT pg_prewarm('pgbench_accounts'), pg_prewarm('pgbench_accounts_pkey')" > /dev/null
    for c in 16 64; do
        pgbench -n -S -c "$c" -j 2 -T "$secs" "$base/tirkeu_pgbench" > "$work/pgbench-$c.txt" 2>&1
        pgbench -n -f "$work/by-id.sql" -c "$c" -j 2 -T "$secs" "$url" > "$work/pgbench-apps-$c.txt" 2>&1
    done
fi

# The officer queue's first page, signed in as an officer added for the run.
officer="bench-$(date +%s)"
password="bench-password-$RANDOM$RANDOM"
printf '%s' "$password" | "$bin" user add --database "$url" --username "$officer" --role officer --office almaty --password-stdin > /dev/null
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"$officer\",\"password\":\"$password\"}" \
    "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
wrk -t2 -c8 -d"${secs}s" --latency -H "Cookie: tirkeu_session=$token" "http://127.0.0.1:$port/en/staff" > "$work/queue.txt"
run health-8 8 "http://127.0.0.1:$port/healthz"

python3 - "$work" "$url" "$cases" <<'PY'
import os, re, sys
work, url, cases = sys.argv[1], sys.argv[2], int(sys.argv[3])
def text(n): return open(f"{work}/{n}.txt").read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]
def wrk(n):
    t = text(n)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    p = {q: ms(re.search(rf"^\s+{q}%\s+(\S+)", t, re.M).group(1)) for q in ("50", "99")}
    return rate, p["50"], p["99"]
def tps(n):
    return float(re.search(r"tps = ([\d.]+)", text(n)).group(1))
print(f"\n{url}: {cases:,} cases, {os.cpu_count()} cores shared by server, load generator and database")
r, p50, p99 = wrk("status-cold")
print(f"status, cold, 16 conns: {r:,.0f}/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms")
for c in (16, 64):
    hr, hp50, hp99 = wrk(f"health-{c}")
    sr, sp50, sp99 = wrk(f"status-{c}")
    line = (f"{c} conns: healthz {hr:,.0f}/s p99 {hp99:.1f} ms; status {sr:,.0f}/s p50 {sp50:.1f} ms "
            f"p99 {sp99:.1f} ms; status/healthz rate {sr / hr:.2f}, p99 {sp99 / hp99:.2f}x")
    if os.path.exists(f"{work}/pgbench-{c}.txt"):
        s, a = tps(f"pgbench-{c}"), tps(f"pgbench-apps-{c}")
        line += f"; pgbench -S {s:,.0f} tps, by id on applications {a:,.0f} tps; status/pgbench-S {sr / s:.2f}"
    print(line)
qr, qp50, qp99 = wrk("queue")
hr, _, hp99 = wrk("health-8")
print(f"queue first page, 8 conns: {qr:,.0f}/s p50 {qp50:.1f} ms p99 {qp99:.1f} ms (healthz at 8: {hr:,.0f}/s p99 {hp99:.1f} ms)")
PY
