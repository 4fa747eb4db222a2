#!/usr/bin/env bash
# API conformance: schemathesis against the served /api/openapi.json of a throwaway
# `tirkeu demo` on 127.0.0.1, once per role — anonymous, applicant (an application's access
# code), host (the demo's API key), officer, supervisor, admin (sessions from
# POST /api/v1/auth/login; supervisors and admins sign in with a recovery code the demo
# prints) — with every check schemathesis has (server errors, status codes, content types,
# response headers and schemas, positive and negative data, missing headers, unsupported
# methods, Allow headers, ignored auth, use after free, resource availability, object-level
# authorisation: all fourteen, schemathesis 4.x's default; `--checks all` is not passed
# because a check list on the command line overrides the per-operation settings of
# scripts/schemathesis.toml, where each exception is explained) and every phase (examples
# where the document has them, coverage, fuzzing, stateful links).
# One worker: with two, Hypothesis's threads sometimes fail inside CPython 3.11's ast.parse
# ("AST constructor recursion depth mismatch"), a tool error that says nothing of the API.
# Fails on any failure and prints, per role, the cases run and the failures.
#
# Usage: scripts/schemathesis.sh [MAX_EXAMPLES]   (default 50; CI runs a small number)
# Env: TIRKEU_ST_SEED (default 1; the same seed gives the same cases), TIRKEU_ST_ROLE_SECONDS
# (the bound on each role's run, default 600), TIRKEU_ST_ROLES (default all six).
#
# The per-client rate limits (creates, receipts, status lookups per client per minute) are
# raised through their environment variables for the throwaway server: schemathesis sends
# hundreds of requests a minute from one address, and with the defaults almost every answer
# after the first few would be 429 (documented, so no failure, but nothing behind it tested).
# The limiters themselves are tested in crates/tirkeu-server/tests. A metrics token is set so
# that /metrics is served on this listener (behind the token, 401 without it) as the document
# describes it; without a token the route is not there at all (404).
#
# No check is turned off for the whole API; the few per-operation exceptions are in
# scripts/schemathesis.toml, each with its reason. One operation is held back until the end of
# a role's run: POST /api/v1/auth/logout ends the very session the run authenticates with, so
# it runs last, on its own, for each role.
set -euo pipefail
cd "$(dirname "$0")/.."
max="${1:-50}"
seed="${TIRKEU_ST_SEED:-1}"
bound="${TIRKEU_ST_ROLE_SECONDS:-600}"
roles="${TIRKEU_ST_ROLES:-anonymous applicant host officer supervisor admin}"
# The `st` installed with python3's schemathesis (4.x: the configuration below is 4.x's).
st="$(python3 -c 'import os, sys; print(os.path.join(os.path.dirname(sys.executable), "st"))')"
[ -x "$st" ] || st="$(command -v st)"
"$st" --version

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build -q -p tirkeu
bin="$CARGO_TARGET_DIR/debug/tirkeu"

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    [ -n "${TIRKEU_ST_KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

TIRKEU_CREATES_PER_CLIENT_PER_MINUTE=100000 \
TIRKEU_RECEIPTS_PER_CLIENT_PER_MINUTE=100000 \
TIRKEU_STATUS_PER_CLIENT_PER_MINUTE=100000 \
TIRKEU_STATUS_PER_NUMBER_PER_MINUTE=100000 \
TIRKEU_METRICS_TOKEN="schemathesis-metrics-$RANDOM$RANDOM$RANDOM" \
    "$bin" demo --data-dir "$work/demo" --cases 50 --listen "127.0.0.1:$port" >"$work/demo.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
    curl -sf "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$work/demo.log"; echo "the demo did not start" >&2; exit 1; }
    sleep 1
done
curl -sf "$base/healthz" >/dev/null

# The committed configuration (each exception explained there), with the hooks' absolute path.
sed "s|^hooks = \"scripts/|hooks = \"$PWD/scripts/|" scripts/schemathesis.toml >"$work/schemathesis.toml"

