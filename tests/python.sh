#!/bin/sh
# python.sh - a python3 workload: iopstop's per-file counts equal what
# strace itself printed for the same run (parsed by tests/jsoncheck.py).
. "$srcdir/tests/lib.sh"
command -v strace >/dev/null || { echo "SKIP: strace is not installed"; exit 77; }
# The real interpreter, not a wrapper script (pyenv shims trace bash too).
PYBIN=$("$PY" -c 'import sys; print(sys.executable)')

mkdir "$TMP/d"
"$IOPSTOP" -q --json="$TMP/report.json" -- "$PYBIN" "$srcdir/tests/py_workload.py" "$TMP/d"
check "python workload exits 0" [ $? -eq 0 ]
rm -rf "$TMP/d"; mkdir "$TMP/d"
strace -f -ttt -T -y -o "$TMP/py.log" "$PYBIN" "$srcdir/tests/py_workload.py" "$TMP/d"
"$PY" "$srcdir/tests/jsoncheck.py" strace-counts "$TMP/py.log" "$TMP/d/" >"$TMP/expect.json"
check "strace saw the workload's files" grep -q '"read_ops"' "$TMP/expect.json"
check "per-file counts equal strace's own" \
	"$PY" "$srcdir/tests/jsoncheck.py" files "$TMP/report.json" "$TMP/expect.json"
finish
