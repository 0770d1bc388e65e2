#!/bin/sh
# ui_tmux.sh - the live view in a private tmux server at a fixed size:
# totals and heat cells where the demo's phases were, every key, resizes,
# LANG=C (ASCII only), TERM=vt100, q while the command runs, the summary.
set -u
if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP: tmux is not installed (the live view suite needs it)"
	exit 77
fi
: "${IOPSTOP:?IOPSTOP not set}" "${DEMO:?DEMO not set}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-ui.XXXXXX") || exit 99
# A server of our own, its socket in our own directory (not tmux's shared
# /tmp/tmux-UID, where other tests and users start and kill servers).
T="tmux -S $tmp/tmux.sock -f /dev/null"
# new_session ARGS...: a new session, tried again when the server could
# not start ("server exited unexpectedly" on a loaded machine).
new_session() {
	for try in 1 2 3 4 5; do
		$T new-session "$@" && return 0
		sleep 1
	done
	return 1
}
spid=
cleanup() { $T kill-server >/dev/null 2>&1; [ -z "$spid" ] || kill "$spid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
# A session that outlives every "ui" one: killing the last session ends the
# server, and a new-session racing its exit fails ("server exited
# unexpectedly").
$T new-session -d -s keep "sleep 3600" || exit 99
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cap() { $T capture-pane -p -t ui; }

# Every wait is for a condition, and ends as soon as it holds; the limits
# are only there so a broken build fails instead of hanging, and are long
# (x$SLOW, default 6) because `make -j8 check` on two cores makes a key
# that takes milliseconds idle take seconds.
SLOW=${UI_TMUX_SLOW:-6}

# wait_for PATTERN [SECONDS]: poll the pane until grep -E finds PATTERN
wait_for() {
	n=$(( ${2:-10} * 5 * SLOW ))
	while [ "$n" -gt 0 ]; do
		cap > "$tmp/screen" 2>/dev/null
		grep -Eq -- "$1" "$tmp/screen" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	echo "--- screen while waiting for /$1/:"; cat "$tmp/screen"
	return 1
}

# key KEY PATTERN WHAT: press KEY, expect PATTERN on screen
key() {
	$T send-keys -t ui "$1"
	if wait_for "$2" 3; then ok "$3"; else fail "$3 (key $1)"; fi
}

# start ENV...: run iopstop on the demo in a fresh 80x24 session
start() {
	$T kill-session -t ui >/dev/null 2>&1
	rm -f "$tmp/status" "$tmp/summary"
	new_session -d -s ui -x 80 -y 24 \
		"env $* \"$IOPSTOP\" -d 0.2 -o \"$tmp/out\" -- \"$DEMO\" 2>\"$tmp/summary\";\
 echo \$? >\"$tmp/status\"; sleep 60" || exit 99
}

wait_status() {
	n=$((50 * SLOW))
	while [ ! -s "$tmp/status" ] && [ "$n" -gt 0 ]; do sleep 0.2; n=$((n - 1)); done
	cat "$tmp/status" 2>/dev/null
}

# ---- 1. UTF-8, 256 colours: phases, totals, every key, resizes, q -----------
start LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
if wait_for 'exited 0' 20; then ok "finished demo stays on screen, marked exited 0"
else fail "view did not show the demo's end"; fi
grep -Eq '^ write +[0-9.K]+ +[0-9.K]+ +2\.[45]K +[0-9./sKM]+ +5[67]M' "$tmp/screen" &&
	ok "write totals: ~2.4K ops, 57M" || fail "write totals"
grep -Eq '^ read .* +5[67]M' "$tmp/screen" && ok "read totals" || fail "read totals"
grep -q "output: $tmp/out" "$tmp/screen" && ok "header names the output file" ||
	fail "output path in header"

grep -q 'whole run' "$tmp/screen" && ok "ended: the whole run fits the width" ||
	fail "ended: not the whole run"
key z 'col 200ms' "z: live intervals"
key ' ' 'paused' "space pauses"
key Left '-1 cols' "left scrolls back"
key Right ', paused' "right scrolls forward"
key ' ' 'exited 0\]' "space resumes"
key b 'bytes by size' "b: bytes"
key c 'ops by size' "c: ops"
key r 'reads ops by size' "r: reads"
key w 'writes ops by size' "w: writes"
key a 'reads\+writes ops' "a: all"
key - 'col 400ms' "- zooms out"
key + 'col 200ms' "+ zooms in"
key l 'by duration' "l: latency heatmap"
key l 'ops by size' "l again: back"
key h 'Size histogram' "h: histogram"
key f 'Files: ' "f: files"
grep -q 'small.dat' "$tmp/screen" && ok "files lists small.dat" || fail "files view content"
key s 'by bytes' "s: sort files"
key / 'filter: _' "/: filter prompt"
$T send-keys -t ui l a r g e Enter
wait_for 'Files: 1,' 3 && ok "filter keeps large.dat" || fail "files filter"
key p 'Processes: ' "p: processes"
key '?' 'Keys' "?: help"
key Escape 'ops by size' "Esc: heatmap"
key z 'whole run' "z again: the whole run"
key + 'run x2' "+ zooms into the whole run"
key Left 'run x2' "left scrolls the zoomed run"
key - 'whole run' "- back to the whole run"

for sz in 200x60 80x24 40x12 20x5 80x24; do
	$T resize-window -t ui -x "${sz%x*}" -y "${sz#*x}"
	case $sz in
	20x5) want='too small' ;;
	*) want='exited 0' ;;
	esac
	wait_for "$want" 3 && ok "resize to $sz" || fail "resize to $sz"
