#!/bin/sh
# notebook_handshake.sh - the C side of %%iops: --ready-fd, --kinds and
# --skip-threads against a process that knows what it did
# (tests/notebook_handshake.py), and their usage errors.
. "$srcdir/tests/lib.sh"
command -v strace >/dev/null || { echo "SKIP: strace is not installed"; exit 77; }
[ -x /usr/bin/python3 ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }
/usr/bin/python3 -c 'import os; os.eventfd' 2>/dev/null ||
	{ echo "SKIP: /usr/bin/python3 has no os.eventfd (3.10+)"; exit 77; }

usage() { # usage WHAT ARGS... : exit 2 and one line naming the problem
	local what=$1; shift
	"$IOPSTOP" "$@" >"$TMP/o" 2>"$TMP/e"
	check "$what: exit 2" [ $? -eq 2 ]
	check "$what: one line" [ "$(wc -l <"$TMP/e")" -eq 1 ]
}
usage "--kinds=bogus" -q --kinds=file,bogus -- true
usage "--kinds=" -q --kinds= -- true
usage "--skip-threads=x" -q --skip-threads=12,x -- true
usage "--ready-fd=-1" -q --ready-fd=-1 -- true
usage "--ready-fd with the process list" -q --ready-fd=1
usage "--ready-fd of a closed descriptor" -q --ready-fd=9 -- true 9>&-
check "it names --ready-fd" grep -q -- '--ready-fd=9' "$TMP/e"

# --ready-fd with a command: the line comes, and the descriptor is not
# handed on to the command.
"$IOPSTOP" -q --json=/dev/null --ready-fd=8 -- sh -c 'ls /proc/self/fd/' \
	8>"$TMP/ready" >"$TMP/fds"
check "ready line with a command" grep -qxE 'ready (strace|preload)' "$TMP/ready"
check "the command does not inherit it" sh -c "! grep -qx 8 '$TMP/fds'"
# Without --kinds or --skip-threads, no "left_out" key.
"$IOPSTOP" -q --json="$TMP/plain.json" -- true
check "no left_out key unasked" sh -c "! grep -q left_out '$TMP/plain.json'"

# The magic's flags, and macOS without root: one clear error at once.
PYTHONPATH="$srcdir/python" /usr/bin/python3 - <<'PY'
import os, sys, time
import iopstop
try:
    from iopstop.magic import parse_flags
    from IPython.core.error import UsageError
except ImportError:
    parse_flags = None
if parse_flags:
    o, rest = parse_flags("--histogram --path=/x --backend proc  --heatmap print('--y')")
    assert o["show"] == {"histogram", "heatmap"} and o["paths"] == ["/x"], o
    assert o["backend"] == "proc" and rest == "print('--y')", (o, rest)
    assert parse_flags("--all x = 1")[0]["kinds"] is None
    for bad in ("--bogus x", "--files=3 x", "--backend=nfs x", "--path"):
        try:
            parse_flags(bad)
            raise SystemExit("no UsageError for %r" % bad)
        except UsageError:
            pass
sys.platform = "darwin"
os.geteuid = lambda: 501
t = time.monotonic()
try:
    iopstop.Session().start()
    raise SystemExit("macOS without root did not say so")
except iopstop.IopstopError as e:
    assert "needs root" in str(e) and "sudo -E jupyter" in str(e), e
assert time.monotonic() - t < 5
PY
check "magic flags; macOS without root says so at once" [ $? -eq 0 ]

mkdir "$TMP/d"
/usr/bin/python3 "$srcdir/tests/notebook_handshake.py" "$IOPSTOP" "$TMP/d"
check "attach handshake and left-out counts are exact" [ $? -eq 0 ]
finish
