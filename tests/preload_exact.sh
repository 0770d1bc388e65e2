#!/bin/sh
# preload_exact.sh - the preload backend is exact where auto picks it:
# every stdio entry point (full, line, no buffering, setvbuf, freopen,
# fdopen, popen, a redirected stdout, threads) gives the same per-file
# counts as the strace backend; tar, find, cp -a, chmod -R and sqlite3
# the same per-file metadata counts, their per-call counts differing only
# by the dynamic loader's calls; the program's signals, threads, forks
# and spawns are unharmed; auto picks preload for a dynamic command and
# strace for a static one, saying why; raw system calls show as unseen.
. "$srcdir/tests/lib.sh"
: "${IOPSTOP_PRELOAD_LIB:?run from make check}"
[ -r "$IOPSTOP_PRELOAD_LIB" ] || { echo "SKIP: $IOPSTOP_PRELOAD_LIB not built"; exit 77; }
command -v strace >/dev/null || { echo "SKIP: strace is needed as the reference"; exit 77; }
"$PY" -c 'import ctypes, sys; sys.exit(ctypes.CDLL(None).prctl(59, 0, 0, 0, 0) != 0)' ||
	{ echo "SKIP: no syscall user dispatch (Linux < 5.11)"; exit 77; }
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"; export ASAN_OPTIONS
BIN=$(dirname "$WORKLOAD")
cat >"$TMP/same.py" <<'PY'
import json, sys
a, b, pre = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
keys = sys.argv[4].split(",")
def files(j):
    return {f["path"]: tuple(f.get(k) for k in keys) for f in j["files"] if f["path"].startswith(pre)}
fa, fb = files(a), files(b)
bad = [p for p in sorted(set(fa) | set(fb)) if fa.get(p) != fb.get(p)]
for p in bad[:10]:
    print("# %s: preload %s, strace %s" % (p, fa.get(p), fb.get(p)))
print("# %d files, %d differ" % (len(fb), len(bad)))
sys.exit(1 if bad or not fb else 0)
PY
# The loader's opens, stats and closes come before the library: the only
# per-call differences allowed, and preload never sees more.
cat >"$TMP/bycall.py" <<'PY'
import json, sys
ja = json.load(open(sys.argv[1]))
a = ja["meta"]["by_call"]
b = json.load(open(sys.argv[2]))["meta"]["by_call"]
most = 12 * max(1, ja["kernel_check"]["images"])	# each image has its loader
loader = {"openat", "close", "newfstatat", "fstat", "mmap", "access"}
bad = {k: (a.get(k, 0), b.get(k, 0)) for k in set(a) | set(b)
       if a.get(k, 0) != b.get(k, 0) and (k not in loader or not 0 < b.get(k, 0) - a.get(k, 0) <= most)}
print("# by_call differences beyond the loader's: %s" % bad)
sys.exit(1 if bad else 0)
PY
both() { # both NAME CMD...: the command under each backend, fresh state each time
	name=$1; shift
	for b in preload strace; do
		rm -rf "$TMP/out" "$TMP/db"
		"$IOPSTOP" -q --top=100000 --backend=$b --json="$TMP/$name-$b.json" -- "$@" \
			>"$TMP/$name-$b.stdout" 2>"$TMP/$name-$b.err"
		check "$name: runs under $b" [ $? -eq 0 ]
	done
}

# ---- stdio ----------------------------------------------------------------------
for b in preload strace; do
	rm -rf "$TMP/d"; mkdir "$TMP/d"
	"$IOPSTOP" -q --top=100000 --backend=$b --json="$TMP/stdio-$b.json" -- "$BIN/stdio" "$TMP/d" \
		>"$TMP/d/stdout" 2>"$TMP/stdio-$b.err"
	check "stdio: runs under $b" [ $? -eq 0 ]
done
D=$(cd "$TMP/d" && pwd -P)/
check "stdio: per-file counts and bytes equal strace's" \
	"$PY" "$TMP/same.py" "$TMP/stdio-preload.json" "$TMP/stdio-strace.json" "$D" \
	read_ops,write_ops,read_bytes,write_bytes,meta_ops
check "stdio: the library reports nothing unseen" [ ! -s "$TMP/stdio-preload.err" ]
check "stdio: the redirected stdout's 3000 lines were written" \
	[ "$(jget "$TMP/stdio-preload.json" write.ops)" -gt 100 ]
# Where dispatch is not to be had, the miss is said, not silent.
rm -rf "$TMP/d"; mkdir "$TMP/d"
IOPSTOP_NO_DISPATCH=1 "$IOPSTOP" -q --backend=preload -- "$BIN/stdio" "$TMP/d" >"$TMP/d/stdout" 2>"$TMP/nod.err"
check "without dispatch: stdio's calls are reported unseen" grep -q "preload did not see" "$TMP/nod.err"

