#!/bin/sh
# preload_unseen.sh - calls the preload library cannot see (raw
# syscall(SYS_write), as Go programs make them) are booked from the
# kernel's counters: JSON "unseen" equals the raw calls exactly, the
# summary says so, and the view's header says so while the command runs.
. "$srcdir/tests/lib.sh"
: "${IOPSTOP_PRELOAD_LIB:?run from make check}"
[ -r "$IOPSTOP_PRELOAD_LIB" ] || { echo "SKIP: $IOPSTOP_PRELOAD_LIB not built"; exit 77; }
[ -r /proc/self/io ] || { echo "SKIP: no /proc/PID/io for the kernel check"; exit 77; }
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"; export ASAN_OPTIONS
RAWSYS=$(dirname "$WORKLOAD")/rawsys
jexpr() { "$PY" -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }

# 30 writes through libc (seen), 50 raw ones of 16 bytes (unseen).
"$IOPSTOP" -q --backend=preload --json="$TMP/raw.json" -- "$RAWSYS" "$TMP/raw.out" 30 50 \
	>"$TMP/raw.sum" 2>"$TMP/raw.err"
check "rawsys: exits 0" [ $? -eq 0 ]
check "JSON unseen: the 50 raw writes, their 800 bytes, no reads" \
	[ "$(jexpr "$TMP/raw.json" 'j["unseen"]')" = "{'read_ops': 0, 'write_ops': 50, 'read_bytes': 0, 'write_bytes': 800}" ]
check "JSON totals: the seen and the unseen writes" [ "$(jget "$TMP/raw.json" write.ops)" = 80 ]
"$IOPSTOP" --backend=preload -- "$RAWSYS" "$TMP/raw.out" 30 50 >"$TMP/sum.out" 2>&1
check "summary: an unseen line naming the 50 writes and strace" \
	grep -q "unseen by preload: 0 reads, 50 writes (800 bytes).*" "$TMP/sum.out" && grep -q "try --backend=strace" "$TMP/sum.out"
"$IOPSTOP" -q --backend=preload --json="$TMP/none.json" -- "$RAWSYS" "$TMP/raw.out" 30 0
check "nothing raw: unseen is all zero" \
	[ "$(jexpr "$TMP/none.json" 'sum(j["unseen"].values())')" = 0 ]
if strace -o /dev/null true 2>/dev/null; then
	"$IOPSTOP" -q --backend=strace --json="$TMP/st.json" -- "$RAWSYS" "$TMP/raw.out" 3 5
	check "strace sees every call: no unseen key" [ "$(jexpr "$TMP/st.json" '"unseen" in j')" = False ]
fi

# Live: the header says so while the command still runs (it waits on a
# fifo the test opens once the header has been seen).
if command -v tmux >/dev/null 2>&1; then
	mkfifo "$TMP/go"
	TM="tmux -L iopstop-$$-unseen -f /dev/null"
	trap '$TM kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
	$TM new-session -d -s u -x 120 -y 30 \
		"LANG=C '$IOPSTOP' -d 0.2 --backend=preload -- sh -c '\"\$0\" \"\$1\" 0 20; read x <\"\$2\"' '$RAWSYS' '$TMP/live.out' '$TMP/go'; sleep 60" 2>/dev/null
	screen_has() { # PATTERN: wait (30 s at most) until the pane shows it
		n=0
		while [ $n -lt 300 ]; do
			$TM capture-pane -p -t u >"$TMP/screen" 2>/dev/null
			grep -Eq -- "$1" "$TMP/screen" && return 0
			sleep 0.1; n=$((n + 1))
		done
		cat "$TMP/screen"; return 1
	}
	check "view header, while it runs: preload missed 20 calls, try strace" \
		screen_has 'preload missed 20 calls the kernel counted: try --backend=strace'
	check "... and the command is still running" grep -q '\[running' "$TMP/screen"
	timeout 10 sh -c "echo go >'$TMP/go'"
	check "the command ends when released" screen_has "\\[exited 0"
	$TM kill-server 2>/dev/null
fi
finish
