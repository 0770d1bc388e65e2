#!/bin/sh
# replay_twice.sh - a recording whose header appears again in the middle
# (two recordings concatenated, a damaged file) is a bad line that names
# itself, never a crash (issue 13, point 10: it was a heap use-after-free,
# record_parse freeing the command array run_info still pointed to).  The
# first recording is replayed; its command stays in the JSON.
. "$srcdir/tests/lib.sh"

"$IOPSTOP" -q -w "$TMP/one.rec" -- sh -c 'echo hi >"$1"; cat "$1" >/dev/null' sh "$TMP/f"
check "recorded" [ -s "$TMP/one.rec" ]
cat "$TMP/one.rec" "$TMP/one.rec" >"$TMP/two.rec"
n1=$(wc -l <"$TMP/one.rec")
"$IOPSTOP" -q -r "$TMP/two.rec" --json="$TMP/two.json" --svg="$TMP/two.svg" --heatmap \
	>"$TMP/out" 2>"$TMP/err"
st=$?
check "two recordings: exit 1, not a crash (got $st)" [ $st -eq 1 ]
check "two recordings: the error names the second header's line ($((n1 + 1)))" \
	grep -q "two.rec:$((n1 + 1)): a second '# iopstop-recording' line" "$TMP/err"
check "two recordings: one line" [ "$(wc -l <"$TMP/err")" -eq 1 ]
"$IOPSTOP" -q -r "$TMP/one.rec" --json="$TMP/one.json"
check "two recordings: the command from the first header" \
	[ "$(jget "$TMP/two.json" command)" = "$(jget "$TMP/one.json" command)" ]
check "...which is the recorded one" grep -q '"command": \["sh", "-c", "echo hi' "$TMP/two.json"
check "two recordings: the first one's counts" \
	[ "$(jget "$TMP/two.json" total.ops)" = "$(jget "$TMP/one.json" total.ops)" ]

# A second '# command' in the header: the same, and the first one counts.
sed '2p' "$TMP/one.rec" >"$TMP/cmd2.rec"
"$IOPSTOP" -q -r "$TMP/cmd2.rec" --json="$TMP/cmd2.json" 2>"$TMP/err2"
check "a second '# command' line: exit 1" [ $? -eq 1 ]
check "...named, line 3" grep -q "cmd2.rec:3: a second '# command' line" "$TMP/err2"
check "...the JSON still has the command" [ "$(jget "$TMP/cmd2.json" command)" = "$(jget "$TMP/one.json" command)" ]

# Under valgrind, when there is one: no invalid read (the bug itself).  Not
# on a sanitizer build: valgrind cannot run one (TSan's shadow memory made
# it hang for minutes at 17 GB); that build checks the same on its own.
if command -v valgrind >/dev/null 2>&1 &&
   ! grep -aq -e __tsan_init -e __asan_init "$IOPSTOP"; then
	valgrind -q --error-exitcode=99 "$IOPSTOP" -q -r "$TMP/two.rec" --json=/dev/null \
		2>"$TMP/vg" >/dev/null
	st=$?
	check "valgrind: no memory error (exit $st)" [ $st -ne 99 ]
fi
finish
