#!/bin/bash
# ui_pick.sh - iopstop with no arguments in a terminal: the process list,
# busiest first; the selection follows its process when the list
# re-sorts; Enter watches the selected one; q in its view comes back.
. "$srcdir/tests/attach_lib.sh"
command -v tmux >/dev/null || skip "tmux is not installed"
[ -r /proc/self/io ] || skip "/proc/PID/io is not available"
# Only our writers in the list: run them and iopstop as nobody.
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null || skip "needs root and setpriv (a user of its own)"
RUNAS="setpriv --reuid=65534 --regid=65534 --clear-groups"
$RUNAS test -x "$IOPSTOP" || skip "nobody cannot run $IOPSTOP from here"
chmod 755 "$tmp"
WDIR=$tmp/u
mkdir "$WDIR" && chmod 777 "$WDIR"
T="tmux -S $tmp/tmux.sock -f /dev/null"	# our own socket, not the shared /tmp/tmux-UID
trap '$T kill-server >/dev/null 2>&1; cleanup' EXIT

start_writer fast 0;     a=$wpid
start_writer medium 2000; b=$wpid
start_writer slow 50000; c=$wpid

cap() { $T capture-pane -p -t pick > "$tmp/screen"; }
wait_for() { # PATTERN SECONDS (x6: a loaded machine is slow; met, it ends at once)
	local n=$(( $2 * 30 ))
	while [ $n -gt 0 ]; do cap; grep -Eq -- "$1" "$tmp/screen" && return 0; sleep 0.2; n=$((n - 1)); done
	echo "--- screen while waiting for /$1/:"; cat "$tmp/screen"; return 1
}
$T new-session -d -s pick -x 120 -y 20 "$RUNAS env TERM=xterm LANG=C.UTF-8 \"$IOPSTOP\" -d 0.5; sleep 60" || exit 99
# Rows start with the PID (paths may be cut at this width).
rows() { awk -v a=$a -v b=$b -v c=$c '$1 == a {print "fast"} $1 == b {print "medium"} $1 == c {print "slow"}' "$tmp/screen" | tr '\n' ' '; }
wait_for "^ *$c " 10 || fail "the list does not show the writers"
# The order settles after a refresh or two (-d 0.5): wait for it.
n=600
while cap && order=$(rows) && [ "$order" != "fast medium slow " ] && [ $n -gt 0 ]; do
	sleep 0.1; n=$((n - 1))
done
[ "$order" = "fast medium slow " ] || fail "not busiest first: $order"
ok "busiest first: $order"
$T send-keys -t pick Down
sleep 0.3
kill $a
# After the re-sort medium is first and slow second; the selection must
# still be on medium.
n=600	# fast is gone from the list: the re-sort happened
while cap && [ "$(rows)" != "medium slow " ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
$T send-keys -t pick Enter
wait_for "(running|every)" 10 || fail "Enter did not open a view"
# Watched means traced: medium has a tracer, slow none (names may be cut
# on screen; /proc is exact).
n=1200
while getf /proc/$b/status TracerPid && [ "$REPLY" = 0 ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
[ "$REPLY" != 0 ] || fail "Enter did not watch the selected (medium) writer"
getf /proc/$c/status TracerPid
[ "$REPLY" = 0 ] || fail "Enter watched slow, not the selected medium"
ok "the selection followed medium through the re-sort; Enter watches it"
$T send-keys -t pick q
wait_for "^ *$c " 10 || fail "q did not come back to the list"
ok "q comes back to the list"
# A hangup in a view from the list ends iopstop (no list to a dead terminal).
$T send-keys -t pick Enter
wait_for "(running|every)" 10 || fail "Enter did not open a view the second time"
ipid=$(pgrep -u 65534 -x iopstop | head -n 1)
$T kill-server
n=600
while [ -n "$ipid" ] && kill -0 "$ipid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
if [ -n "$ipid" ] && kill -0 "$ipid" 2>/dev/null; then
	kill -9 "$ipid"
	fail "iopstop $ipid still runs 60 s after the terminal hung up"
else
	ok "a hangup in the view ends iopstop"
fi
unharmed $b "after watching from the list"
exit 0
