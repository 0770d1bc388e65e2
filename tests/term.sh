#!/bin/sh
# term.sh - a terminal type the terminfo database does not know (or none):
# one line says so and iopstop goes on without the view, the command's
# output on the terminal as usual and the summary at exit; never a blank
# screen with the output hidden in a file.
set -u
if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP: tmux is not installed (the test needs a terminal)"
	exit 77
fi
: "${IOPSTOP:?IOPSTOP not set}"
command -v strace >/dev/null || { echo "SKIP: strace is needed"; exit 77; }

T="tmux -L iopstop-$$-term -f /dev/null"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-term.XXXXXX") || exit 99
cleanup() { $T kill-server >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
$T new-session -d -s keep "sleep 3600" || exit 99
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# run WHAT ENV...: iopstop in a pane with that environment
run() {
	what=$1; shift
	$T kill-session -t t >/dev/null 2>&1
	rm -f "$tmp/status"
	$T new-session -d -s t -x 100 -y 30 "env $* \"$IOPSTOP\" -d 0.2 -- sh -c \
'echo visible-output; sleep 0.3'; echo \$? >\"$tmp/status\"; sleep 60" || exit 99
	n=300
	while [ ! -s "$tmp/status" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	$T capture-pane -p -t t > "$tmp/screen"
	st=$(cat "$tmp/status" 2>/dev/null)
	if [ "$st" = 0 ] && grep -qx visible-output "$tmp/screen" &&
	   grep -q 'iopstop summary' "$tmp/screen"; then
		ok "$what: headless, the command's output and the summary on the terminal"
	else
		fail "$what: status '$st'"; cat "$tmp/screen"
	fi
}

run "unknown TERM" TERM=nosuchterm-iopstop
[ "$(grep -c "^iopstop: terminal type 'nosuchterm-iopstop' unknown: running without the view$" \
	"$tmp/screen")" = 1 ] && ok "unknown TERM: one line says so" ||
	fail "unknown TERM: no line"
run "TERM unset" -u TERM
grep -q "^iopstop: TERM is not set: running without the view$" "$tmp/screen" &&
	ok "TERM unset: one line says so" || fail "TERM unset: no line"

# ---- --stdin: the terminal is the command's, no view ------------------------
$T kill-session -t t >/dev/null 2>&1
rm -f "$tmp/status"
$T new-session -d -s t -x 100 -y 30 "env TERM=xterm \"$IOPSTOP\" -d 0.2 --stdin -- sh -c \
'read x; echo got-\$x'; echo \$? >\"$tmp/status\"; sleep 60" || exit 99
n=200	# the shell reads once strace has started it
while ! pgrep -f "^sh -c read x" >/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
sleep 0.3
$T send-keys -t t "typed" Enter
n=300
while [ ! -s "$tmp/status" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
$T capture-pane -p -t t > "$tmp/screen"
[ "$(cat "$tmp/status" 2>/dev/null)" = 0 ] && grep -qx got-typed "$tmp/screen" &&
	grep -q 'iopstop summary' "$tmp/screen" &&
	ok "--stdin: the command read the terminal; no view, the summary at exit" ||
	{ fail "--stdin: status '$(cat "$tmp/status" 2>/dev/null)'"; cat "$tmp/screen"; }

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
exit 0
