#!/usr/bin/env bash
# ci-nolibproc2.sh: the build for systems without libproc2 (RHEL/Rocky/Alma
# 8-9 ship procps-ng 3.3), checked where libproc2 is installed.
#
# Configures a pristine copy of the tree with --without-libproc2 (the
# built-in /proc reader, src/procscan_builtin.c) and -Werror, checks that
# nothing links libproc2, and runs the whole `make check`.  Then the same
# copy once more without cmocka (a pkg-config that does not know it):
# configure must say the unit tests are skipped, and the program must
# build and a shell test run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-nolibproc2.XXXXXX")
trap '[ "${KEEP:-}" = 1 ] || rm -rf "$dir"' EXIT
chmod 755 "$dir"	# tests/ui_pick.sh runs iopstop as another user
(cd "$top" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$dir"
cd "$dir"
autoreconf -fi >/dev/null
mkdir _nolibproc2 _nocmocka

(cd _nolibproc2
 ../configure -q --without-libproc2 --enable-werror
 grep -q '#undef HAVE_LIBPROC2' config.h
 make -j"${JOBS:-2}"
 if ldd src/iopstop | grep -q libproc2; then
     echo "ci-nolibproc2.sh: src/iopstop links libproc2" >&2; exit 1
 fi
 make -j"${JOBS:-2}" check)

cat > "$dir/pkg-config" <<'PC'
#!/bin/sh
for a in "$@"; do case $a in cmocka*) exit 1 ;; esac; done
exec pkg-config "$@"
PC
chmod +x "$dir/pkg-config"
(cd _nocmocka
 ../configure --without-libproc2 PKG_CONFIG="$dir/pkg-config" > configure.out
 grep -q 'unit tests: *skipped' configure.out
 make -j"${JOBS:-2}"
 make -j"${JOBS:-2}" check TESTS=tests/cli.sh)
echo "ci-nolibproc2.sh: ok"