done
$T send-keys -t ui q
st=$(wait_status)
[ "$st" = 0 ] && ok "q: exit status 0" || fail "exit status after q: '$st'"
grep -q 'iopstop summary' "$tmp/summary" && grep -q "command output: $tmp/out" "$tmp/summary" &&
	ok "summary after the view" || { fail "summary"; cat "$tmp/summary"; }

# ---- 2. LANG=C, TERM=vt100: ASCII only; heat cells where the phases were ----
start LANG=C LC_ALL=C TERM=vt100
if wait_for 'exited 0' 20; then ok "vt100 / LANG=C view"; else fail "vt100 view"; fi
if LC_ALL=C grep -q '[^ -~]' "$tmp/screen"; then
	fail "LANG=C screen has non-ASCII bytes"; LC_ALL=C grep -n '[^ -~]' "$tmp/screen" | head -3
else
	ok "LANG=C: only ASCII on screen"
fi
# first lit column of the row labelled $1 (or of the merged row holding it,
# labelled LO-HI by its buckets)
first_col() {
	awk -v lab="$1" '
		{ i = index($0, "|"); if (i < 2) next
		  l = substr($0, 1, i - 1); gsub(/ /, "", l) }
		l == lab || index(l, lab "-") == 1 || (length(l) > length(lab) &&
			substr(l, length(l) - length(lab)) == "-" lab) {
			rest = substr($0, i + 1)
			if (match(rest, /[^ ]/)) print RSTART
			exit
		}' "$tmp/screen"
}
small=$(first_col 1K) large=$(first_col 1M)
if [ -n "$small" ] && [ -n "$large" ] && [ "$small" -lt "$large" ]; then
	ok "heat: 1K writes (col $small) before 1M writes (col $large)"
else
	fail "heat cells: 1K row at '$small', 1M row at '$large'"; cat "$tmp/screen"
fi
$T send-keys -t ui q
st=$(wait_status)
[ "$st" = 0 ] && ok "vt100: exit 0" || fail "vt100 exit status '$st'"

# ---- 3. q while the command runs ends it; NO_COLOR ---------------------------
$T kill-session -t ui >/dev/null 2>&1
rm -f "$tmp/status"
new_session -d -s ui -x 80 -y 24 \
	"env NO_COLOR=1 TERM=xterm \"$IOPSTOP\" -o \"$tmp/out\" -- \"$DEMO\" --loop 2>\"$tmp/summary\";\
 echo \$? >\"$tmp/status\"; sleep 60" || exit 99
wait_for 'running' 10 || fail "looping demo not shown running"
$T send-keys -t ui q	# asks first (tests/ui_quit.sh); the second q ends it
wait_for 'command still running' 5 || fail "q while running: no question"
$T send-keys -t ui q
st=$(wait_status)
# the demo ends cleanly on SIGTERM (exit 0); a plain command would give 143
[ -n "$st" ] && ok "q ends a running command (status $st)" ||
	fail "q while running: the command went on"
grep -q 'iopstop summary' "$tmp/summary" && ok "summary after q" || fail "summary after q"

# ---- 4. hostile file names are drawn escaped ---------------------------------
bad="$tmp/$(printf 'x\033[31mred\233y')"
: > "$bad"
$T kill-session -t ui >/dev/null 2>&1
rm -f "$tmp/status"
new_session -d -s ui -x 100 -y 24 \
	"env LANG=C.UTF-8 TERM=xterm \"$IOPSTOP\" -o \"$tmp/out\" -- sh -c 'cat \"$tmp\"/x*y' 2>/dev/null;\
 echo \$? >\"$tmp/status\"; sleep 60" || exit 99
