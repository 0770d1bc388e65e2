#!/usr/bin/env bash
# test.sh: build if needed, run the test suite, exit with its status.
#
#   contrib/test.sh [MAKE-ARGS...]
#
# When the tree is not configured yet, runs `contrib/bootstrap.sh --no-run`
# first (which installs missing dependencies).  Then `make check`; on failure
# prints the tail of the log of every failed test and of test-suite.log.
#
# Environment: JOBS (parallel make jobs, default 2; CI runs JOBS=4 on two
# cores, and every test waits for conditions, so it must pass so loaded).
set -euo pipefail

cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }

if [ ! -f Makefile ] || [ ! -f config.status ]; then
    say "not configured: contrib/bootstrap.sh --no-run"
    contrib/bootstrap.sh --no-run
fi

# Files of the harness in this tree (not in a distcheck's iopstop-*/ copy).
harness_files() {
    find . \( -type d \( -name .git -o -name 'iopstop-*' -o -name _build \) -prune \) \
        -o -type f -name "$1" -print 2>/dev/null | sort
}

# A stale log from an earlier run must not be summarized if the build fails.
harness_files test-suite.log | while IFS= read -r f; do rm -f "$f"; done

say "make check"
status=0
make -j"${JOBS:-2}" check "$@" || status=$?

# One plain closing line with the harness's totals (from test-suite.log).
summary=$(harness_files test-suite.log |
          while IFS= read -r f; do
              sed -n 's/^# \(PASS\|FAIL\|ERROR\|XPASS\|SKIP\): *\([0-9]*\)$/\1 \2/p' "$f"
          done |
          awk '{ n[$1] += $2 }
               END { if (NR) printf "%d passed, %d failed, %d skipped\n",
                     n["PASS"], n["FAIL"] + n["ERROR"] + n["XPASS"], n["SKIP"] }')
[ -z "$summary" ] || printf 'tests: %s\n' "$summary"

if [ "$status" -ne 0 ]; then
    say "make check failed (status $status)"
    # Every failed test's own log (automake's parallel harness: FOO.trs + FOO.log).
    while IFS= read -r trs; do
        if grep -Eq '^:test-result: (FAIL|ERROR|XPASS)' "$trs"; then
            log="${trs%.trs}.log"
            [ -f "$log" ] || continue
            printf '\n----- %s (last 60 lines) -----\n' "$log" >&2
            tail -n 60 "$log" >&2
        fi
    done < <(harness_files '*.trs')
    while IFS= read -r log; do
        printf '\n----- %s (last 40 lines) -----\n' "$log" >&2
        tail -n 40 "$log" >&2
    done < <(harness_files test-suite.log)
fi
exit "$status"
