#!/bin/sh
# ui_quit.sh - leaving the view while the command runs: q asks first (Esc
# and n keep watching, a second q ends it with SIGTERM); Ctrl-C reaches the
# command as in a shell and the view closes once it has ended (exit 130);
# a command that ignores Ctrl-C is named as such; exit(130) is "exited 130",
# not "killed by SIGINT".  In a private tmux server, waiting for the screen.
set -u
if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP: tmux is not installed"
	exit 77
fi
: "${IOPSTOP:?IOPSTOP not set}" "${srcdir:?srcdir not set}"
command -v strace >/dev/null || { echo "SKIP: strace is needed"; exit 77; }

T="tmux -L iopstop-$$-quit -f /dev/null"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-quit.XXXXXX") || exit 99
cleanup() { $T kill-server >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
# A session that stays, so that the server never exits between two runs
# (a new session racing a dying server: "server exited unexpectedly").
$T new-session -d -s keep "sleep 3600" || exit 99
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cap() { $T capture-pane -p -t q; }

# wait_for ERE [SECONDS]: poll the pane until grep -E finds it
wait_for() {
	n=$(( ${2:-10} * 10 ))
	while [ "$n" -gt 0 ]; do
		cap > "$tmp/screen" 2>/dev/null
		grep -Eq -- "$1" "$tmp/screen" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	echo "--- screen while waiting for /$1/:"; cat "$tmp/screen"
	return 1
}

# start COMMAND...: iopstop on it in a fresh session; status to $tmp/status
start() {
	$T kill-session -t q >/dev/null 2>&1
	rm -f "$tmp/status"
	$T new-session -d -s q -x 80 -y 24 "env TERM=xterm \"$IOPSTOP\" -d 0.2 -- $* \
2>\"$tmp/summary\"; echo \$? >\"$tmp/status\"; sleep 60" || exit 99
}

# the command itself runs (not only strace): Ctrl-C is then its own
cmd_up() {
	n=200
	while ! pgrep -f '^sleep 30$' >/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	sleep 0.2	# past exec: the shell's trap is in place
}

jget_ok() { /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null; }

wait_status() { # [SECONDS]
	n=$(( ${1:-20} * 10 ))
	while [ ! -s "$tmp/status" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	cat "$tmp/status" 2>/dev/null
}

# ---- q asks; Esc and n keep watching; q q ends it ---------------------------
start sleep 30
wait_for 'running' 20 || fail "view not up"
$T send-keys -t q q
wait_for 'command still running: q end it \(SIGTERM\)' 5 && ok "q asks in the footer" ||
	fail "q: no question"
[ -s "$tmp/status" ] && fail "q alone ended the run"
$T send-keys -t q Escape
wait_for '^q:quit' 5 && ok "Esc: the footer is back" || fail "Esc: footer"
$T send-keys -t q n		# a stray n is a key like any other
$T send-keys -t q q
wait_for 'command still running' 5 || fail "second question"
$T send-keys -t q n
wait_for '^q:quit' 5 && ok "n keeps watching" || fail "n: footer"
grep -q 'running' "$tmp/screen" && [ ! -s "$tmp/status" ] &&
	ok "the command goes on after Esc and n" || fail "the command stopped"
$T send-keys -t q q
wait_for 'command still running' 5 || fail "third question"
$T send-keys -t q q
st=$(wait_status)
[ "$st" = 143 ] && ok "q q ends the command with SIGTERM (status 143)" ||
	fail "q q: status '$st'"

# ---- Ctrl-C: the command's SIGINT, the view closes, exit 130 ---------------
start sleep 30
wait_for 'running' 20 || fail "Ctrl-C: view not up"
cmd_up
$T send-keys -t q C-c
st=$(wait_status 10)
[ "$st" = 130 ] && ok "Ctrl-C: the command died of SIGINT, iopstop exits 130" ||
	fail "Ctrl-C: status '$st'"
[ "$($T display -p -t q '#{alternate_on}')" = 0 ] && ok "Ctrl-C: the view has closed" ||
	fail "Ctrl-C: still in the view"
grep -q 'iopstop summary' "$tmp/summary" && ok "Ctrl-C: the summary follows" ||
	fail "Ctrl-C: no summary"

# ---- Ctrl-C without the view (-b): passed on, iopstop reports, 130 --------
$T kill-session -t q >/dev/null 2>&1
rm -f "$tmp/status"
$T new-session -d -s q -x 80 -y 24 "env TERM=xterm \"$IOPSTOP\" -b -d 0.2 -- sleep 30 \
2>\"$tmp/summary\"; echo \$? >\"$tmp/status\"; sleep 60" || exit 99
cmd_up
$T send-keys -t q C-c
st=$(wait_status 10)
[ "$st" = 130 ] && grep -q 'iopstop summary' "$tmp/summary" &&
	ok "-b: Ctrl-C reaches the command (130), the summary follows" || fail "-b Ctrl-C: status '$st'"

# ---- a command that ignores Ctrl-C: said so, the view stays ----------------
start sh -c "'trap \"\" INT; exec sleep 30'"
wait_for 'running' 20 || fail "ignored: view not up"
cmd_up
$T send-keys -t q C-c
wait_for 'ignores Ctrl-C' 5 && ok "a command that ignores Ctrl-C is named" ||
	fail "ignored Ctrl-C not said"
sleep 0.5
[ -s "$tmp/status" ] && fail "the view closed though the command goes on" ||
	ok "the view stays while the command goes on"
$T send-keys -t q q
wait_for 'command still running' 5 || fail "ignored: question"
$T send-keys -t q y
st=$(wait_status)
[ "$st" = 143 ] && ok "y ends it (143)" || fail "y: status '$st'"

# ---- exit(130) is an exit, not a signal --------------------------------------
start sh -c "'exit 130'"
wait_for 'exited 130' 20 && ok "exit(130): the header says exited 130" ||
	fail "exit(130): header '$(head -n 1 "$tmp/screen")'"
$T send-keys -t q q
st=$(wait_status)
[ "$st" = 130 ] && ok "exit(130): status 130" || fail "exit(130): status '$st'"

# ---- Ctrl-Z (view and -b) stops the command and iopstop as one job; fg ----
if [ -x /usr/bin/python3 ] && command -v bash >/dev/null; then
for zb in view -b; do
	z=$tmp/z$zb; zf=; [ $zb = -b ] && zf=-b
	$T kill-session -t q >/dev/null 2>&1
	$T new-session -d -s q -x 80 -y 24 "env TERM=xterm bash --norc --noprofile -i" || exit 99
	w="$srcdir/tests/hangup_writer.py"
	$T send-keys -t q "\"$IOPSTOP\" --exit $zf -d 0.2 -q --json=\"$z.json\" -- /usr/bin/python3 \
\"$w\" \"$z\"" Enter
	n=300
	while [ ! -s "$z.started" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	$T send-keys -t q C-z
	wpid=$(pgrep -f "^/usr/bin/python3 .*hangup_writer.py $z\$" | head -n 1)
	n=100	# stopped: T, or t (stopped under strace)
	while ! grep -q '^State:.[Tt]' /proc/$wpid/status 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
	grep -q '^State:.[Tt]' /proc/$wpid/status 2>/dev/null && ok "$zb: Ctrl-Z stops the command" ||
		fail "$zb: Ctrl-Z: the command is $(grep State /proc/$wpid/status 2>/dev/null)"
	sleep 3	# longer than the job: it must not have gone on
	[ ! -e "$z.done" ] && ok "$zb: the stopped command stays stopped" ||
		fail "$zb: the command went on after Ctrl-Z"
	$T send-keys -t q "fg" Enter
	n=300
	while ! jget_ok "$z.json" && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -s "$z.done" ] && grep -q '"exit_status": 0' "$z.json" 2>/dev/null &&
		ok "$zb: fg resumes both: the job ends, exit 0" ||
		fail "$zb: fg: done '$(cat "$z.done" 2>/dev/null)', JSON $(head -c 200 "$z.json" 2>/dev/null)"
done
else
	echo "note: no /usr/bin/python3 or bash: Ctrl-Z not tried"
fi

# ---- attached: q detaches at once ---------------------------------------------
sleep 30 & spid=$!
$T kill-session -t q >/dev/null 2>&1
rm -f "$tmp/status"
$T new-session -d -s q -x 80 -y 24 "env TERM=xterm \"$IOPSTOP\" -d 0.2 -p $spid \
2>/dev/null; echo \$? >\"$tmp/status\"; sleep 60" || exit 99
wait_for 'running' 20 || fail "attach: view not up"
$T send-keys -t q q
st=$(wait_status)
[ "$st" = 0 ] && kill -0 $spid 2>/dev/null && ok "-p: q detaches at once, the process goes on" ||
	fail "-p: q: status '$st'"
kill $spid 2>/dev/null

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
exit 0
