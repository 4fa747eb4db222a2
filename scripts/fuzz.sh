#!/usr/bin/env bash
# Parser fuzzing (cargo-fuzz / libFuzzer) of every target in fuzz/, one after another.
#
#   scripts/fuzz.sh [seconds per target] [target…]
#
# Default: 180 seconds per target, all targets (wall time; the CPU minutes each run got are
# printed, measured with /usr/bin/time). One fuzzer at a time with -jobs=1 (fuzzing is
# CPU-bound; this machine kind has 2 cores). Hangs (-timeout, seconds per input) and memory
# (-rss_limit_mb, -malloc_limit_mb) count as crashes. New inputs go to a work corpus under
# the target directory; the committed seeds in fuzz/corpus/<target>/ are only read. A crash
# leaves its input in fuzz/artifacts/<target>/: fix it, copy the input into
# fuzz/corpus/<target>/ so that `cargo test -p tirkeu-server --test fuzz_corpus` replays it,
# and add a regression test.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); runs on stable with RUSTC_BOOTSTRAP=1
# (libFuzzer and the sanitizer need nightly features).
set -euo pipefail

cd "$(dirname "$0")/../fuzz"
seconds="${1:-180}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(mrz case_number policy csv_import upload_sniff image_decode pdf_screen)
fi

if ! command -v cargo-fuzz > /dev/null; then
    echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
    exit 1
fi
# The workspace's own (stable) compiler, allowed the nightly features libFuzzer and the
# sanitizer need: no nightly toolchain to install, and the code fuzzed is the code built.
export RUSTC_BOOTSTRAP=1
target_dir="${CARGO_TARGET_DIR:-$PWD/target}/fuzz"
work="$target_dir/work-corpus"
log="$target_dir/fuzz-log"
mkdir -p "$work" "$log"

cargo fuzz build --target-dir "$target_dir" --codegen-units 4

status=0
for t in "${targets[@]}"; do
    mkdir -p "$work/$t"
    echo "== $t: ${seconds}s"
    start=$(date +%s)
    if /usr/bin/time -f "%U %S" -o "$log/$t.cpu" \
        cargo fuzz run --target-dir "$target_dir" --codegen-units 4 "$t" \
        "$work/$t" "corpus/$t" -- \
        -jobs=1 -workers=1 -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
        > "$log/$t.log" 2>&1; then
        result="no crash"
    else
        result="CRASH (see $log/$t.log and fuzz/artifacts/$t/)"
        status=1
    fi
    end=$(date +%s)
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log/$t.log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log/$t.log" | tail -1)
    cpu=$(awk '{printf "%.1f", ($1 + $2) / 60}' "$log/$t.cpu" 2> /dev/null || echo "?")
    echo "   $t: $((end - start)) s wall, $cpu CPU-min, ${execs:-?} inputs, ${cov:-cov: ?}, corpus $(ls "$work/$t" | wc -l) files: $result"
done
exit $status
