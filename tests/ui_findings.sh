#!/bin/sh
# ui_findings.sh - while a command that reads in 2 KiB pieces runs, the
# header names the finding, and the i view shows its evidence and fix.
set -u
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }
command -v strace >/dev/null 2>&1 || { echo "SKIP: strace is not installed"; exit 77; }
strace -o /dev/null true 2>/dev/null || { echo "SKIP: ptrace refused"; exit 77; }
: "${IOPSTOP:?IOPSTOP not set}" "${srcdir:?srcdir not set}"
PYBIN=/usr/bin/python3
[ -x "$PYBIN" ] || PYBIN=$(command -v python3) || { echo "SKIP: no python3"; exit 77; }

SOCK="iopstop-$$-findings"
T="tmux -L $SOCK -f /dev/null"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-uif.XXXXXX") || exit 99
cleanup() { $T kill-server >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
SES=ui
wait_for() {	# wait_for PATTERN SECONDS: on session $SES
	n=$(( $2 * 5 ))
	while [ "$n" -gt 0 ]; do
		$T capture-pane -p -t "$SES" >"$tmp/screen" 2>/dev/null
		grep -Eq -- "$1" "$tmp/screen" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	echo "--- screen while waiting for /$1/:"; cat "$tmp/screen"
	return 1
}

mkdir "$tmp/d" && "$PYBIN" "$srcdir/tests/findings_workload.py" prepare "$tmp/d" || exit 99
# Paced: 16,384 reads a millisecond apart, long enough to look at.
$T new-session -d -s ui -x 120 -y 30 \
	"env LANG=C.UTF-8 FW_PACE=0.001 \"$IOPSTOP\" --backend=strace -d 0.2 -o \"$tmp/out\" -- \
\"$PYBIN\" \"$srcdir/tests/findings_workload.py\" small-reads \"$tmp/d\" 2>\"$tmp/summary\"; \
echo \$? >\"$tmp/status\"; sleep 60" || exit 99
if wait_for '\[small-reads\] [0-9]+% of .* reads on .*big\.dat' 30; then
	grep -q 'running' "$tmp/screen" && ok "the header names the finding while the command runs" ||
		fail "finding shown only after the end"
else
	fail "no finding in the header"
fi
$T send-keys -t ui i
if wait_for 'Insights: 1 finding' 5; then ok "i opens the insights view"; else fail "i view"; fi
grep -q 'many small reads' "$tmp/screen" && ok "its title" || fail "title"
grep -q 'file .*big\.dat' "$tmp/screen" && ok "its file" || fail "file"
grep -q 'fix .*buffering=' "$tmp/screen" && ok "its advice" || fail "advice"
$T send-keys -t ui i
wait_for 'ops by size' 5 && ok "i again: back to the heatmap" || fail "i again"
$T send-keys -t ui q; $T send-keys -t ui q	# q asks while the command runs
n=100
while [ ! -s "$tmp/status" ] && [ "$n" -gt 0 ]; do sleep 0.2; n=$((n - 1)); done
grep -q '^  \[small-reads\] ' "$tmp/summary" && ok "the summary has the block" || fail "summary block"

# A run that ends inside its first interval (-d 60): the view still shows
# the finding once the command has ended, as the summary does.
$T new-session -d -s ui2 -x 120 -y 30 \
	"env LANG=C.UTF-8 \"$IOPSTOP\" --backend=strace -d 60 -o \"$tmp/out2\" -- \
\"$PYBIN\" \"$srcdir/tests/findings_workload.py\" small-reads \"$tmp/d\"; sleep 60" || exit 99
$T kill-session -t ui 2>/dev/null	# after ui2 exists: the server stays up
SES=ui2
if wait_for '\[exited 0\]' 60 && wait_for '\[small-reads\]' 5; then
	ok "a run shorter than an interval: the header names the finding at its end"
else
	fail "a run shorter than an interval: no finding in the header"
fi
echo "$fails failed"
[ "$fails" -eq 0 ]
