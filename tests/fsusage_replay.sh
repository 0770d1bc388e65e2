#!/bin/sh
# fsusage_replay.sh - iopstop -r of an fs_usage -w log (captured on a Mac,
# analysed anywhere): exact totals, per-file and per-process counts; strace
# logs are never taken for fs_usage ones.
. "$srcdir/tests/lib.sh"
F="$srcdir/tests/fixtures/fsusage"

"$IOPSTOP" -q -r "$F/whole.in" --json="$TMP/r.json"
check "fs_usage log replays cleanly" [ $? -eq 0 ]
check "backend is fs_usage" [ "$(jget "$TMP/r.json" backend)" = fs_usage ]
check "exact totals, disk, files and processes" \
	"$PY" "$srcdir/tests/jsoncheck.py" fsusage "$TMP/r.json" "$F/whole.counts.json"
check "the log's span, across midnight (2.62 s)" \
	[ "$(jget "$TMP/r.json" elapsed_s)" = 2.620345 ]

"$IOPSTOP" -q -r - --json="$TMP/stdin.json" <"$F/whole.in"
check "-r - reads an fs_usage log from standard input" \
	"$PY" "$srcdir/tests/jsoncheck.py" fsusage "$TMP/stdin.json" "$F/whole.counts.json"

# A line that is not fs_usage's in the middle: counted, reported, exit 1.
{ head -n 100 "$F/whole.in"; echo "garbage"; tail -n +101 "$F/whole.in"; } >"$TMP/bad.in"
"$IOPSTOP" -q -r "$TMP/bad.in" --json="$TMP/bad.json" 2>"$TMP/err"
check "a bad line: exit 1" [ $? -eq 1 ]
check "a bad line: named with its number" grep -q "bad.in:101: not fs_usage output" "$TMP/err"
check "a bad line: the rest still counted" [ "$(jget "$TMP/bad.json" unparsed)" = 1 ]

# Every strace fixture is still strace.
for f in "$srcdir"/tests/fixtures/strace/*.in; do
	"$IOPSTOP" -q -r "$f" --json="$TMP/s.json" 2>/dev/null
	b=$(jget "$TMP/s.json" backend)
	[ "$b" = strace ] || not_ok "$(basename "$f") taken as $b"
done
ok "strace fixtures stay strace"

finish
