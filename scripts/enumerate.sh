#!/usr/bin/env bash
# The enumeration check at full size: N random well-formed application numbers (default
# 100,000) against the status lookup through the trusted-proxy setting, from many IPv4 and IPv6
# client addresses, against seeded real cases (crates/tirkeu-server/tests/enumeration.rs; the
# same test runs with 5,000 numbers in `cargo test --workspace`). On SQLite, and on PostgreSQL
# too when TIRKEU_TEST_POSTGRES_URL is set. Prints one summary line per backend:
#   enumeration (sqlite): N numbers from A addresses, hits 0, limited L, …, median X µs vs Y µs
# Usage: scripts/enumerate.sh [N]   (the test profile, as `cargo test` builds it)
set -euo pipefail
cd "$(dirname "$0")/.."
export TIRKEU_ENUMERATION_NUMBERS="${1:-100000}"
filter=random_numbers_find_nothing_and_not_found_says_nothing
[ -n "${TIRKEU_TEST_POSTGRES_URL:-}" ] || filter="$filter::sqlite"
log=$(mktemp)
if cargo test -p tirkeu-server --test enumeration -- --nocapture --test-threads=1 "$filter" >"$log" 2>&1; then
    # (the test's name and its output share a line)
    grep -oE "enumeration: .*|^  [0-9]+ IPv4 .*" "$log"
else
    cat "$log"
    echo "enumeration check FAILED" >&2
    exit 1
fi
