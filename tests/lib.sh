# lib.sh - shared by the shell tests (sourced).  Exit 77 = skip, 99 = harness.
set -u
: "${IOPSTOP:?run from make check}"
PY=$(command -v python3) || { echo "SKIP: python3 is needed to read JSON"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-test.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
fails=0
passes=0
ok() { passes=$((passes + 1)); echo "ok - $*"; }
not_ok() { fails=$((fails + 1)); echo "not ok - $*"; }
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
jget() { "$PY" "$srcdir/tests/jsoncheck.py" get "$@"; }
finish() {
	echo "$passes passed, $fails failed"
	[ "$fails" -eq 0 ]
}
