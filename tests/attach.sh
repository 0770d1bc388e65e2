#!/bin/bash
# attach.sh - iopstop -p on a live writer (two threads, and a child it
# starts while watched): exact counts, then the writer unharmed after
# iopstop ends by -n, SIGINT, SIGTERM and SIGHUP; clear errors for a PID
# that does not exist or is not ours.
. "$srcdir/tests/attach_lib.sh"

command -v strace >/dev/null || skip "strace is not installed"
scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)
if [ "$scope" -ge 3 ] || { [ "$scope" -ge 1 ] && [ "$(id -u)" != 0 ]; }; then
	skip "kernel.yama.ptrace_scope=$scope does not let us attach"
fi
strace -o /dev/null true 2>/dev/null || skip "ptrace is refused here (strace cannot run)"

# ---- exact counts over a window --------------------------------------------
# 10 writes/s per thread: the boundary gaps below (strace seizing and
# releasing each thread) last microseconds to, on a loaded machine, tens
# of ms; at this pace a gap holds at most one write of each thread.
start_writer w 100000
"$IOPSTOP" -p "$wpid" -b -n 3 -q --json="$tmp/a.json" > "$tmp/a.out" 2> "$tmp/a.err" &
ipid=$!
# s0: the writer's syscw read just before strace attached (the last
# reading followed by TracerPid 0); s1: the first reading after it
# detached.  Both loops use builtins only, so a lap takes microseconds.
s0=
SECONDS=0
while [ $SECONDS -lt 10 ]; do
	getf /proc/$wpid/io syscw; io=$REPLY
	getf /proc/$wpid/status TracerPid
	[ "$REPLY" != 0 ] && break
	s0=$io
done
[ -n "$s0" ] && [ "$REPLY" != 0 ] || fail "strace never attached"
sleep 1
kill -USR1 $wpid		# the writer forks a child: 100 writes of 512 bytes
s1=
while [ $SECONDS -lt 20 ]; do
	getf /proc/$wpid/status TracerPid
	if [ "$REPLY" = 0 ]; then getf /proc/$wpid/io syscw; s1=$REPLY; break; fi
done
[ -n "$s1" ] || fail "strace never detached"
wait_gone $ipid 10 || fail "iopstop -n 3 did not end"
wait $ipid; rc=$?
[ $rc = 0 ] || fail "iopstop -p -n 3 exited $rc"

# The kernel adds a reaped child's counters to its parent's, so the
# writer's syscw delta includes its child's 100 writes: compare the total.
c=$(jget "$tmp/a.json" "d['write']['ops']")
cw=$(jget "$tmp/a.json" "[p['write_ops'] for p in d['processes'] if p['pid']==$wpid][0]")
cb=$(jget "$tmp/a.json" "[p['write_bytes'] for p in d['processes'] if p['pid']==$wpid][0]")
unf=$(jget "$tmp/a.json" "d['unfinished'], d['unparsed']")
delta=$((s1 - s0))
echo "writer: syscw delta $delta over the window, iopstop counted $c writes (unfinished, unparsed: $unf)"
# Boundary slop: s0 is read just before strace seizes the writer's first
# thread, but each thread is traced only once strace has seized, stopped
# and restarted it; at the end strace lets the threads go one by one and
# s1 is read just after.  A write that completes in those gaps, or is in
# flight at the detach (strace saw it start, not end: "unfinished"), is
# in the kernel's count and not in ours.  Two threads, two boundaries, at
# most one write each at this pace: 4, and never the other way round.
[ "$c" -le "$delta" ] || fail "iopstop counted $c writes, more than the kernel's $delta"
[ $((delta - c)) -le 4 ] || fail "iopstop counted $c writes of the kernel's $delta (more than the boundary slop)"
ok "write ops $c vs syscw delta $delta"
# What it wrote: every write of the writer is 4096 bytes, of its child 512.
[ "$cb" = $((cw * 4096)) ] || fail "write bytes $cb != $cw * 4096"
[ $((cw + 100)) = "$c" ] || fail "writer $cw + child 100 != total $c"
h=$(jget "$tmp/a.json" "sorted((h['lo'], h['write_ops'], h['write_bytes']) for h in d['histogram'] if h['write_ops'])")
[ "$h" = "[(512, 100, 51200), (4096, $cw, $cb)]" ] || fail "histogram $h"
kid=$(jget "$tmp/a.json" "[(p['write_ops'], p['write_bytes']) for p in d['processes'] if p['pid']!=$wpid and p['write_ops']]")
[ "$kid" = "[(100, 51200)]" ] || fail "the child started while watched: $kid"
ok "4096-byte writes exactly; its child's 100 x 512 bytes exactly"
j=$(jget "$tmp/a.json" "(d['backend'], d['exit_status'], d['pids'], d['command'][1:])")
[ "$j" = "('strace', None, [$wpid], ['$tmp/w.dat', '100000'])" ] || fail "JSON header $j"
lines=$(grep -c '^ *[0-9]' "$tmp/a.out")
[ "$lines" = 3 ] || fail "-b -n 3 printed $lines interval lines"
ok "JSON backend/command/exit_status, $lines batch lines"
unharmed $wpid "after -n 3"

