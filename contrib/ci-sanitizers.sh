#!/usr/bin/env bash
# ci-sanitizers.sh: the sanitizer part of CI.
#
#   contrib/ci-sanitizers.sh [asan] [tsan] [valgrind] [fuzz]   (default: all)
#
#   asan  build with --enable-sanitizers (ASan+UBSan) and run `make check`
#         (the whole automake TESTS suite) with leak detection on.
#   tsan  build with --enable-tsan and run the threaded tests: `make check`
#         with TESTS=$TSAN_TESTS (default: the whole suite, since every
#         iopstop run starts the sampler thread), then iopstop itself with
#         its sampler thread: `iopstop --json -- tests/workload DIR` and
#         `iopstop -b -d 0.05 --json -- tests/workload DIR`, checked for
#         the workload's exit status 42 and valid JSON.
#   valgrind  a plain build; iopstop --json -- tests/workload DIR under
#         valgrind memcheck (iopstop only, not strace or the workload):
#         any error or definite leak fails.  Skipped without valgrind.
#   fuzz  when clang is available: build with CC=clang --enable-fuzzing and
#         run fuzz/smoke.sh (a few seconds per target, fuzz_replay -- the
#         whole program on a file -- among them).  Skipped without clang.
#
# Each configuration is built out of tree in its own directory under
# $CI_SAN_DIR (default: a fresh temporary directory, removed at the end
# unless KEEP=1), from a pristine copy of the sources, so it works whether
# or not this tree is already configured in place.
#
# Two things sanitizers and ptrace need (verified with strace 6.1, gcc 12):
# - LeakSanitizer refuses to run in a ptraced process ("LeakSanitizer does
#   not work under ptrace") and exits 1 at exit.  The traced test programs
#   (tests/workload, contrib/iopstop-demo) are therefore rebuilt without sanitizers in the asan
#   build: iopstop and the unit tests keep ASan+UBSan+LSan, the program
#   iopstop traces is only a fixture.
# - ThreadSanitizer works in a traced process, so in the tsan build the
#   workload keeps TSan too.
#
# Environment: JOBS (parallel make jobs, default 2), CI_SAN_DIR, KEEP,
# TSAN_TESTS, FUZZ_SECONDS (per target, for fuzz/smoke.sh, default 10).
# Exits non-zero when any step fails.
set -euo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
JOBS=${JOBS:-2}
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(asan tsan valgrind fuzz)

say() { printf '\n==== ci-sanitizers: %s ====\n' "$*" >&2; }
die() { printf 'ci-sanitizers.sh: %s\n' "$*" >&2; exit 1; }

if [ -n "${CI_SAN_DIR:-}" ]; then
    work=$CI_SAN_DIR
    mkdir -p "$work"
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-ci-san.XXXXXX")
    [ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
fi

# ASan/UBSan/LSan: fail hard and loud on the first report.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
# libproc2 keeps per-thread 128 KiB read buffers it never frees.
export LSAN_OPTIONS="suppressions=$srcdir/contrib/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"

# A pristine copy of the sources (tracked and untracked-but-not-ignored
# files of a git checkout; otherwise the directory, cleaned), bootstrapped.
src=$work/src
prepare_sources() {
    rm -rf "$src"
    mkdir -p "$src"
    if git -C "$srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (cd "$srcdir" && git ls-files -z -co --exclude-standard |
             tar --null -T - -cf -) | tar -C "$src" -xf -
    else
        cp -a "$srcdir/." "$src/"
        if [ -f "$src/Makefile" ]; then
            (cd "$src" && make distclean >/dev/null 2>&1) || true
        fi
    fi
    if [ ! -x "$src/configure" ] || [ -f "$src/configure.ac" -a "$src/configure.ac" -nt "$src/configure" ]; then
        (cd "$src" && autoreconf -fi)
    fi
}

# configure_build NAME CONFIGURE-ARGS...: a fresh out-of-tree build.
configure_build() {
    local name=$1
    shift
    local b=$work/$name
    rm -rf "$b"
    mkdir -p "$b"
    (cd "$b" && "$src/configure" "$@" >configure.out) ||
        { cat "$b/config.log" >&2 || true; die "$name: configure $* failed"; }
    make -C "$b" -j"$JOBS" >/dev/null || make -C "$b" -j1
}