wait_for 'exited 0' 10 || fail "hostile: command not shown exited"
$T send-keys -t ui f
if wait_for 'x\\033\[31mred\\x9by' 3; then ok "hostile name escaped in the files view"
else fail "hostile name not escaped"; fi
$T send-keys -t ui q
wait_status >/dev/null

# ---- 5. SIGHUP in the view: leave quietly, the command goes on ---------------
$T kill-session -t ui >/dev/null 2>&1
rm -f "$tmp/status" "$tmp/flag"
new_session -d -s ui -x 80 -y 24 \
	"\"$IOPSTOP\" -o \"$tmp/out\" -- sh -c 'while [ ! -e \"$tmp/go\" ]; do sleep 0.05; done; echo done >\"$tmp/flag\"' 2>/dev/null;\
 echo \$? >\"$tmp/status\"; sleep 60" || exit 99
wait_for 'running' 5 || fail "hup: view not up"
pane=$($T display -p -t ui '#{pane_pid}')
kill -HUP $(pgrep -P "$pane" -x iopstop 2>/dev/null || pgrep -P "$pane") 2>/dev/null
: >"$tmp/go"	# the command ends after the hangup, whatever the load
st=$(wait_status)
if [ "$st" = 0 ] && [ -s "$tmp/flag" ]; then ok "SIGHUP: the command ran to its end"
else fail "SIGHUP: status '$st', flag $(cat "$tmp/flag" 2>/dev/null)"; fi

# ---- 6. Every backend keeps the command's output off the screen -------------
printf 'echo "out-$1-$((1+1))"; echo "err-$1-$((2+1))" >&2; sleep 0.5\n' > "$tmp/noisy.sh"
for b in strace proc preload; do
	[ "$b" = preload ] && [ -z "${IOPSTOP_PRELOAD_LIB:-}" ] && continue
	$T kill-session -t ui >/dev/null 2>&1
	rm -f "$tmp/status" "$tmp/out-$b"
	new_session -d -s ui -x 80 -y 24 \
		"\"$IOPSTOP\" --backend=$b -o \"$tmp/out-$b\" -- sh \"$tmp/noisy.sh\" $b 2>/dev/null;\
 echo \$? >\"$tmp/status\"; sleep 60" || exit 99
	wait_for 'exited 0' 10 || fail "$b: command not shown exited"
	if grep -q "out-$b-2\|err-$b-3" "$tmp/screen"; then fail "$b: the command's output is on the screen"
	elif grep -q "out-$b-2" "$tmp/out-$b" && grep -q "err-$b-3" "$tmp/out-$b"; then
		ok "$b: the command's output and errors went to -o, not the screen"
	else fail "$b: -o file holds '$(cat "$tmp/out-$b" 2>/dev/null)'"; fi
	$T send-keys -t ui q
	wait_status >/dev/null
done

# ---- 7. -n closes the view; attached, the header says detached --------------
$T kill-session -t ui >/dev/null 2>&1
rm -f "$tmp/status"
new_session -d -s ui -x 80 -y 24 \
	"\"$IOPSTOP\" -n 2 -d 0.2 -o \"$tmp/out\" -- sleep 30 2>/dev/null; echo \$? >\"$tmp/status\"; sleep 60" || exit 99
st=$(wait_status)
[ "$st" = 143 ] && ok "-n 2 ends the command (SIGTERM) and closes the view" ||
	fail "-n 2 in the view: status '$st'"
sleep 600 & spid=$!	# outlives every wait below, killed at the end
$T kill-session -t ui >/dev/null 2>&1
rm -f "$tmp/status"
new_session -d -s ui -x 80 -y 24 \
	"\"$IOPSTOP\" -d 0.2 -p $spid 2>/dev/null; echo \$? >\"$tmp/status\"; sleep 60" || exit 99
wait_for 'running' 5 || fail "attach: view not up"
$T send-keys -t ui C-c
st=$(wait_status)	# with -p, Ctrl-C detaches and quits
[ "$st" = 0 ] && ok "Ctrl-C while attached: detached and quit" ||
	fail "Ctrl-C while attached: status '$st'"
kill -0 $spid 2>/dev/null && ok "the attached process goes on" || fail "the attached process is gone"
kill $spid 2>/dev/null

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
exit 0
