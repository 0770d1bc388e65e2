#!/bin/sh
# fault_strace.sh - strace misbehaves: missing, too old, killed under a
# command or an attached process, refusing to attach, writing garbage.
# Fakes are shell scripts given through $IOPSTOP_STRACE or $PATH.
. "$srcdir/tests/lib.sh"
REAL=$(command -v strace) || { echo "SKIP: strace is not installed"; exit 77; }
"$REAL" -o /dev/null true 2>/dev/null || { echo "SKIP: ptrace refused here"; exit 77; }
SH=$(command -v sh)
cd "$TMP" || exit 99
file_key() { "$PY" "$srcdir/tests/jsoncheck.py" file "$@"; }

# wait_child PARENT PATTERN: print the PID of PARENT's child whose command
# line matches PATTERN (pgrep -f; 20 s max).  The tracing strace is told
# from iopstop's short "strace -V" probe by its -ttt.
wait_child() {
	n=100
	while [ $n -gt 0 ]; do
		c=$(pgrep -P "$1" -f -- "$2" | head -n 1)
		[ -n "$c" ] && { echo "$c"; return 0; }
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

# not_stopped PID: true when PID is gone, or neither stopped nor traced
# (waits up to 10 s for the kernel to finish the detach).
not_stopped() {
	n=50
	while [ $n -gt 0 ]; do
		[ -r "/proc/$1/status" ] || return 0
		state=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status")
		tracer=$(sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$1/status")
		case $state in
		t | T) ;;
		*) [ "${tracer:-0}" = 0 ] && return 0 ;;
		esac
		sleep 0.2
		n=$((n - 1))
	done
	echo "# PID $1: State $state, TracerPid $tracer"
	return 1
}

# ---- missing: PATH without strace ---------------------------------------------
mkdir nostrace && ln -s "$SH" nostrace/sh || exit 99
# (no preload library either, or auto would take it)
PATH="$TMP/nostrace" IOPSTOP_PRELOAD_LIB=/nonexistent "$IOPSTOP" -q -- sh -c 'exit 5' 2>err
st=$?
check "no strace in PATH, auto: the command's status (5, got $st)" [ $st -eq 5 ]
check "no strace in PATH, auto: one line says it falls back" \
	[ "$(wc -l <err)" -eq 1 ] && grep -q "strace not found.*/proc I/O counters" err
PATH="$TMP/nostrace" "$IOPSTOP" -q --backend=strace -- sh -c 'exit 5' 2>err
st=$?
check "no strace in PATH, --backend=strace: exit 1 (got $st)" [ $st -eq 1 ]
check "no strace in PATH, --backend=strace: one line" [ "$(wc -l <err)" -eq 1 ]
check "no strace in PATH, --backend=strace: says so" grep -q "strace not found" err

# ---- too old: no --seccomp-bpf before 5.3 ------------------------------------
# fake VERSION: a strace that reports VERSION, logs its arguments, runs the
# real one
fake() {
	cat >"$TMP/strace-$1" <<EOF
#!$SH
if [ "\$1" = -V ]; then echo "strace -- version $1"; exit 0; fi
printf '%s\n' "\$@" >"$TMP/args-$1"
exec "$REAL" "\$@"
EOF
	chmod +x "$TMP/strace-$1"
}
for v in 4.8 5.3; do
	fake $v
	IOPSTOP_STRACE="$TMP/strace-$v" timeout 60 "$IOPSTOP" -q --backend=strace --json=old.json -- \
		dd if=/dev/zero of="$TMP/old.out" bs=1024 count=7 status=none
	st=$?
	check "strace $v: runs (exit $st)" [ $st -eq 0 ]
	check "strace $v: 7 writes counted" [ "$(file_key old.json "$TMP/old.out" write_ops)" = 7 ]
done
check "strace 4.8: not given --seccomp-bpf" sh -c '! grep -qx -- --seccomp-bpf "$1"' sh args-4.8
check "strace 5.3: given --seccomp-bpf" grep -qx -- --seccomp-bpf args-5.3
printf '#!%s\necho nonsense\n' "$SH" >strace-mute && chmod +x strace-mute
IOPSTOP_STRACE="$TMP/strace-mute" "$IOPSTOP" -q --backend=strace -- true 2>err
st=$?
check "strace without a version: exit 1 (got $st), one line" [ $st -eq 1 ] && [ "$(wc -l <err)" -eq 1 ]
check "strace without a version: names it" grep -q "strace-mute does not run" err

# ---- killed under a command ----------------------------------------------------
# (no timeout(1) in between: strace must be iopstop's child to be found;
# the command ends by itself within 30 s if nothing is killed)
"$IOPSTOP" -q --backend=strace --json=k.json -- sh -c \
	'i=0; while [ $i -lt 600 ]; do echo $i >>k.out; sleep 0.05; i=$((i + 1)); done' 2>err &
