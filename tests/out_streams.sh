#!/bin/sh
# out_streams.sh - machine output never mixes with the command's or with
# another report (issue 13, point 8): --csv=FILE takes the interval rows
# to their own file while the command keeps stdout; two outputs on one
# stream are a usage error (exit 2, one line).
. "$srcdir/tests/lib.sh"

# The command prints 3 known lines and reads a file between them.
echo data >"$TMP/in"
cmd='for i in 1 2 3; do echo "cmd line $i"; cat "$1" >/dev/null; sleep 0.1; done'
for b in -b ""; do
	"$IOPSTOP" -q $b -d 0.1 --csv="$TMP/c$b.csv" --json="$TMP/j$b.json" -- \
		sh -c "$cmd" sh "$TMP/in" >"$TMP/o$b.out" 2>"$TMP/e$b.err" </dev/null
	st=$?
	check "--csv=FILE $b: the command's exit status (got $st)" [ $st -eq 0 ]
	printf 'cmd line 1\ncmd line 2\ncmd line 3\n' >"$TMP/want"
	check "--csv=FILE $b: stdout is exactly the command's" cmp -s "$TMP/want" "$TMP/o$b.out"
	check "--csv=FILE $b: the CSV header first" \
		[ "$(head -n 1 "$TMP/c$b.csv")" = "t_s,read_iops,write_iops,read_bytes_per_s,write_bytes_per_s,meta_iops,errors,top_bucket_lo" ]
	check "--csv=FILE $b: rows are all CSV (8 fields), none of the command's" \
		awk -F, 'NR > 1 && (NF != 8 || /cmd line/) { bad = 1 } END { exit bad || NR < 3 }' "$TMP/c$b.csv"
	check "--csv=FILE $b: the JSON is apart and whole" \
		"$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/j$b.json"
done

# -b --csv to stdout as before.
"$IOPSTOP" -q -b --csv -d 0.1 -- true >"$TMP/plain.csv" 2>/dev/null
check "-b --csv: CSV on stdout" grep -q "^t_s,read_iops" "$TMP/plain.csv"
check "--csv=- is stdout" sh -c '"$1" -q -b --csv=- -d 0.1 -- true | grep -q "^t_s,"' sh "$IOPSTOP"

# Two outputs on one stream: usage errors, one line, nothing run.
usage() { # usage DESCRIPTION ARGS...
	local what=$1; shift
	"$IOPSTOP" "$@" >"$TMP/u.out" 2>"$TMP/u.err"
	local st=$?
	check "$what: exit 2 (got $st)" [ $st -eq 2 ]
	check "$what: one line on stderr" [ "$(wc -l <"$TMP/u.err")" -eq 1 ]
	check "$what: nothing on stdout" [ ! -s "$TMP/u.out" ]
	[ ! -e "$TMP/ran" ] || not_ok "$what: the command ran"
}
usage "--json --svg=-" --json --svg=- -- touch "$TMP/ran"
usage "-b --csv --json" -b --csv --json -- touch "$TMP/ran"
usage "-b --json" -b --json -- touch "$TMP/ran"
usage "--json --heatmap" --json --heatmap -- touch "$TMP/ran"
usage "--svg=- --histogram" --svg=- --histogram -- touch "$TMP/ran"
usage "--json=F --csv=F" --json="$TMP/same" --csv="$TMP/same" -- touch "$TMP/ran"
usage "-w F --svg=F" -w "$TMP/same2" --svg="$TMP/same2" -- touch "$TMP/ran"
usage "--csv without -b or FILE" --csv -- touch "$TMP/ran"
grep -q "would both write to standard output" "$TMP/u.err" ||
	"$IOPSTOP" --json --svg=- -- true 2>&1 | grep -q "would both write to standard output" &&
	ok "the message names the stream" || not_ok "the message names the stream"
# Apart, they are fine.
"$IOPSTOP" -q --json="$TMP/a.json" --svg="$TMP/a.svg" --csv="$TMP/a.csv" -- true
check "--json=F --svg=G --csv=H: exit 0" [ $? -eq 0 ]
check "...all three written" test -s "$TMP/a.json" -a -s "$TMP/a.svg" -a -s "$TMP/a.csv"
"$IOPSTOP" -q --csv="$TMP/nodir/x.csv" -- touch "$TMP/ran" 2>"$TMP/nd.err"
st=$?
check "--csv=FILE in a missing directory: exit 1 before running" test $st -eq 1 -a ! -e "$TMP/ran"
check "...one line naming it" grep -q -- "--csv $TMP/nodir/x.csv" "$TMP/nd.err"
finish
