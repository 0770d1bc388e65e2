#!/usr/bin/env bash
# ci-darwin-stub.sh: the macOS file set, built and tested on Linux.
#
# CI cannot run macOS.  This configures a pristine copy of the tree with
# --with-platform=darwin (no libproc2, no strace or /proc sources: their
# stand-ins in src/platform_none.c, the fs_usage source picked for `--`
# and -p) with -Werror, builds it, and runs what that build can run here:
# the fs_usage parser's unit tests, the fuzz regression replay, the
# fs_usage log replay and the fs_usage source with stand-in fs_usage and
# sudo.  What it cannot check: anything only a Mac has (fs_usage itself,
# sudo's behaviour there, <libproc.h>'s proc_name).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-darwin-stub.XXXXXX")
trap '[ "${KEEP:-}" = 1 ] || rm -rf "$dir"' EXIT
(cd "$top" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$dir"
cd "$dir"
autoreconf -fi >/dev/null
./configure -q --with-platform=darwin --enable-werror
grep -q '#undef PLATFORM_LINUX' config.h
make -j2
make -j2 check TESTS="tests/test_fsusage_parse tests/test_fuzz_regress \
	tests/fsusage_replay.sh tests/fsusage_live.sh"
echo "ci-darwin-stub.sh: ok"
