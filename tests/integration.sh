#!/bin/sh
# integration.sh - iopstop --json -- WORKLOAD reports exactly what the
# workload did (it prints its own per-file counts), and its exit status.
. "$srcdir/tests/lib.sh"
command -v strace >/dev/null || { echo "SKIP: strace is not installed"; exit 77; }

mkdir "$TMP/d"
"$IOPSTOP" -q --backend=strace --json="$TMP/report.json" -- "$WORKLOAD" "$TMP/d" >"$TMP/expect.json"
st=$?
check "exit status of the command (42) is iopstop's" [ "$st" -eq 42 ]
check "JSON exit_status is 42" [ "$(jget "$TMP/report.json" exit_status)" = 42 ]
check "per-file ops and bytes equal the workload's" \
	"$PY" "$srcdir/tests/jsoncheck.py" files "$TMP/report.json" "$TMP/expect.json"
check "backend is strace" [ "$(jget "$TMP/report.json" backend)" = strace ]
check "no unparsed lines" [ "$(jget "$TMP/report.json" unparsed)" = 0 ]
check "no unfinished calls" [ "$(jget "$TMP/report.json" unfinished)" = 0 ]
check "two processes (threads folded into theirs)" \
	[ "$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["processes"]))' "$TMP/report.json")" = 2 ]
check "errors counted apart (2 failed reads)" [ "$(jget "$TMP/report.json" read.errors)" = 2 ]

# The summary table goes to stderr and names the totals.
"$IOPSTOP" -- "$WORKLOAD" "$TMP/d" >/dev/null 2>"$TMP/summary.txt"
check "summary table printed" grep -q "execution time" "$TMP/summary.txt"
check "summary shows the exit status" grep -q "exit status: 42" "$TMP/summary.txt"

# Killed by a signal: 128+N, as a shell reports.
"$IOPSTOP" -q -- sh -c 'kill -TERM $$'
check "killed by SIGTERM gives 143" [ $? -eq 143 ]
"$IOPSTOP" -q -- sh -c 'exit 7'
check "exit 7 passes through" [ $? -eq 7 ]

# The command keeps its stdin, stdout and stderr.
out=$(echo hello | "$IOPSTOP" -q -- sh -c 'cat; echo err >&2' 2>"$TMP/err")
check "stdin and stdout pass through" [ "$out" = hello ]
check "stderr passes through" grep -qx err "$TMP/err"

# Against the kernel's own counters: syscw of a dd equals the write ops.
"$IOPSTOP" -q --json="$TMP/dd.json" -- dd if=/dev/zero of="$TMP/d/dd.out" bs=4096 count=300 status=none
check "dd: 300 writes of 4096 to its output" \
	[ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/dd.json" "$TMP/d/dd.out" write_ops)" = 300 ]
check "dd: bytes 1228800" [ "$(jget "$TMP/dd.json" write.bytes)" = 1228800 ]
finish