# ---- every way of ending ---------------------------------------------------
for sig in INT TERM HUP; do
	"$IOPSTOP" -p "$wpid" -b -q > "$tmp/$sig.out" 2> "$tmp/$sig.err" &
	ipid=$!
	SECONDS=0
	while getf /proc/$wpid/status TracerPid && [ "$REPLY" = 0 ] && [ $SECONDS -lt 120 ]; do
		sleep 0.01
	done
	[ "$REPLY" != 0 ] || fail "SIG$sig: strace never attached"
	# The first interval line is there (waited for: under load 1 s of
	# sleep is not 1 s of iopstop's run).
	SECONDS=0
	while ! grep -q '^ *1\.00 ' "$tmp/$sig.out" && [ $SECONDS -lt 120 ]; do
		sleep 0.05
	done
	kill -$sig $ipid
	wait_gone $ipid 120 || fail "iopstop did not end on SIG$sig"
	wait $ipid; rc=$?
	[ $rc = 0 ] || fail "iopstop ended by SIG$sig exited $rc"
	grep -q '^ *1\.00 ' "$tmp/$sig.out" || fail "SIG$sig: no interval line"
	unharmed $wpid "after SIG$sig"
done

# Even SIGKILL, which iopstop cannot catch: strace learns of its death
# (PR_SET_PDEATHSIG) and detaches.
"$IOPSTOP" -p "$wpid" -b -q > /dev/null 2> "$tmp/KILL.err" &
ipid=$!
SECONDS=0
while getf /proc/$wpid/status TracerPid && [ "$REPLY" = 0 ] && [ $SECONDS -lt 10 ]; do
	sleep 0.01
done
[ "$REPLY" != 0 ] || fail "SIGKILL: strace never attached"
sleep 0.5
kill -KILL $ipid
wait $ipid 2>/dev/null
while getf /proc/$wpid/status TracerPid && [ "$REPLY" != 0 ] && [ $SECONDS -lt 20 ]; do
	sleep 0.01
done
unharmed $wpid "after SIGKILL"

# ---- PIDs we cannot watch ----------------------------------------------------
sh -c 'exit 0' & dead=$!
wait $dead
"$IOPSTOP" -p $dead -b -n 1 > "$tmp/dead.out" 2> "$tmp/dead.err" &
ipid=$!
wait_gone $ipid 5 || fail "iopstop -p of a dead PID hangs"
wait $ipid; rc=$?
[ $rc = 1 ] && [ "$(wc -l < "$tmp/dead.err")" = 1 ] && grep -q "no process with PID $dead" "$tmp/dead.err" ||
	fail "dead PID: exit $rc, $(cat "$tmp/dead.err")"
ok "a PID that does not exist: $(cat "$tmp/dead.err")"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$IOPSTOP"; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$IOPSTOP" -p $wpid -b -n 1 > "$tmp/other.out" 2> "$tmp/other.err" &
	ipid=$!
	wait_gone $ipid 5 || fail "iopstop -p of another user's PID hangs"
	wait $ipid; rc=$?
	[ $rc = 1 ] && grep -q "no permission" "$tmp/other.err" ||
		fail "another user's PID: exit $rc, $(cat "$tmp/other.err")"
	ok "another user's PID: $(tr '\n' '|' < "$tmp/other.err")"
	unharmed $wpid "after another user's attempt"
else
	echo "note: not root (or no setpriv): another user's PID not tried"
fi
exit 0