# ---- metadata ------------------------------------------------------------------------
mkdir -p "$TMP/tree/a/b" "$TMP/tree/c"
i=0; while [ $i -lt 40 ]; do echo $i >"$TMP/tree/a/f$i"; echo $i >"$TMP/tree/c/g$i"; i=$((i + 1)); done
ln -s ../c "$TMP/tree/a/b/link"
T=$(cd "$TMP/tree" && pwd -P)
both tar tar cf "$TMP/t.tar" -C "$TMP" tree
both find find "$T"
both cp cp -a "$T" "$TMP/out"
both chmod chmod -R u+w "$T"
for n in tar find cp chmod; do
	check "$n: per-file metadata and data counts equal strace's" \
		"$PY" "$TMP/same.py" "$TMP/$n-preload.json" "$TMP/$n-strace.json" "$T" \
		meta_ops,read_ops,write_ops
	check "$n: per-call counts differ only by the loader's" \
		"$PY" "$TMP/bycall.py" "$TMP/$n-preload.json" "$TMP/$n-strace.json"
	check "$n: nothing unseen" [ ! -s "$TMP/$n-preload.err" ]
done
if command -v sqlite3 >/dev/null; then
	sql="create table t(x);"
	i=0; while [ $i -lt 100 ]; do sql="$sql begin; insert into t values($i); commit;"; i=$((i + 1)); done
	mkdir -p "$TMP/db"
	both sqlite sh -c 'mkdir -p "$1" && exec sqlite3 "$1/x.db" "$2"' sh "$TMP/db" "$sql"
	check "sqlite3: per-file metadata and data counts equal strace's" \
		"$PY" "$TMP/same.py" "$TMP/sqlite-preload.json" "$TMP/sqlite-strace.json" "$TMP/db" \
		meta_ops,read_ops,write_ops
	check "sqlite3: per-call counts differ only by the loader's" \
		"$PY" "$TMP/bycall.py" "$TMP/sqlite-preload.json" "$TMP/sqlite-strace.json"
else
	echo "# no sqlite3: its check is skipped"
fi

# ---- no harm ----------------------------------------------------------------------------
CHILD=/bin/true
if ${CC:-cc} -static -o "$TMP/static" "$srcdir/tests/rawsys.c" 2>/dev/null; then CHILD=$TMP/static; fi
"$IOPSTOP" -q --backend=preload -- "$BIN/sigsys" "$TMP/w" "$CHILD" >"$TMP/sig.out" 2>"$TMP/sig.err"
st=$?
sed 's/^/# /' "$TMP/sig.err" | head -5; grep -v '^ok\|^waiting\|^blocked' "$TMP/sig.out" | sed 's/^/# /' | head
check "signals, threads, fork, spawn: the program's own checks pass (exit $st)" [ $st -eq 0 ]
check "...all of them ran" grep -q "^all ok" "$TMP/sig.out"

# ---- auto ---------------------------------------------------------------------------------
"$IOPSTOP" -q --json="$TMP/auto.json" -- "$BIN/stdio" "$TMP/d" >"$TMP/d/stdout" 2>"$TMP/auto.err"
check "auto: a dynamic command runs under preload" [ "$(jget "$TMP/auto.json" backend)" = preload ]
check "auto: and says nothing" [ ! -s "$TMP/auto.err" ]
if [ -x "$TMP/static" ]; then
	"$IOPSTOP" -q --json="$TMP/st.json" -- "$TMP/static" "$TMP/raw.out" 3 0 2>"$TMP/st.err"
	check "auto: a static command runs under strace" [ "$(jget "$TMP/st.json" backend)" = strace ]
	check "auto: one line says why" [ "$(wc -l <"$TMP/st.err")" -eq 1 ] &&
		grep -q "statically linked.*using strace" "$TMP/st.err"
	check "auto: strace counted the static program's writes" \
		[ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/st.json" "$(cd "$TMP" && pwd -P)/raw.out" write_ops)" = 3 ]
fi
"$IOPSTOP" -q --json="$TMP/raw.json" -- "$BIN/rawsys" "$TMP/raw.out" 5 20 2>"$TMP/raw.err"
check "auto: raw system calls are reported unseen" grep -q "0 read and 20 write calls" "$TMP/raw.err"
check "auto: and the report recommends strace" grep -q -- "--backend=strace" "$TMP/raw.err"
check "unseen: the 20 raw writes are in the JSON as their own row" \
	[ "$("$PY" "$srcdir/tests/jsoncheck.py" file "$TMP/raw.json" "[unseen by preload]" write_ops)" = 20 ]
check "unseen: and in the totals (5 seen + 20 unseen)" [ "$(jget "$TMP/raw.json" write.ops)" = 25 ]
# Live: a static child's writes show up while the run goes on, not only
# at its end (the parent has reaped it; the kernel's counters say so).
if [ -x "$TMP/static" ]; then
	"$IOPSTOP" -b -d 0.2 --backend=preload -- sh -c \
		"'$TMP/static' '$TMP/r2.out' 200 0; while [ ! -e '$TMP/stop' ]; do sleep 0.05; done" \
		>"$TMP/live.out" 2>"$TMP/live.err" &
	ip=$!
	i=0; while [ $i -lt 600 ] && ! awk 'NR > 1 && $3 > 0 { f = 1 } END { exit !f }' "$TMP/live.out"; do
		sleep 0.05; i=$((i + 1)); done
	check "unseen: a static child's writes are shown live" \
		awk 'NR > 1 && $3 > 0 { f = 1 } END { exit !f }' "$TMP/live.out"
	touch "$TMP/stop"; wait $ip
fi
finish
