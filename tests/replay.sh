#!/bin/sh
# replay.sh - iopstop -r of a raw strace log gives the counts a live run
# gives; bad logs are clear errors.
. "$srcdir/tests/lib.sh"
F="$srcdir/tests/fixtures/strace"

"$IOPSTOP" -q -r "$F/workload.in" --json="$TMP/r.json"
check "fixture replays cleanly" [ $? -eq 0 ]
check "fixture: per-file counts equal the workload's" \
	"$PY" "$srcdir/tests/jsoncheck.py" files "$TMP/r.json" "$F/workload.counts.json"
check "fixture: exit_status from the trace" [ "$(jget "$TMP/r.json" exit_status)" = 42 ]

"$IOPSTOP" -q -r - --json="$TMP/stdin.json" <"$F/workload.in"
check "-r - reads standard input" \
	"$PY" "$srcdir/tests/jsoncheck.py" files "$TMP/stdin.json" "$F/workload.counts.json"
"$IOPSTOP" -q -r "$F/workload.in" --json="$TMP/r2.json"
check "replay is deterministic (same JSON twice)" cmp -s "$TMP/r.json" "$TMP/r2.json"

if command -v strace >/dev/null; then
	mkdir "$TMP/d"
	strace -f -ttt -T -y -o "$TMP/live.log" "$WORKLOAD" "$TMP/d" >"$TMP/expect.json"
	"$IOPSTOP" -q -r "$TMP/live.log" --json="$TMP/live.json"
	check "a fresh strace log gives the workload's counts" \
		"$PY" "$srcdir/tests/jsoncheck.py" files "$TMP/live.json" "$TMP/expect.json"
fi

head -c 100000 /dev/urandom >"$TMP/random"
"$IOPSTOP" -q -r "$TMP/random" --json="$TMP/rand.json" 2>"$TMP/err"
st=$?
check "random bytes: exit 1" [ $st -eq 1 ]
check "random bytes: one clear message" grep -q "neither an strace log\|not strace output" "$TMP/err"
head -c 3000 "$F/workload.in" >"$TMP/cut.log"
"$IOPSTOP" -q -r "$TMP/cut.log" --json="$TMP/cut.json" 2>"$TMP/err"
check "a log cut mid-line still reports the good part" [ -s "$TMP/cut.json" ]
"$IOPSTOP" -q -r "$TMP/nonexistent" 2>"$TMP/err"
check "missing file: exit 1" [ $? -eq 1 ]
check "missing file: names it" grep -q "nonexistent: No such file" "$TMP/err"
# Endless input: junk gives up; a valid endless stream stops on SIGTERM.
for dev in /dev/zero /dev/urandom; do
	timeout -s KILL 60 "$IOPSTOP" -q -r "$dev" 2>"$TMP/err"
	st=$?
	check "$dev: ends by itself, exit 1 (got $st)" [ $st -eq 1 ]
	check "$dev: one line" [ "$(wc -l <"$TMP/err")" -eq 1 ]
done
(while :; do cat "$F/workload.in" || exit; done) | "$IOPSTOP" -q -r - --json="$TMP/endless.json" 2>/dev/null &
ipid=$!
sleep 1
kill -TERM $ipid
n=0
while kill -0 $ipid 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
if kill -0 $ipid 2>/dev/null; then
	kill -KILL $ipid
	not_ok "an endless replay ignores SIGTERM"
else
	ok "an endless replay ends on SIGTERM"
	check "...and reports what it read" [ "$(jget "$TMP/endless.json" write.ops)" -gt 0 ]
fi
finish
