#!/bin/sh
# preload.sh - --backend=preload: the same per-file counts as the workload
# prints and as strace sees, for C (threads, a fork, v/p calls) and
# python3; static programs refused; a full ring counted; calls it cannot
# see (raw system calls) reported against the kernel's own counters.
. "$srcdir/tests/lib.sh"
: "${IOPSTOP_PRELOAD_LIB:?run from make check}"
# An ASan-built workload must not refuse a library preloaded before its
# runtime (contrib/ci-sanitizers.sh); the library itself is not sanitized.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"; export ASAN_OPTIONS
[ -r "$IOPSTOP_PRELOAD_LIB" ] || { echo "SKIP: $IOPSTOP_PRELOAD_LIB not built"; exit 77; }
RAWSYS=$(dirname "$WORKLOAD")/rawsys
PYBIN=$("$PY" -c 'import sys; print(sys.executable)')
jcmp() { "$PY" "$srcdir/tests/jsoncheck.py" files "$@"; }
jexpr() { "$PY" -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }

# ---- the exact-count workload -----------------------------------------------
mkdir "$TMP/d"
"$IOPSTOP" -q --backend=preload --json="$TMP/w.json" -- "$WORKLOAD" "$TMP/d" \
	>"$TMP/w-expect.json" 2>"$TMP/w.err"
check "workload: exit status 42 passes through" [ $? -eq 42 ]
check "workload: backend is preload" [ "$(jget "$TMP/w.json" backend)" = preload ]
check "workload: per-file counts equal its own" jcmp "$TMP/w.json" "$TMP/w-expect.json"
check "workload: 2 failed reads counted apart" [ "$(jget "$TMP/w.json" read.errors)" = 2 ]
check "workload: two processes" [ "$(jexpr "$TMP/w.json" 'len(j["processes"])')" = 2 ]
check "workload: nothing dropped" [ "$(jget "$TMP/w.json" dropped_events)" = 0 ]
# Its one stdio write (the JSON on stdout) is seen too, trapped inside stdio.
check "workload: the kernel check finds nothing unseen, stdio's write included" \
	[ "$(jexpr "$TMP/w.json" 'j["kernel_check"]["kernel_syscw"] - j["kernel_check"]["other_writes"] - j["kernel_check"]["seen_writes"]')" = 0 ]
if command -v strace >/dev/null; then
	rm -rf "$TMP/d"; mkdir "$TMP/d"
	strace -f -ttt -T -y -o "$TMP/w.log" "$WORKLOAD" "$TMP/d" >/dev/null
	"$PY" "$srcdir/tests/jsoncheck.py" strace-counts "$TMP/w.log" "$(cd "$TMP/d" && pwd -P)/" >"$TMP/w-strace.json"
	check "workload: per-file counts equal strace's" jcmp "$TMP/w.json" "$TMP/w-strace.json"
fi

# ---- python3 --------------------------------------------------------------------
rm -rf "$TMP/d"; mkdir "$TMP/d"
"$IOPSTOP" -q --backend=preload --json="$TMP/py.json" -- "$PYBIN" "$srcdir/tests/py_workload.py" "$TMP/d" 2>/dev/null
check "python: exits 0" [ $? -eq 0 ]
if command -v strace >/dev/null; then
	rm -rf "$TMP/d"; mkdir "$TMP/d"
	strace -f -ttt -T -y -o "$TMP/py.log" "$PYBIN" "$srcdir/tests/py_workload.py" "$TMP/d"
	"$PY" "$srcdir/tests/jsoncheck.py" strace-counts "$TMP/py.log" "$TMP/d/" >"$TMP/py-strace.json"
	check "python: strace saw the files" grep -q '"read_ops"' "$TMP/py-strace.json"
	check "python: per-file counts equal strace's" jcmp "$TMP/py.json" "$TMP/py-strace.json"
fi

# ---- raw system calls: unseen, and said so ------------------------------------
"$IOPSTOP" -q --backend=preload --json="$TMP/raw.json" -- "$RAWSYS" "$TMP/raw.out" 30 50 2>"$TMP/raw.err"
check "rawsys: exits 0" [ $? -eq 0 ]
check "rawsys: the 30 libc writes are counted" \
	[ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/raw.json" "$(cd "$TMP" && pwd -P)/raw.out" write_ops)" = 30 ]
check "rawsys: warns of exactly the 50 raw writes" grep -q "0 read and 50 write calls" "$TMP/raw.err"
check "rawsys: the warning suggests strace" grep -q -- "--backend=strace" "$TMP/raw.err"
"$IOPSTOP" -q --backend=preload -- "$RAWSYS" "$TMP/raw.out" 30 0 2>"$TMP/raw0.err"
check "rawsys: no warning without raw calls" [ ! -s "$TMP/raw0.err" ]

# ---- a full ring: dropped events are counted, never silent -------------------
N=20000
IOPSTOP_RING_SLOTS=64 "$IOPSTOP" -q --backend=preload --json="$TMP/ovf.json" -- \
	"$RAWSYS" /dev/null "$N" 0 2>"$TMP/ovf.err"
drop=$(jget "$TMP/ovf.json" dropped_events)
wops=$(jget "$TMP/ovf.json" write.ops)
check "overflow: events dropped ($drop)" [ "$drop" -gt 0 ]
check "overflow: reported on stderr" grep -q "ring overflowed" "$TMP/ovf.err"
# Besides the writes the run has a handful of other records (exec, names,
# open, close, counters): writes + dropped lies in [N, N + 8].
tot=$((wops + drop))
check "overflow: writes + dropped ($tot) account for all $N writes" \
	[ "$tot" -ge "$N" -a "$tot" -le $((N + 8)) ]

# ---- static programs cannot be preloaded --------------------------------------
if ${CC:-cc} -static -o "$TMP/rawsys-static" "$srcdir/tests/rawsys.c" 2>/dev/null; then
	"$IOPSTOP" -q --backend=preload -- "$TMP/rawsys-static" "$TMP/raw.out" 1 0 2>"$TMP/static.err"
	check "static: refused (exit 1)" [ $? -eq 1 ]
	check "static: says why" grep -q "statically linked" "$TMP/static.err"
	check "static: did not run" [ "$(wc -c <"$TMP/raw.out")" -eq 480 ]
else
	echo "# no static libc: static detection not tested"
fi
printf '#!%s\n' "$TMP/rawsys-static" >"$TMP/script"; chmod +x "$TMP/script"
if [ -x "$TMP/rawsys-static" ]; then
	"$IOPSTOP" -q --backend=preload -- "$TMP/script" 2>"$TMP/script.err"
	check "static: a script whose interpreter is static is refused" grep -q "statically linked" "$TMP/script.err"
fi
# From the build tree, without IOPSTOP_PRELOAD_LIB: the library beside src/iopstop.
mkdir "$TMP/beside"
env -u IOPSTOP_PRELOAD_LIB "$IOPSTOP" -q --backend=preload --json="$TMP/beside.json" -- "$WORKLOAD" "$TMP/beside" >/dev/null 2>"$TMP/beside.err"
check "the build tree's library is found without IOPSTOP_PRELOAD_LIB (exit 42)" [ $? -eq 42 ]
check "...and it saw the workload's writes" [ "$(jget "$TMP/beside.json" write.ops)" -gt 0 ]
check "attach is refused with preload" sh -c "! '$IOPSTOP' -q --backend=preload -p $$ 2>/dev/null"
finish