# Print the logs of failed tests of build dir $1 (automake parallel harness).
show_failures() {
    local trs
    find "$1" -name '*.trs' | while IFS= read -r trs; do
        if grep -Eq '^:test-result: (FAIL|ERROR|XPASS)' "$trs"; then
            printf '\n----- %s -----\n' "${trs%.trs}.log" >&2
            tail -n 80 "${trs%.trs}.log" >&2 || true
        fi
    done
    [ ! -f "$1/test-suite.log" ] || tail -n 40 "$1/test-suite.log" >&2
}

# run_check BUILD [MAKE-ARGS...]: make check, logs of failures on error.
run_check() {
    local b=$1
    shift
    if ! make -C "$b" -j"$JOBS" check "$@"; then
        show_failures "$b"
        die "make check failed in $b"
    fi
}

# Run iopstop on the workload in build dir $1 with extra options; checks
# the workload's exit status and that stdout is JSON.
run_workload() {
    local b=$1 tag=$2
    shift 2
    local d=$work/wd-$tag
    rm -rf "$d"
    mkdir -p "$d"
    local status=0
    (cd "$b" && timeout 300 ${RUN_WRAPPER:-} ./src/iopstop "$@" --json="$work/$tag.json" \
         -- ./tests/workload "$d") >"$work/$tag.out" 2>"$work/$tag.err" || status=$?
    if [ "$status" -ne 42 ]; then
        cat "$work/$tag.err" >&2
        die "$tag: iopstop $* -- workload exited $status, expected 42"
    fi
    if grep -q 'Sanitizer' "$work/$tag.err"; then
        cat "$work/$tag.err" >&2
        die "$tag: sanitizer report"
    fi
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/$tag.json" ||
            die "$tag: iopstop's --json output is not JSON"
    fi
    printf '%s: ok (exit 42, %s bytes of JSON)\n' "$tag" "$(wc -c <"$work/$tag.json")" >&2
}

step_asan() {
    say "ASan+UBSan build, make check (detect_leaks=1)"
    configure_build asan --enable-sanitizers
    local b=$work/asan
    # (Traced fixtures are built without sanitizers: see TRACED_CFLAGS.)
    run_check "$b"
    run_workload "$b" asan-workload
}

step_tsan() {
    say "TSan build, threaded tests"
    configure_build tsan --enable-tsan
    local b=$work/tsan
    make -C "$b" -j"$JOBS" tests/workload >/dev/null
    make -C "$b" tests/rawsys SAN_CFLAGS= >/dev/null	# see step_asan
    if [ -n "${TSAN_TESTS:-}" ]; then
        run_check "$b" TESTS="$TSAN_TESTS"
    else
        run_check "$b"
    fi
    run_workload "$b" tsan-workload
    run_workload "$b" tsan-batch -b -d 0.05 -q
}

step_valgrind() {
    if ! command -v valgrind >/dev/null 2>&1; then
        say "valgrind: skipped (no valgrind)"
        return 0
    fi
    say "valgrind memcheck on iopstop --json -- tests/workload"
    configure_build plain
    make -C "$work/plain" tests/workload >/dev/null
    RUN_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
        run_workload "$work/plain" valgrind-workload
}

step_fuzz() {
    if ! command -v clang >/dev/null 2>&1; then
        say "fuzz smoke: skipped (no clang)"
        return 0
    fi
    say "fuzz smoke (clang, --enable-fuzzing)"
    configure_build fuzz CC=clang --enable-fuzzing
    FUZZ_BIN=$work/fuzz/fuzz "$src/fuzz/smoke.sh"
}

prepare_sources
for s in "${steps[@]}"; do
    case "$s" in
        asan) step_asan ;;
        tsan) step_tsan ;;
        valgrind) step_valgrind ;;
        fuzz) step_fuzz ;;
        *) die "unknown step: $s (asan, tsan, valgrind or fuzz)" ;;
    esac
done
say "ok"
