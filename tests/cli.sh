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
# More of the same, table-driven: ARGS (word-split) | what the line names
while IFS='|' read -r args word; do
	# shellcheck disable=SC2086
	usage "usage: $args" $args
	check "usage: $args: names '$word'" grep -qF -- "$word" "$TMP/err"
	check "usage: $args: no escape bytes" sh -c '! grep -q "$(printf "\033")" "$1"' sh "$TMP/err"
done <<'TABLE'
-x -- true|-x
-d 0 -- true|interval '0'
-d 1e9 -- true|interval '1e9'
-d nan -- true|interval 'nan'
-d 0.01 -- true|interval
-n -3 -- true|iteration count '-3'
-n abc -- true|iteration count 'abc'
-n 99999999999999999999999 -- true|iteration count
-p 0|PID list '0'
-p -5|PID list '-5'
-p 1,,2|PID list
-p 1 -- true|only one of
-r x -p 1|only one of
-r x -- true|only one of
--backend=bogus -- true|backend 'bogus'
--top=0 -- true|--top '0'
--speed=0 -r x|speed '0'
--csv -- true|--csv needs -b
-r x -w y|-w cannot record
TABLE

# Runtime errors: exit 1, exactly one line naming the problem, no summary.
runtime() { # runtime DESCRIPTION WORD ARGS...
	what=$1 word=$2; shift 2
	timeout 60 $IOPSTOP_AS "$IOPSTOP" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
	st=$?
	check "$what: exit 1 (got $st)" [ $st -eq 1 ]
	check "$what: one line on stderr" [ "$(wc -l <"$TMP/err")" -eq 1 ]
	check "$what: names '$word'" grep -qF -- "$word" "$TMP/err"
	check "$what: nothing on stdout" [ ! -s "$TMP/out" ]
}
IOPSTOP_AS=
: >"$TMP/empty"
mkdir "$TMP/adir"
head -c 4096 "$IOPSTOP" >"$TMP/binary"
runtime "no such process" "PID 999999999" -p 999999999
runtime "no such process among several" "PID 999999998" -p "$$,999999998"
runtime "-r missing file" "$TMP/nonexistent" -r "$TMP/nonexistent"
runtime "-r a directory" "is a directory" -r "$TMP/adir"
runtime "-r an empty file" "empty" -r "$TMP/empty"
runtime "-r a binary file" "neither an strace log" -r "$TMP/binary"
runtime "--json into a missing directory" "/nonexistent/dir/x" --json=/nonexistent/dir/x -- true
runtime "--json is a directory" "Is a directory" --json="$TMP/adir" -- true
runtime "--svg into a missing directory" "/nonexistent/x.svg" --svg=/nonexistent/x.svg -- true
runtime "-w into a missing directory" "/nonexistent/dir/r" -w /nonexistent/dir/r -- true
# A process that is not ours: PID 1 is root's; run as nobody when we are
# root (as here in CI).  Every backend refuses in one line.
if [ "$(id -u)" -ne 0 ]; then
	runtime "-p 1, not ours" "PID 1" -p 1
elif command -v setpriv >/dev/null &&
     setpriv --reuid=nobody --regid=nogroup --clear-groups "$IOPSTOP" --version >/dev/null 2>&1; then
	IOPSTOP_AS="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	runtime "-p 1 as nobody (auto)" "PID 1" -p 1
	runtime "-p 1 as nobody (strace)" "another user" --backend=strace -p 1
	runtime "-p 1 as nobody (proc)" "no permission" --backend=proc -p 1
	IOPSTOP_AS=
else
	echo "# note: root without setpriv: the not-ours case is not tested"
fi

"$IOPSTOP" --help >"$TMP/help"
check "--help exits 0 and shows usage" grep -q "^Usage: iopstop" "$TMP/help"
check "--help lists --json" grep -q -- "--json" "$TMP/help"
check "--version" sh -c '"$IOPSTOP" --version | grep -q "^iopstop [0-9]"'
"$IOPSTOP" -q -- /nonexistent/cmd 2>"$TMP/err"
check "command not found: exit 127" [ $? -eq 127 ]
check "command not found: says so" grep -q "command not found" "$TMP/err"
: >"$TMP/noexec"; chmod 644 "$TMP/noexec"
backends="strace proc"
[ -n "${IOPSTOP_PRELOAD_LIB:-}" ] && backends="$backends preload"
for b in $backends; do
	for c in "$TMP/noexec|126|Permission denied" "$TMP/adir|126|Is a directory" \
		 "nosuch-cmd-$$|127|command not found"; do
		cmd=${c%%|*}; rest=${c#*|}; want=${rest%%|*}; msg=${rest#*|}
		"$IOPSTOP" -q --backend=$b -- "$cmd" >"$TMP/out" 2>"$TMP/err"
		st=$?
		check "$b: $msg: exit $want (got $st)" [ $st -eq "$want" ]
		check "$b: $msg: says so" grep -q "$msg" "$TMP/err"
		check "$b: $msg: no summary" sh -c '! grep -q "iopstop summary" "$1"' sh "$TMP/err"
	done
done
IOPSTOP_STRACE=/nonexistent "$IOPSTOP" -q --backend=strace -- true 2>"$TMP/err"
check "strace forced but missing: exit 1 with a reason" [ $? -eq 1 ]
check "strace missing: names the package" grep -q "install the 'strace' package" "$TMP/err"
# Neither preload nor strace: auto falls through to the counters.
IOPSTOP_PRELOAD_LIB=/nonexistent IOPSTOP_STRACE=/nonexistent "$IOPSTOP" -q -- sh -c 'exit 5' 2>"$TMP/err"
check "strace missing, auto: falls back, keeps the exit status" [ $? -eq 5 ]
check "strace missing, auto: says so in one line" [ "$(grep -c 'using the /proc' "$TMP/err")" -eq 1 ]
"$IOPSTOP" -q --json=/nonexistent/dir/x.json -- true 2>"$TMP/err"
check "unwritable --json file is an error" [ $? -ne 0 ]
finish
