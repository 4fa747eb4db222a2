#!/usr/bin/env bash
# Crash over HTTP: the real `tirkeu serve`, 8 concurrent applicants creating, uploading and
# submitting, SIGKILLed KILLS times at random moments and restarted on the same database; every
# acknowledged submission must survive with its documents, audit entries and queued receipt.
# Runs on SQLite, and on PostgreSQL when TIRKEU_TEST_POSTGRES_URL is set.
# Usage: scripts/crash-http.sh [KILLS]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
export TIRKEU_CRASH_HTTP_KILLS="${1:-200}"
log=$(mktemp)
if cargo test -p tirkeu --test crash_http -- --nocapture --test-threads=1 >"$log" 2>&1; then
    grep -E "crash over HTTP|ignored" "$log"
else
    cat "$log"
    echo "crash over HTTP FAILED" >&2
    exit 1
fi
