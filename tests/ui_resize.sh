#!/bin/sh
# ui_resize.sh - a storm of resizes: SIGWINCH about a hundred times a
# second for two seconds, with the tmux window really changing size among
# them.  The view survives, redraws whole (no leftovers), q still quits,
# and the terminal is given back (main screen, cursor shown).
set -u
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
: "${IOPSTOP:?IOPSTOP not set}" "${DEMO:?DEMO not set}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-resize.XXXXXX") || exit 99
T="tmux -S $tmp/tmux.sock -f /dev/null"	# our own socket, not the shared /tmp/tmux-UID
trap '$T kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cap() { $T capture-pane -p -t ui >"$tmp/screen" 2>/dev/null; }
wait_for() { # wait_for ERE [SECONDS]
	n=$(( ${2:-10} * 5 ))
	while [ $n -gt 0 ]; do
		cap
		grep -Eq -- "$1" "$tmp/screen" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	echo "--- screen while waiting for /$1/:"; cat "$tmp/screen"
	return 1
}

$T new-session -d -s ui -x 80 -y 24 "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \
 \"$IOPSTOP\" -d 0.2 -o \"$tmp/out\" -- \"$DEMO\" --loop 2>\"$tmp/err\"; echo \$? >\"$tmp/status\"; sleep 60" || exit 99
wait_for 'running' 20 || { fail "view not up"; exit 1; }
pane=$($T display -p -t ui '#{pane_pid}')
pid=$(pgrep -P "$pane" -x iopstop | head -n 1)
[ -n "$pid" ] || { fail "no iopstop under the pane"; exit 1; }

# ~200 SIGWINCH in ~2 s; every tenth, a real size change.
i=0
for sz in 100x30 60x20 120x40 80x24 90x26 70x22 80x24 200x50 80x24 81x25 \
	  100x30 60x20 120x40 80x24 90x26 70x22 80x24 200x50 80x24 80x24; do
	$T resize-window -t ui -x "${sz%x*}" -y "${sz#*x}" 2>/dev/null
	j=0
	while [ $j -lt 10 ]; do
		kill -WINCH "$pid" 2>/dev/null || break
		sleep 0.01
		j=$((j + 1))
		i=$((i + 1))
	done
done
kill -0 "$pid" 2>/dev/null && ok "alive after $i SIGWINCH and 20 resizes" ||
	fail "iopstop died in the resize storm"

# Settled at 80x24: a whole, fresh screen.
sleep 1
wait_for 'running' 10 && ok "still drawing" || fail "not drawing after the storm"
cap
rows=$(wc -l <"$tmp/screen")
[ "$rows" -eq 24 ] && ok "24 rows" || fail "$rows rows captured"
head -n 1 "$tmp/screen" | grep -Eq "running\] (strace|preload)" && ok "header on row 1" ||
	fail "row 1 is not the header: $(head -n 1 "$tmp/screen")"
tail -n 1 "$tmp/screen" | grep -q '^q:quit' && ok "key line on the last row" ||
	fail "last row: $(tail -n 1 "$tmp/screen")"
[ "$(grep -c -- '^ *+[-─|].*[-─]\{5,\}' "$tmp/screen")" -eq 1 ] && ok "one time axis" ||
	{ fail "time axis count"; cat "$tmp/screen"; }
w=$(LC_ALL=C.UTF-8 wc -L <"$tmp/screen")
[ "$w" -le 80 ] && ok "nothing past column 80" || fail "rows $w columns wide"
grep -q 'too small' "$tmp/screen" && fail "still 'too small'" || ok "no 'too small' left over"
# A second look a moment later: the same layout (no half-drawn frame).
sleep 0.5
$T capture-pane -p -t ui | sed -n '1p;$p' | cut -c1-20 >"$tmp/again"
sed -n '1p;$p' "$tmp/screen" | cut -c1-20 | cmp -s - "$tmp/again" && ok "stable layout" ||
	fail "layout changed between two looks"

$T send-keys -t ui q	# asks first: the command still runs
wait_for 'command still running' 5 || fail "q: no question"
$T send-keys -t ui q
n=100
while [ ! -s "$tmp/status" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -s "$tmp/status" ] && ok "q quits after the storm (status $(cat "$tmp/status"))" ||
	fail "q did not quit"
sleep 0.3
[ "$($T display -p -t ui '#{alternate_on}')" = 0 ] && ok "main screen restored" ||
	fail "still in the alternate screen"
[ "$($T display -p -t ui '#{cursor_flag}')" = 1 ] && ok "cursor shown again" ||
	fail "cursor still hidden"
grep -q 'iopstop summary' "$tmp/err" && ok "summary after the view" || fail "no summary"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
exit 0
