#!/bin/sh
# attach_refuse.sh - -p of a process that cannot be watched: a zombie, a PID
# that does not exist, iopstop itself, another user's: one line naming the
# reason, exit 1, and not one report row before it.  -p '' is a usage error.
. "$srcdir/tests/lib.sh"

# refused WHAT REASON-ERE IOPSTOP-ARGS...: exit 1, one line, no output
refused() {
	what=$1 re=$2; shift 2
	"$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	if [ $rc = 1 ] && [ "$(wc -l < "$TMP/err")" = 1 ] && grep -Eq "$re" "$TMP/err" &&
	   [ ! -s "$TMP/out" ]; then
		ok "$what: $(cat "$TMP/err")"
	else
		not_ok "$what: exit $rc, stderr '$(cat "$TMP/err")', stdout $(wc -c < "$TMP/out") bytes"
	fi
}

# A zombie: a child that has ended and that its parent (sh, in exec sleep)
# never waits for.
sh -c 'sleep 0.1 & exec sleep 30' & parent=$!
zombie=
n=100
while [ $n -gt 0 ]; do
	zombie=$(ps -o pid=,stat= --ppid $parent 2>/dev/null | awk '$2 ~ /^Z/ {print $1}')
	[ -n "$zombie" ] && break
	sleep 0.1; n=$((n - 1))
done
if [ -n "$zombie" ]; then
	refused "a zombie" "^iopstop: PID $zombie is a zombie" \
		timeout 20 "$IOPSTOP" -p $zombie -b -n 1
	refused "a zombie, with --backend=proc" "^iopstop: PID $zombie is a zombie" \
		timeout 20 "$IOPSTOP" --backend=proc -p $zombie -b -n 1
else
	not_ok "no zombie to try"
fi
kill $parent 2>/dev/null

sh -c 'exit 0' & dead=$!
wait $dead
refused "a PID that does not exist" "^iopstop: no process with PID $dead$" \
	timeout 20 "$IOPSTOP" -p $dead -b -n 1
refused "iopstop itself" "^iopstop: PID [0-9]+ is iopstop itself$" \
	timeout 20 sh -c 'exec "$0" -p $$ -b -n 1' "$IOPSTOP"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=65533 --regid=65533 --clear-groups test -x "$IOPSTOP"; then
	sleep 30 & mine=$!
	refused "another user's process" "^iopstop: PID $mine belongs to another user .*no permission" \
		timeout 20 setpriv --reuid=65533 --regid=65533 --clear-groups \
		"$IOPSTOP" -p $mine -b -n 1
	kill $mine
else
	echo "note: not root (or no setpriv): another user's process not tried"
fi

# Chosen from the process list: the reason shows in the list's footer.  Run
# as a uid of its own (65533: not the nobody that proclist.sh and ui_pick.sh
# use, so as not to show them our zombie), so that only our processes are
# listed; -d 60: no re-sort.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && command -v tmux >/dev/null &&
   setpriv --reuid=65533 --regid=65533 --clear-groups test -x "$IOPSTOP"; then
	RUNAS="setpriv --reuid=65533 --regid=65533 --clear-groups"
	chmod 777 "$TMP"
	$RUNAS sh -c 'sleep 300 & echo $! > "$0/child"; exec sleep 600' "$TMP" & parent=$!
	n=100
	while [ ! -s "$TMP/child" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	child=$(cat "$TMP/child")
	T="tmux -L iopstop-$$-refuse -f /dev/null"
	$T new-session -d -s p -x 120 -y 20 "$RUNAS env TERM=xterm \"$IOPSTOP\" -d 60; sleep 60"
	row=
	n=100
	while [ -z "$row" ] && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
		$T capture-pane -p -t p > "$TMP/screen"
		row=$(awk -v c="$child" 'NR > 2 && $1 == c {print NR - 2; exit}' "$TMP/screen")
	done
	kill "$child"	# now a zombie: sh exec'd sleep and never waits
	n=100
	while ! grep -q '^State:.Z' /proc/$child/status 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
	$T send-keys -t p Home	# the list starts on its busiest row
	i=1
	while [ -n "$row" ] && [ $i -lt "$row" ]; do $T send-keys -t p Down; i=$((i + 1)); done
	$T send-keys -t p Enter
	n=50
	while ! $T capture-pane -p -t p | grep -q "PID $child is a zombie" && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
	$T capture-pane -p -t p | grep -q "PID $child is a zombie" &&
		ok "chosen from the list: the footer says PID $child is a zombie" ||
		not_ok "the list does not say why (row '$row'): $($T capture-pane -p -t p | tail -n 1)"
	$T kill-server
	kill $parent 2>/dev/null
else
	echo "note: not root (or no setpriv or tmux): the process list not tried"
fi

"$IOPSTOP" -p '' > "$TMP/out" 2> "$TMP/err"
rc=$?
[ $rc = 2 ] && grep -q "empty PID list" "$TMP/err" && ok "-p '': usage error" ||
	not_ok "-p '': exit $rc, $(cat "$TMP/err")"
finish