# One credential per role, and a real application and case number for the path parameters.
python3 - "$base" "$work/demo/demo-credentials.txt" "$work" <<'EOF'
import json, re, sys, urllib.request
base, creds, work = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]

def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r:
        return json.load(r)

tokens = {}
for role in ("officer", "supervisor", "admin"):
    m = re.search(rf"^  {role}\s+(\S+)\s+password (\S+)((?:\n   .*)*)", creds, re.M)
    user, password, rest = m.group(1), m.group(2), m.group(3)
    body = {"username": user, "password": password}
    codes = re.search(r"each works once\): (.*)", rest)
    if codes:
        body["code"] = codes.group(1).split()[0]
    answer = call("POST", "/api/v1/auth/login", body)
    assert answer["scope"] == "full", answer
    tokens[role] = answer["token"]
tokens["host"] = re.search(r"API key\s+(tka_\S+)", creds).group(1)
created = call("POST", "/api/v1/applications", {
    "permit_type": "work", "language": "en",
    "applicant": {"surname": "ERIKSSON", "given_names": "ANNA MARIA", "passport_number": "C01X00T47",
                  "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F",
                  "passport_expiry": "2034-04-15"},
    "contact": {"email": "anna@example.org", "phone": "+49 30 123456"},
    "address": {"city": "Almaty", "line": "Abay 10, apt 5"},
    "arrival_date": "2026-11-01"})
tokens["applicant"] = created["access_code"]
numbers = [created["number"]]
cases = call("GET", "/api/v1/cases?limit=5", token=tokens["officer"])
numbers += [c["number"] for c in cases["items"]]
for role, token in tokens.items():
    open(f"{work}/{role}.token", "w").write(token)
# Path parameters named `number` take a real case number half of the time (the rest are
# generated), so that operations on a case get past "not found".
with open(f"{work}/schemathesis.toml", "a") as f:
    f.write("\n[dictionaries.numbers]\nvalues = %s\n\n" % json.dumps(numbers))
    f.write('[parameters]\n"path.number" = { dictionary = "numbers", probability = 0.5 }\n')
EOF

summary=""
failed=0
for role in $roles; do
    auth=()
    if [ "$role" != anonymous ]; then
        auth=(-H "Authorization: Bearer $(cat "$work/$role.token")")
    fi
    for part in main logout; do
        if [ "$part" = main ]; then
            only=(--exclude-path /api/v1/auth/logout)
        else
            only=(--include-path /api/v1/auth/logout)
        fi
        report="$work/report-$role-$part.json"
        echo "== schemathesis: $role ($part)"
        rc=0
        (cd "$work" && timeout "$bound" "$st" --config-file "$work/schemathesis.toml" run "$base/api/openapi.json" \
            "${auth[@]}" "${only[@]}" \
            --max-examples "$max" --seed "$seed" --workers 1 \
            --request-timeout 30 --no-color \
            --report json --report-json-path "$report") >"$work/$role-$part.log" 2>&1 || rc=$?
        if [ "$rc" -eq 0 ]; then
            tail -n 25 "$work/$role-$part.log"
        else
            cat "$work/$role-$part.log"
        fi
        line=$(python3 - "$report" "$rc" <<'EOF'
import json, sys
path, rc = sys.argv[1], int(sys.argv[2])
try:
    r = json.load(open(path))
except Exception as e:
    print(f"? cases, no report (exit {rc}: {e})"); sys.exit(0)
t = r["test_cases"]
errors = sum(e["count"] for e in r["errors"])
print(f'{t["generated"]} cases, {t["with_failures"]} failing ({t["unique_failures"]} unique), {errors} errors')
EOF
)
        summary+="$(printf "%-10s %-6s %s (exit %s)" "$role" "$part" "$line" "$rc")"$'\n'
        [ "$rc" -eq 0 ] || failed=1
    done
done
echo "== schemathesis summary (max-examples $max, seed $seed)"
printf '%s' "$summary"
exit "$failed"
