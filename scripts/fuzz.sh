#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS_PER_TARGET seconds (default 60), each from
# its committed seeds (fuzz/seeds/<target>/) copied into a work corpus (fuzz/corpus/<target>/,
# kept between runs, git-ignored). Exits non-zero when any target found a crash, a panic, a
# timeout or an out-of-memory, naming the artifact that reproduces it:
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run <target> <artifact>
#
# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
set -euo pipefail

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
    echo "usage: $0 [SECONDS_PER_TARGET]" >&2
    exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

targets=$(cargo fuzz list)
# Built once; each target then runs its binary, so the runs fuzz exactly what was built.
cargo fuzz build >&2
host=$(rustc -vV | sed -n 's/^host: //p')
bin="$root/fuzz/target/$host/release"

# The artifacts libFuzzer wrote for a target (crash-*, leak-*, timeout-*, oom-*), one a line.
artifacts_of() {
    find "artifacts/$1" -type f ! -name '*.log' | sort
}

failed=()
for target in $targets; do
    corpus="corpus/$target"
    mkdir -p "$corpus" "artifacts/$target"
    cp -n seeds/"$target"/* "$corpus"/ 2>/dev/null || true
    before="$(artifacts_of "$target")"
    log="artifacts/$target/last-run.log"
    echo "== $target: ${seconds}s" >&2
    status=0
    # No leak checks: a catalogue that fails to load drops tantivy's index writer, whose
    # detached compressor threads LeakSanitizer reports (tantivy's, bounded, not a bug here).
    # Crashes, panics, timeouts and out-of-memory still fail the run.
    ASAN_OPTIONS="detect_odr_violation=0:${ASAN_OPTIONS:-}" "$bin/$target" "$corpus" \
        -max_total_time="$seconds" \
        -rss_limit_mb=4096 \
        -detect_leaks=0 \
        -timeout=10 \
        -print_final_stats=1 \
        -artifact_prefix="$root/fuzz/artifacts/$target/" >"$log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|Done )' "$log" >&2 || true
    new="$(comm -13 <(echo "$before") <(artifacts_of "$target"))"
    if [ "$status" -ne 0 ] || [ -n "$new" ]; then
        failed+=("$target")
        echo "!! $target failed (exit $status); log: fuzz/$log" >&2
        for artifact in $new; do
            echo "   artifact: fuzz/$artifact" >&2
            echo "   reproduce: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run $target $artifact" >&2
        done
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
echo "fuzzing clean: $targets" | tr '\n' ' ' >&2
echo >&2
