#!/bin/sh
# replay_clock.sh - strace logs whose timestamps are not -ttt give right or
# honest numbers (issue 13, point 9).  The fixtures are real `strace -f
# -T -y` runs of tests/workload in /tmp/fxts/d with -t, -tt, -r, -ttt -r
# and no time flag (strace 6.1); their counts are the workload's own
# (workload-ts.counts.json, the same for every run).  workload-t-midnight.in
# is workload-t.in with its one stamp (09:34:11) replaced by 23:59:59 in
# the first half of the lines and 00:00:00 in the second.
. "$srcdir/tests/lib.sh"
F="$srcdir/tests/fixtures/strace"
C="$F/workload-ts.counts.json"

# replay NAME: -r the fixture into $TMP/NAME.json, stderr in $TMP/NAME.err
replay() {
	"$IOPSTOP" -r "$F/workload-$1.in" --json="$TMP/$1.json" >"$TMP/$1.out" 2>"$TMP/$1.err"
}
num_ok() { # num_ok EXPR: a Python comparison over e (elapsed_s)
	"$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); e=d['elapsed_s']; sys.exit(0 if ($2) else 1)" "$1"
}

for k in t tt r ttt-r notime t-midnight; do
	replay "$k"
	check "-$k: exit 0" [ $? -eq 0 ]
	check "-$k: per-file counts equal the workload's" \
		"$PY" "$srcdir/tests/jsoncheck.py" files "$TMP/$k.json" "$C"
	check "-$k: nothing unparsed" [ "$(jget "$TMP/$k.json" unparsed)" = 0 ]
done

# -tt: microseconds of the time of day, as -ttt.
check "-tt: a real elapsed time (0.001-10 s)" num_ok "$TMP/tt.json" "0.001 < e < 10"
check "-tt: no warning" [ "$(grep -c '^iopstop:' "$TMP/tt.err")" -eq 0 ]

# -r: the deltas, summed.  Ground truth: the same sum, by awk.
sum=$(awk '{ s += $2 } END { printf "%.6f", s }' "$F/workload-r.in")
check "-r: elapsed is the sum of the deltas ($sum s, within 5 ms)" \
	num_ok "$TMP/r.json" "abs(e - $sum) < 0.005 and e > 0.001"
check "-r: no warning" [ "$(grep -c '^iopstop:' "$TMP/r.err")" -eq 0 ]

# -ttt -r in one run: the absolute stamps rule; the deltas alone (the
# stamps cut off) give the same time within 2 %.
sed -E 's/^([0-9]+) +[0-9]+\.[0-9]+ \(\+ *([0-9.]+)\)/\1 \2/' "$F/workload-ttt-r.in" \
	>"$TMP/only-r.log"
"$IOPSTOP" -q -r "$TMP/only-r.log" --json="$TMP/only-r.json" 2>/dev/null
ttt=$(jget "$TMP/ttt-r.json" elapsed_s)
check "-ttt -r: a real elapsed time ($ttt s)" num_ok "$TMP/ttt-r.json" "0.001 < e < 10"
check "-r alone of the same run: the same time within 2 %" \
	num_ok "$TMP/only-r.json" "abs(e - $ttt) < 0.02 * $ttt"
check "-r alone: same counts" "$PY" "$srcdir/tests/jsoncheck.py" files "$TMP/only-r.json" "$C"

# -t: whole seconds.  The run fits in one second (one stamp): 1 s, with
# one warning line; across midnight, two seconds, not a day.
check "-t: elapsed 1 s" num_ok "$TMP/t.json" "e == 1"
check "-t: one warning line" [ "$(grep -c '^iopstop:' "$TMP/t.err")" -eq 1 ]
check "-t: the warning says whole seconds" grep -q "whole seconds (strace -t)" "$TMP/t.err"
check "-t: the summary says so" grep -q "execution time   1 s (whole seconds" "$TMP/t.err"
check "-t: IOPS from whole seconds (100 ops in 1 s)" \
	[ "$(jget "$TMP/t.json" total.iops)" = 100.0 ]
check "-t across midnight: 2 s, not a day" num_ok "$TMP/t-midnight.json" "e == 2"

# No timestamps: rates unknown, never "N IOPS in 0.000 s".
check "no time: elapsed_s null" num_ok "$TMP/notime.json" "e is None"
for k in read write total; do
	check "no time: $k iops and bytes_per_s null" "$PY" -c "import json,sys
d=json.load(open(sys.argv[1]))['$k']; sys.exit(0 if d['iops'] is None and d['bytes_per_s'] is None else 1)" "$TMP/notime.json"
done
check "no time: ops still counted" [ "$(jget "$TMP/notime.json" total.ops)" -gt 0 ]
check "no time: one warning line" [ "$(grep -c '^iopstop:' "$TMP/notime.err")" -eq 1 ]
check "no time: the warning says why" grep -q "no timestamps.*rates unknown" "$TMP/notime.err"
check "no time: summary time unknown" grep -q "execution time   unknown" "$TMP/notime.err"
check "no time: summary rates '-'" grep -Eq "^  total +[0-9]+ +[0-9.]+[KMG]? +- +- " "$TMP/notime.err"
"$IOPSTOP" -q -b -r "$F/workload-notime.in" >"$TMP/nb.out" 2>/dev/null
check "no time: -b rates '-'" grep -Eq "^ +- +- +- +- +- +- " "$TMP/nb.out"
"$IOPSTOP" -q -b --csv -r "$F/workload-notime.in" >"$TMP/nc.out" 2>/dev/null
check "no time: --csv rates empty" grep -Eq "^,,,,,,[0-9]+," "$TMP/nc.out"
finish
