#!/usr/bin/env bash
# fuzz/smoke.sh: a seconds-long run of each libFuzzer target, for CI.
#
#   FUZZ_BIN=DIR fuzz/smoke.sh [SECONDS-PER-TARGET]      (default 10)
#
# FUZZ_BIN is the directory holding the built targets fuzz_strace_parse,
# fuzz_json, fuzz_fsusage_parse, fuzz_record_parse, fuzz_shmring and fuzz_replay (the
# whole program on a file; its seeds are corpus/replay plus the record,
# strace and fs_usage seeds) (default: this
# script's directory, an in-tree
# `./configure CC=clang --enable-fuzzing && make`).  Each target first
# replays its regression inputs (fuzz/regress/TARGET/), then fuzzes for
# SECONDS from a scratch copy of its seed corpus (fuzz/corpus/TARGET/ is
# never modified).  Exits non-zero on any crash, sanitizer report, leak or
# timeout; the crashing input is left in $FUZZ_OUT (default: a temporary
# directory, kept on failure) and its path printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${FUZZ_BIN:-$here}
secs=${1:-${FUZZ_SECONDS:-10}}
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

out=${FUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/iopstop-fuzz-smoke.XXXXXX")}
mkdir -p "$out"
failed=0

# target NAME CORPUS-SUBDIR [MORE-SEED-SUBDIRS...] [-- EXTRA-FLAGS...]
run_target() {
    local name=$1 sub=$2
    shift 2
    local seeds=() flags=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do seeds+=("$here/corpus/$1"); shift; done
    [ $# -eq 0 ] || { shift; flags=("$@"); }
    local exe=$bin/$name
    if [ ! -x "$exe" ]; then
        echo "smoke.sh: $exe not found: ./configure CC=clang --enable-fuzzing && make" >&2
        return 1
    fi
    local regress=$here/regress/$sub corpus=$out/corpus-$sub
    mkdir -p "$corpus"
    local inputs=()
    if [ -d "$regress" ]; then
        while IFS= read -r f; do inputs+=("$f"); done < <(find "$regress" -type f | sort)
    fi
    if [ ${#inputs[@]} -gt 0 ] &&
       ! "$exe" ${flags[@]+"${flags[@]}"} -artifact_prefix="$out/$name-" "${inputs[@]}" >"$out/$name-regress.log" 2>&1; then
        tail -n 40 "$out/$name-regress.log" >&2
        echo "smoke.sh: $name: a regression input crashes again (log: $out/$name-regress.log)" >&2
        return 1
    fi
    # One job, one worker: the machine is shared.
    if ! "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
           ${flags[@]+"${flags[@]}"} -print_final_stats=1 -artifact_prefix="$out/$name-" \
           "$corpus" "$here/corpus/$sub" ${seeds[@]+"${seeds[@]}"} >"$out/$name.log" 2>&1; then
        tail -n 60 "$out/$name.log" >&2
        echo "smoke.sh: $name: crash; input and log in $out" >&2
        ls "$out"/"$name"-crash-* "$out"/"$name"-leak-* "$out"/"$name"-timeout-* 2>/dev/null >&2 || true
        return 1
    fi
    local runs rate
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$name.log")
    echo "smoke.sh: $name: ok, ${runs:-?} runs in ${secs}s (${rate:-?}/s), ${#inputs[@]} regression inputs" >&2
}

run_target fuzz_strace_parse strace || failed=1
run_target fuzz_json json || failed=1
run_target fuzz_fsusage_parse fsusage || failed=1
run_target fuzz_record_parse record || failed=1
# The whole program per input: slower (~100-300 exec/s), iopstop's own
# warnings silenced (-close_fd_mask=2 keeps libFuzzer's and ASan's output).
run_target fuzz_replay replay record strace fsusage -- -max_len=4096 -close_fd_mask=2 || failed=1
run_target fuzz_shmring shmring || failed=1

if [ "$failed" -eq 0 ] && [ -z "${FUZZ_OUT:-}" ]; then
    rm -rf "$out"
fi
exit "$failed"
