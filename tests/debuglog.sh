#!/bin/sh
# debuglog.sh - -v writes a debug log that says what ran and how it ended,
# with control bytes escaped; a log that cannot be opened is an error.
. "$srcdir/tests/lib.sh"
command -v strace >/dev/null || { echo "SKIP: strace is not installed"; exit 77; }

esc=$(printf '\033[31mred')
mkdir "$TMP/d$esc"
"$IOPSTOP" -q --backend=strace -v"$TMP/log" --json="$TMP/r.json" -- "$WORKLOAD" "$TMP/d$esc" >/dev/null 2>&1
check "the command's exit status is kept" [ $? -eq 42 ]
check "the log names the version" grep -q "iopstop $("$IOPSTOP" -V | cut -d' ' -f2)" "$TMP/log"
check "the log names the source" grep -q '\] source: strace$' "$TMP/log"
check "the log has strace's command line with its -o channel" \
	grep -q '\] strace: .*strace -f .* -o /proc/[0-9]*/fd/[0-9]* --$' "$TMP/log"
lines=$(jget "$TMP/r.json" lines)
check "the log's line count is the report's ($lines)" \
	grep -q "ended after [0-9.]* s: $lines lines, 0 unparsed" "$TMP/log"
check "the exit status is logged" grep -q 'exit status 42' "$TMP/log"
check "an escape byte in argv is written escaped" grep -q '\\x1b\[31mred' "$TMP/log"
check "no raw control byte in the log" [ "$(tr -d '\n' < "$TMP/log" | tr -d '[:print:]' | wc -c)" -eq 0 ]

# Appends: a second run adds to the same file.
n1=$(wc -l < "$TMP/log")
"$IOPSTOP" -q --verbose="$TMP/log" -r "$srcdir/tests/fixtures/strace/forms.in" >/dev/null 2>&1
check "a second run appends" [ "$(wc -l < "$TMP/log")" -gt "$n1" ]
check "a replay logs its file" grep -q "\] source: strace; replaying $srcdir/tests/fixtures/strace/forms.in\$" "$TMP/log"

"$IOPSTOP" -v"$TMP/no/such/dir/log" -- true >"$TMP/out" 2>"$TMP/err"
check "an unwritable log is exit 1" [ $? -eq 1 ]
check "one line naming the log" [ "$(wc -l < "$TMP/err")" -eq 1 ] && grep -q "cannot open the log $TMP/no/such/dir/log" "$TMP/err"
finish
