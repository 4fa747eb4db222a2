#!/usr/bin/env bash
# Kills a writer process with SIGKILL KILLS times at random moments and checks that every
# acknowledged submission survived and the audit chain verifies.
# Usage: scripts/crash-test.sh [KILLS]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
export TIRKEU_CRASH_KILLS="${1:-200}"
log=$(mktemp)
if cargo test -p tirkeu --test crash -- --nocapture --test-threads=1 >"$log" 2>&1; then
    grep -E "acknowledged|ignored" "$log"
else
    cat "$log"
    echo "crash test FAILED" >&2
    exit 1
fi