ip=$!
s=$(wait_child $ip 'strace .*-ttt') && c=$(wait_child "$s" 'k\.out')
if [ -n "$s" ] && [ -n "$c" ] && sleep 0.5 && kill -KILL "$s"; then
	wait $ip
	st=$?
	check "strace killed: iopstop exits 1 (got $st)" [ $st -eq 1 ]
	check "strace killed: one line says so" \
		[ "$(wc -l <err)" -eq 1 ] && grep -q "strace was killed by signal 9" err
	check "strace killed: the JSON is still written" [ "$(jget k.json exit_status)" = 1 ]
	check "strace killed: the command is not left stopped or traced" not_stopped "$c"
	kill -KILL "$c" 2>/dev/null
else
	not_ok "strace killed: no strace or command under iopstop (strace '$s', command '$c')"
	kill $ip 2>/dev/null
fi

# ---- killed while attached: the target runs on, untraced ----------------------
"$SH" -c 'while :; do echo x >>a.out; sleep 0.05; done' &
w=$!
"$IOPSTOP" -q -p $w 2>err &
ip=$!
s=$(wait_child $ip 'strace .*-ttt')
if [ -n "$s" ] && sleep 1 && kill -KILL "$s"; then
	wait $ip
	st=$?
	check "attached strace killed: iopstop exits 1 (got $st)" [ $st -eq 1 ]
	check "attached strace killed: one line says so" \
		[ "$(wc -l <err)" -eq 1 ] && grep -q "strace was killed by signal 9" err
	check "attached strace killed: the target is neither stopped nor traced" not_stopped $w
	n0=$(wc -l <a.out)
	sleep 1
	check "attached strace killed: the target goes on writing" [ "$(wc -l <a.out)" -gt "$n0" ]
else
	not_ok "attached strace killed: no strace under iopstop"
	kill $ip 2>/dev/null
fi
kill $w 2>/dev/null

# ---- refuses to attach (EPERM from ptrace, e.g. a container's PID 1) ---------
cat >strace-eperm <<EOF
#!$SH
if [ "\$1" = -V ]; then echo "strace -- version 6.1"; exit 0; fi
echo "$TMP/strace-eperm: attach: ptrace(PTRACE_SEIZE, 42): Operation not permitted" >&2
exit 1
EOF
chmod +x strace-eperm
sleep 30 &
w=$!
IOPSTOP_STRACE="$TMP/strace-eperm" timeout 60 "$IOPSTOP" --backend=strace -p $w 2>err >out
st=$?
check "attach refused: exit 1 (got $st)" [ $st -eq 1 ]
check "attach refused: exactly one line (no summary)" [ "$(wc -l <err)" -eq 1 ]
check "attach refused: strace's reason" grep -q "cannot trace: strace: attach: .*Operation not permitted" err
kill $w 2>/dev/null

# ---- garbage in the trace ------------------------------------------------------
# A "strace" that writes random bytes and odd lines where the trace goes,
# then runs the command itself (untraced) and exits with its status.
cat >strace-garbage <<EOF
#!$SH
if [ "\$1" = -V ]; then echo "strace -- version 6.1"; exit 0; fi
while [ \$# -gt 0 ] && [ "\$1" != -- ]; do
	[ "\$1" = -o ] && out=\$2
	shift
done
shift
"$PY" - "\$out" <<'PY'
import random, sys
r = random.Random(7)
with open(sys.argv[1], "ab") as f:
    f.write(b"strace: Process 1 attached\n+++ weird +++\n--- SIGNOPE ---\n")
    f.write(b"123 1.5 read(3</x>, \"\"..., 10) = 99999999999999999999999 <0.1>\n")
    f.write(b"1 1.0 write(1</dev/pts/0\0>, ..., 1) = 1\n")
    f.write(b"1 " + b"A" * (3 << 20) + b"\n")          # one 3 MB line
    f.write(bytes(r.randrange(256) for _ in range(50000)))
    f.write(b"\n1 1.0 write(1</tmp/ok>, \"\"..., 4) = 4 <0.000001>\n")
    f.write(b"1 1.0 read(3</tmp/cut")                    # no newline at the end
PY
"\$@"
EOF
chmod +x strace-garbage
IOPSTOP_STRACE="$TMP/strace-garbage" timeout 60 "$IOPSTOP" --backend=strace --json=g.json -- sh -c 'exit 3' 2>err
st=$?
check "garbage trace: the command's status (3, got $st), no crash" [ $st -eq 3 ]
check "garbage trace: lines counted as unparsed" \
	"$PY" -c 'import json, sys; assert json.load(open(sys.argv[1]))["unparsed"] > 10' g.json
check "garbage trace: the summary warns of them" grep -q "unparsed lines: [1-9]" err
check "garbage trace: the good line still counts" [ "$(file_key g.json /tmp/ok write_bytes)" = 4 ]
finish
