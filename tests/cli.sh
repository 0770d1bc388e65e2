#!/bin/sh
# cli.sh - usage errors: one line, exit 2; runtime errors exit 1.
. "$srcdir/tests/lib.sh"

usage() { # usage DESCRIPTION ARGS...: exit 2 with exactly one line
	what=$1; shift
	"$IOPSTOP" "$@" >"$TMP/out" 2>"$TMP/err"
	st=$?
	check "$what: exit 2" [ $st -eq 2 ]
	check "$what: one line on stderr" [ "$(wc -l <"$TMP/err")" -eq 1 ]
	check "$what: nothing on stdout" [ ! -s "$TMP/out" ]
}
usage "unknown flag" --frobnicate
usage "negative interval" -d -1 -- true
usage "interval not a number" -d abc -- true
usage "zero iterations" -n 0 -- true
usage "bad pid list" -p 12,x
usage "two targets" -p 1 -r x
usage "missing argument" -d

"$IOPSTOP" --help >"$TMP/help"
check "--help exits 0 and shows usage" grep -q "^Usage: iopstop" "$TMP/help"
check "--help lists --json" grep -q -- "--json" "$TMP/help"
check "--version" sh -c '"$IOPSTOP" --version | grep -q "^iopstop [0-9]"'
"$IOPSTOP" -q -- /nonexistent/cmd 2>"$TMP/err"
check "command not found: exit 127" [ $? -eq 127 ]
check "command not found: says so" grep -q "command not found" "$TMP/err"
IOPSTOP_STRACE=/nonexistent "$IOPSTOP" -q --backend=strace -- true 2>"$TMP/err"
check "strace forced but missing: exit 1 with a reason" [ $? -eq 1 ]
check "strace missing: names the package" grep -q "install the 'strace' package" "$TMP/err"
IOPSTOP_STRACE=/nonexistent "$IOPSTOP" -q -- sh -c 'exit 5' 2>"$TMP/err"
check "strace missing, auto: falls back, keeps the exit status" [ $? -eq 5 ]
check "strace missing, auto: says so in one line" [ "$(grep -c 'using the /proc' "$TMP/err")" -eq 1 ]
"$IOPSTOP" -q --json=/nonexistent/dir/x.json -- true 2>"$TMP/err"
check "unwritable --json file is an error" [ $? -ne 0 ]
finish
