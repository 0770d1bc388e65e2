#!/bin/sh
# fault_command.sh - the traced command misbehaves: killed by a signal,
# execs another program, forks a thousand children, closes its stdout.
# Each run is headless (-q or stderr kept) under a generous timeout.
. "$srcdir/tests/lib.sh"
command -v strace >/dev/null || { echo "SKIP: strace is not installed"; exit 77; }
strace -o /dev/null true 2>/dev/null || { echo "SKIP: ptrace refused here"; exit 77; }
cd "$TMP" || exit 99
PYBIN=$("$PY" -c 'import sys; print(sys.executable)')

# Killed by a signal: 128+N as a shell reports, and the summary still comes.
for sig in KILL TERM SEGV; do
	timeout 60 "$IOPSTOP" --json="$TMP/k.json" -- sh -c "printf x >k.out; kill -$sig \$\$" \
		>/dev/null 2>"$TMP/k.err"
	st=$?
	case $sig in KILL) n=9 ;; TERM) n=15 ;; SEGV) n=11 ;; esac
	check "SIG$sig: exit $((128 + n)) (got $st)" [ "$st" -eq $((128 + n)) ]
	check "SIG$sig: summary printed" grep -q "iopstop summary" "$TMP/k.err"
	check "SIG$sig: JSON exit_status $((128 + n))" [ "$(jget "$TMP/k.json" exit_status)" = $((128 + n)) ]
	check "SIG$sig: its write counted" [ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/k.json" "$TMP/k.out" write_ops)" = 1 ]
	check "SIG$sig: no complaint about strace" sh -c '! grep -q "strace was killed" "$1"' sh "$TMP/k.err"
done

# exec: the same process becomes another program; counting goes on, and
# the exit status is the new program's.
timeout 60 "$IOPSTOP" -q --json="$TMP/e.json" -- sh -c '
	dd if=/dev/zero of=a.out bs=100 count=3 status=none
	exec "$0" -c "import os
fd = os.open(\"b.out\", os.O_WRONLY | os.O_CREAT, 0o644)
for _ in range(5):
    os.write(fd, b\"x\" * 10)
os._exit(7)"' "$PYBIN"
st=$?
check "exec: exit status of the exec'd program (7, got $st)" [ "$st" -eq 7 ]
check "exec: writes before the exec" [ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/e.json" "$TMP/a.out" write_ops)" = 3 ]
check "exec: writes after the exec" [ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/e.json" "$TMP/b.out" write_bytes)" = 50 ]

# A thousand children, each writing one byte once: exactly 1000 writes,
# and no hang (the timeout is generous; a loaded box takes a minute).
timeout 600 "$IOPSTOP" -q --json="$TMP/f.json" -- "$PYBIN" -c '
import os
fd = os.open("f.out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
for i in range(1000):
    pid = os.fork()
    if pid == 0:
        os.write(fd, b"x")
        os._exit(0)
    os.waitpid(pid, 0)
'
st=$?
check "1000 children: exit 0, no hang (got $st)" [ "$st" -eq 0 ]
check "1000 children: exactly 1000 writes" [ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/f.json" "$TMP/f.out" write_ops)" = 1000 ]
check "1000 children: 1000 bytes" [ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/f.json" "$TMP/f.out" write_bytes)" = 1000 ]
check "1000 children: all 1001 processes listed" \
	"$PY" -c 'import json, sys; assert len(json.load(open(sys.argv[1]))["processes"]) >= 1001' "$TMP/f.json"
check "1000 children: file on disk has 1000 bytes" [ "$(wc -c <"$TMP/f.out")" -eq 1000 ]

# The command closes its stdout (and stderr), then writes to a file; our
# JSON on stdout is still whole, the write counted, the status kept.
timeout 60 "$IOPSTOP" -q --json -- sh -c 'exec >&- 2>&-; printf hello >c.out; exit 3' >"$TMP/c.json"
st=$?
check "closed stdout: exit 3 (got $st)" [ "$st" -eq 3 ]
check "closed stdout: our JSON is whole" "$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/c.json"
check "closed stdout: its write counted" [ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/c.json" "$TMP/c.out" write_bytes)" = 5 ]
# Our own stdout closed: a report meant for it has nowhere to go, which
# is a runtime error said in one line before anything runs (a closed fd 1
# must not be reused for the trace file); a report to a file still works.
timeout 60 "$IOPSTOP" -q --json -- sh -c 'printf x >d.out' >&- 2>"$TMP/c.err"
st=$?
check "iopstop's stdout closed, --json to it: exit 1 (got $st)" [ "$st" -eq 1 ]
check "iopstop's stdout closed: one line says so" [ "$(wc -l <"$TMP/c.err")" -eq 1 ]
check "iopstop's stdout closed: the command did not run" [ ! -e "$TMP/d.out" ]
timeout 60 "$IOPSTOP" -q --json="$TMP/d.json" -- sh -c 'printf x >d.out; exit 4' >&- 2>&-
st=$?
check "iopstop's stdout and stderr closed, --json=FILE: exit 4 (got $st)" [ "$st" -eq 4 ]
check "iopstop's stdout closed, --json=FILE: counted" [ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/d.json" "$TMP/d.out" write_ops)" = 1 ]
finish
