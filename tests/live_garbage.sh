#!/bin/sh
# live_garbage.sh - the live strace channel fed with arbitrary strace
# output (issue 13, point 10): a fake strace ($IOPSTOP_STRACE) appends, where
# the trace goes, slices of the fuzz seed corpus (real strace lines) mutated
# by a seeded generator (bytes flipped, lines cut and joined, random bytes,
# NULs, huge numbers), in bursts while the command runs, then runs the
# command itself.  30 fixed seeds, so a failure replays (FUZZ_SEED=N).
# Each run: the command's own exit status (or one the mutated trace itself
# claims with a "+++ exited with N +++" line: iopstop believes the trace's
# exit line first), valid JSON, no sanitizer report (the ASan build of
# contrib/ci-sanitizers.sh runs this too).
. "$srcdir/tests/lib.sh"
SH=$(command -v sh)
CORPUS="$srcdir/fuzz/corpus/strace"
[ -d "$CORPUS" ] || { echo "SKIP: no seed corpus at $CORPUS"; exit 77; }
export XDG_CACHE_HOME="$TMP/cache"
cat >"$TMP/gen.py" <<'PY'
import os, random, sys, time
seed, out, corpus = int(sys.argv[1]), sys.argv[2], sys.argv[3]
r = random.Random(seed)
names = sorted(os.listdir(corpus))
def chunk():
    data = open(os.path.join(corpus, r.choice(names)), "rb").read()
    lines = data.split(b"\n")
    k = r.randrange(len(lines))
    b = bytearray(b"\n".join(lines[k:k + r.randrange(1, 40)]))
    for _ in range(r.randrange(0, 8)):
        if not b:
            break
        op, i = r.randrange(6), r.randrange(len(b))
        if op == 0:
            b[i] = r.randrange(256)
        elif op == 1:
            del b[i:i + r.randrange(1, 50)]
        elif op == 2:
            b[i:i] = bytes(r.randrange(256) for _ in range(r.randrange(1, 30)))
        elif op == 3:
            b[i:i] = b"\0"
        elif op == 4:
            b[i:i] = r.choice([b"99999999999999999999", b"-9223372036854775808",
                               b"<unfinished ...>", b"<... read resumed>", b"\n",
                               b"+++ exited with 3 +++", b"+++ killed by SIGKILL +++"])
        else:
            b[i:i] = b[i:i + r.randrange(1, 200)]
    return bytes(b) + (b"\n" if r.random() < 0.9 else b"")
copy = open(os.environ["FUZZ_COPY"], "wb")
with open(out, "ab", buffering=0) as f:
    for _ in range(r.randrange(1, 12)):
        c = chunk()
        f.write(c)
        copy.write(c)
        if r.random() < 0.3:
            time.sleep(0.01)
PY
{
	echo "#!$SH"
	echo 'if [ "$1" = -V ]; then echo "strace -- version 6.1"; exit 0; fi'
	echo 'while [ $# -gt 0 ] && [ "$1" != -- ]; do [ "$1" = -o ] && out=$2; shift; done'
	echo 'shift'
	echo "\"$PY\" \"$TMP/gen.py\" \"\$FUZZ_SEED\" \"\$out\" \"$CORPUS\" || exit 99"
	echo '"$@"'
} >"$TMP/strace-fuzz"
chmod +x "$TMP/strace-fuzz"
bad=0
for seed in ${FUZZ_SEED:-$(seq 1 30)}; do
	FUZZ_SEED=$seed FUZZ_COPY="$TMP/trace" IOPSTOP_STRACE="$TMP/strace-fuzz" timeout 120 \
		"$IOPSTOP" -q --json="$TMP/j.json" -- "$SH" -c 'exit 7' >"$TMP/out" 2>"$TMP/err"
	st=$?
	claimed=0
	grep -aq "exited with $st +++" "$TMP/trace" && claimed=1
	[ $st -gt 128 ] && grep -aq "killed by SIG" "$TMP/trace" && claimed=1
	if { [ $st -ne 7 ] && [ $claimed = 0 ]; } || grep -q "Sanitizer\|runtime error" "$TMP/err" ||
	   ! "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/j.json" 2>/dev/null; then
		not_ok "seed $seed: exit $st (7 expected), valid JSON, no sanitizer report"
		sed 's/^/  /' "$TMP/err" | head -n 20
		bad=$((bad + 1))
	fi
	rm -f "$TMP/j.json"
done
check "mutated live traces: the command's status, valid JSON, no report ($bad bad)" [ $bad -eq 0 ]
finish
