#!/usr/bin/env bash
# The soak: `tirkeu serve` (release build) under a steady mixed load for MINUTES (default 30) on
# 127.0.0.1 — status lookups (found and not), /healthz, applications created with their
# documents uploaded and submitted, officer queue pages and case reads (scripts/soak-load.py has
# the mix and its rate) — from 20,000 client addresses through the trusted-proxy setting. The
# server's resident memory (VmRSS) is sampled every 10 s into rss.csv.
#
#   scripts/soak.sh [MINUTES] [DATABASE_URL]     # SQLite in a temporary directory by default
#
# It fails if any request failed (a 5xx, a connection error or timeout, an answer the mix does
# not expect) or if memory grew after the warm-up (the first fifth of the run, at least 2
# minutes; a third of a run under 10 minutes) by more than SOAK_MAX_GROWTH_MIB (default 16 MiB): the median of the last minute
# against the median of the minute at the end of the warm-up. The slope (least squares over the
# samples after warm-up) is printed beside it. A bounded leak of a few bytes per request
# (~140 requests/s) crosses 16 MiB within the half hour.
#
# Knobs: SOAK_RATE (mix multiplier, default 1), SOAK_CASES (cases seeded first, default 20000),
# SOAK_OUT (keep rss.csv, summary.json and server.log there), TIRKEU_BIN (the binary).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-30}"
url="${2:-}"
rate="${SOAK_RATE:-1}"
cases="${SOAK_CASES:-20000}"
max_growth_mib="${SOAK_MAX_GROWTH_MIB:-16}"
port="${SOAK_PORT:-18190}"
work=$(mktemp -d)
out="${SOAK_OUT:-$work/out}"
mkdir -p "$out"
bin="${TIRKEU_BIN:-${CARGO_TARGET_DIR:-target}/release/tirkeu}"
[ -x "$bin" ] || cargo build --release -p tirkeu
[ -n "$url" ] || url="sqlite://$work/soak.db"

export TIRKEU_LOOKUP_KEY="${TIRKEU_LOOKUP_KEY:-$("$bin" config gen-key)}"
echo "== seeding $cases cases"
"$bin" seed --database "$url" --cases "$cases"
officer="soak-$(date +%s)"
officer_password="soak-password-$RANDOM$RANDOM"
printf '%s' "$officer_password" | "$bin" user add --database "$url" --username "$officer" \
    --role officer --office almaty --password-stdin >/dev/null

# 20,000 (number, passport) pairs of real cases for the lookups.
python3 - "$url" "$work/pairs.csv" <<'PY'
import sqlite3, subprocess, sys
url, q = sys.argv[1], "SELECT number, passport_number FROM applications ORDER BY random() LIMIT 20000"
if url.startswith("sqlite://"):
    rows = sqlite3.connect(url[len("sqlite://"):]).execute(q).fetchall()
else:
    out = subprocess.run(["psql", url, "-At", "-F", ",", "-c", q], capture_output=True, text=True, check=True).stdout
    rows = [tuple(l.split(",", 1)) for l in out.splitlines() if l]
with open(sys.argv[2], "w") as f:
    for n, p in rows:
        f.write(f"{n},{p}\n")
PY

echo "== tirkeu serve on 127.0.0.1:$port ($(echo "$url" | sed -E 's|//[^@/]*@|//…@|'))"
TIRKEU_TRUSTED_PROXIES=127.0.0.1 TIRKEU_LOG=warn \
    "$bin" serve --database "$url" --listen "127.0.0.1:$port" --data-dir "$work/data" \
    > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work/data" "$work/soak.db"*' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$out/server.log"; exit 1; }
token=$(curl -sf -H 'Content-Type: application/json' \
    -d "{\"username\":\"$officer\",\"password\":\"$officer_password\"}" \
    "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

echo "== load for $minutes min (rate x$rate), RSS every 10 s into $out/rss.csv"
python3 scripts/soak-load.py --port "$port" --pid "$server" --seconds "$((minutes * 60))" \
    --rate "$rate" --pairs "$work/pairs.csv" --token "$token" --out "$out" > /dev/null
kill -0 "$server" 2>/dev/null || { echo "FAIL: the server died" >&2; tail -50 "$out/server.log" >&2; exit 1; }
kill "$server"
wait "$server" || true

python3 - "$out" "$minutes" "$max_growth_mib" <<'PY'
import csv, json, statistics, sys
out, minutes, bound = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
s = json.load(open(f"{out}/summary.json"))
rows = [(float(r["seconds"]), int(r["rss_kib"]) / 1024) for r in csv.DictReader(open(f"{out}/rss.csv"))]
run = minutes * 60
warm = max(120.0, run / 5) if run >= 600 else run / 3  # a short trial run: its first third
def median_around(t0, t1):
    v = [m for t, m in rows if t0 <= t <= t1]
    return statistics.median(v) if v else float("nan")
start = rows[0][1]
after_warm = median_around(warm - 30, warm + 30)
end_t = rows[-1][0]
end = median_around(end_t - 60, end_t)
peak = max(m for _, m in rows)
post = [(t, m) for t, m in rows if t >= warm]
if len(post) >= 2:
    mt = statistics.mean(t for t, _ in post); mm = statistics.mean(m for _, m in post)
    slope = sum((t - mt) * (m - mm) for t, m in post) / sum((t - mt) ** 2 for t, _ in post) * 3600
else:
    slope = float("nan")
errors = sum(s["errors"].values())
rps = s["requests"] / s["seconds"]
print(f"soak: {minutes:g} min, {s['requests']} requests ({rps:.0f}/s: {', '.join(f'{k} {v}' for k, v in sorted(s['by_op'].items()))}), "
      f"errors {errors} ({', '.join(f'{k} {v}' for k, v in s['errors'].items())}), 429s {s['limited']}, skipped {s['skipped']}")
print(f"soak: RSS start {start:.1f} MiB, after warm-up ({warm / 60:.1f} min) {after_warm:.1f} MiB, end {end:.1f} MiB, "
      f"peak {peak:.1f} MiB, growth after warm-up {end - after_warm:+.1f} MiB (bound {bound:g}), slope {slope:+.2f} MiB/h")
for e in s["examples"]:
    print("  ", e)
failed = False
if errors > 0:
    print("FAIL: requests failed", file=sys.stderr); failed = True
if s["skipped"] > s["requests"] / 100:
    print("FAIL: the load fell behind its schedule (more than 1 % skipped)", file=sys.stderr); failed = True
if end - after_warm > bound:
    print(f"FAIL: memory grew by {end - after_warm:.1f} MiB after warm-up (bound {bound:g} MiB)", file=sys.stderr); failed = True
sys.exit(1 if failed else 0)
PY
if grep -qi "panicked" "$out/server.log"; then
    echo "FAIL: the server panicked" >&2
    grep -i -m5 "panicked" "$out/server.log" >&2
    exit 1
fi
