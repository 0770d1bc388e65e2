#!/usr/bin/env bash
# lint.sh: cppcheck and clang-tidy over src/, non-zero on any finding that
# is not a documented exception (.clang-tidy, contrib/clang-tidy-exceptions.txt,
# contrib/cppcheck-suppressions.txt).  Needs a configured tree (config.h).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f config.h ] || { echo "lint.sh: run ./configure first (config.h)" >&2; exit 1; }
status=0

if command -v cppcheck >/dev/null 2>&1; then
    echo "==> cppcheck" >&2
    cppcheck --enable=warning,style,performance,portability --std=c11 \
        --inline-suppr --suppressions-list=contrib/cppcheck-suppressions.txt \
        --error-exitcode=1 --quiet -I src -I . src/ || status=1
else
    echo "lint.sh: cppcheck not found, skipped" >&2
fi

if command -v clang-tidy >/dev/null 2>&1; then
    echo "==> clang-tidy" >&2
    flags=(-std=gnu11 -D_GNU_SOURCE -I. -Isrc)
    for pkg in ncursesw libproc2 cmocka; do
        # shellcheck disable=SC2207
        flags+=($(pkg-config --cflags "$pkg" 2>/dev/null || true))
    done
    out=$(for f in src/*.c; do clang-tidy --quiet "$f" -- "${flags[@]}" 2>/dev/null || true; done)
    left=$(printf '%s\n' "$out" | grep -E '^[^ ].*: (warning|error): ' | while IFS= read -r line; do
        file=${line%%:*}
        file=${file#"$PWD"/}
        check=$(printf '%s' "$line" | sed -n 's/.*\[\([^]]*\)\]$/\1/p')
        if grep -Eq "^$file +$check( |$)" contrib/clang-tidy-exceptions.txt; then
            continue
        fi
        printf '%s\n' "$line"
    done)
    if [ -n "$left" ]; then
        printf '%s\n' "$left"
        status=1
    fi
else
    echo "lint.sh: clang-tidy not found, skipped" >&2
fi
[ "$status" -eq 0 ] && echo "lint.sh: clean" >&2
exit "$status"
