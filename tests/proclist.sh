#!/bin/bash
# proclist.sh - `iopstop -b` with no target lists this user's processes
# by I/O rate: a writer going flat out is at the top; -n bounds the run.
. "$srcdir/tests/attach_lib.sh"
[ -r /proc/self/io ] || skip "/proc/PID/io is not available (kernel without task I/O accounting)"

# The list is of this user's processes, and this user may be busy with
# other things (a shared machine, tests run in parallel): as root, run
# the writer and iopstop as a user of their own (nobody), whose
# processes are only these.
RUNAS=
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$IOPSTOP"; then
	RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	chmod 755 "$tmp"
	WDIR=$tmp/u
	mkdir "$WDIR" && chmod 777 "$WDIR"
fi
start_writer busy 0		# no pause: as many 4 KiB writes as it can
$RUNAS "$IOPSTOP" -b -n 2 -d 0.5 --top=5 > "$tmp/l.out" 2> "$tmp/l.err" &
ipid=$!
wait_gone $ipid 10 || fail "iopstop -b -n 2 did not end"
wait $ipid; rc=$?
[ $rc = 0 ] || fail "iopstop -b -n 2 exited $rc"
[ "$(grep -c '^time_s' "$tmp/l.out")" = 2 ] || fail "not 2 blocks: $(cat "$tmp/l.out")"
# In the last block: the busy writer, writing fast, and the rows sorted
# busiest first.  (As root without setpriv, other processes of this user
# may do even more I/O, so the writer need not be first.)
last=$(awk '/^time_s/ {b++; next} b == 2 && $1 ~ /^[0-9]+$/' "$tmp/l.out")
row=$(printf '%s\n' "$last" | awk -v p="$wpid" '$1 == p')
[ -n "$row" ] || fail "the writer $wpid is not listed: $(cat "$tmp/l.out")"
set -- $row
python3 -c "import sys; sys.exit(not float(sys.argv[1]) > 1000)" "$3" ||
	fail "the writer's write_op/s is $3: $row"
printf '%s\n' "$last" | python3 -c "
import sys
ops = [float(l.split()[1]) + float(l.split()[2]) for l in sys.stdin if l.strip()]
sys.exit(ops != sorted(ops, reverse=True))" || fail "rows not sorted by ops/s: $last"
[ -n "$RUNAS" ] && [ "$(printf '%s\n' "$last" | head -n 1 | awk '{print $1}')" != "$wpid" ] &&
	fail "as its own user, the writer is not first: $last"
ok "busiest first; the writer: $row"
[ ! -s "$tmp/l.err" ] || fail "stderr: $(cat "$tmp/l.err")"
exit 0
