#!/bin/sh
# hangup.sh - a dropped connection never reaches the traced command: a real
# pty closed under a shell (the view, -b, an interactive shell's job, the
# proc and preload backends, -p with --json due), and tmux kill-server.  The job runs to its natural end, still traced, and the
# JSON says exit 0.  On a command in the terminal's foreground group the
# hangup killed it (129).
. "$srcdir/tests/lib.sh"
[ -x /usr/bin/python3 ] || { echo "SKIP: /usr/bin/python3 is needed"; exit 77; }
command -v bash >/dev/null || { echo "SKIP: bash is needed"; exit 77; }
command -v strace >/dev/null || { echo "SKIP: strace is needed"; exit 77; }

# verdict CASE JSON: exit 0 in the JSON, the job's own "done", its writes
verdict() {
	if [ ! -s "$2" ]; then not_ok "$1: no JSON summary"; return; fi
	st=$(jget "$2" exit_status)
	w=$(jget "$2" write.ops)
	want=0
	[ "$1" = attach ] && want=null	# attached: the target's status is not ours
	# Written after the job ended: the watch went on to its end.
	if [ "$st" = $want ] && [ -s "$TMP/$1.done" ] && [ "$w" -gt 10 ] &&
	   ! [ "$2" -ot "$TMP/$1.done" ]; then
		ok "$1: the job ran to its end after the hangup (exit $st, $w writes traced)"
	else
		not_ok "$1: exit_status $st, done '$(cat "$TMP/$1.done" 2>/dev/null)', $w writes"
	fi
}

for c in batch view interactive proc preload attach; do
	j=$(/usr/bin/python3 "$srcdir/tests/hangup.py" "$IOPSTOP" "$TMP" $c) ||
		{ not_ok "$c: the pty harness failed"; continue; }
	verdict $c "$j"
done

# tmux kill-server: the pane's shell leads the session, iopstop runs in it.
if command -v tmux >/dev/null 2>&1; then
	for c in tmux-view tmux-batch; do
		b=; [ $c = tmux-batch ] && b=-b
		T="tmux -L iopstop-$$-hangup -f /dev/null"
		$T new-session -d -s h -x 80 -y 24 "sh -c '\"$IOPSTOP\" $b -d 0.2 -q\
 --json=\"$TMP/$c.json\" -- /usr/bin/python3 \"$srcdir/tests/hangup_writer.py\"\
 \"$TMP/$c\"; true'" || { not_ok "$c: tmux did not start"; continue; }
		n=600
		while [ ! -s "$TMP/$c.started" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
		$T kill-server
		n=600
		while ! jget "$TMP/$c.json" exit_status >/dev/null 2>&1 && [ $n -gt 0 ]; do
			sleep 0.1; n=$((n - 1))
		done
		verdict $c "$TMP/$c.json"
	done
else
	echo "note: tmux is not installed: kill-server not tried"
fi
finish
