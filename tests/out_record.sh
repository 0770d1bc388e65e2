#!/bin/sh
# out_record.sh - record (-w) and replay (-r): identical JSON, a raw strace
# log gives the workload's own counts, corrupt/truncated/random input, and
# the file-creation rules of -w.
set -u
: "${IOPSTOP:?}" "${WORKLOAD:?}"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
command -v strace >/dev/null || { echo "SKIP: no strace"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-rec.XXXXXX") || exit 99
trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$T/d" "$T/d2" || exit 99
D=$(cd "$T/d" && pwd -P)

# A live run, recorded.
"$IOPSTOP" -q -d 0.5 -w "$T/rec" --json="$T/live.json" -- "$WORKLOAD" "$D" >"$T/wl.json"
rc=$?
[ $rc -eq 42 ] || { strace -o /dev/null true 2>/dev/null || { echo "SKIP: ptrace refused"; exit 77; }; fail "live run exit $rc, not 42"; }
[ "$(head -n 1 "$T/rec")" = "# iopstop-recording 2" ] || fail "no magic line"
perms=$(stat -c %a "$T/rec")
[ "$perms" = 600 ] || fail "recording mode $perms, not 600"
tail -n 1 "$T/rec" | grep -q '^X end_us=' || fail "no end line"

# Replay: the same JSON byte for byte (same -d), also paced and from stdin.
"$IOPSTOP" -q -d 0.5 -r "$T/rec" --json="$T/rep.json" || fail "replay exit $?"
cmp "$T/live.json" "$T/rep.json" || { diff "$T/live.json" "$T/rep.json" | head; fail "replay JSON differs from the live run"; }
"$IOPSTOP" -q -d 0.5 -r - --json="$T/rep2.json" <"$T/rec" || fail "replay from stdin"
cmp "$T/live.json" "$T/rep2.json" || fail "stdin replay JSON differs"
"$IOPSTOP" -q -d 0.5 -r "$T/rec" --speed=4 --json="$T/rep3.json" || fail "paced replay"
cmp "$T/live.json" "$T/rep3.json" || fail "paced replay JSON differs"
"$IOPSTOP" -q -d 0.5 -r "$T/rec" --json="$T/rep4.json" && cmp -s "$T/rep.json" "$T/rep4.json" ||
	fail "two replays differ"
# Without -d a recording replays in its own interval (0.5 s here).
"$IOPSTOP" -q -r "$T/rec" --json="$T/rep5.json" || fail "replay without -d"
cmp "$T/live.json" "$T/rep5.json" || fail "replay without -d does not adopt the recorded interval"
"$IOPSTOP" -q -d 1 -r "$T/rec" --json="$T/rep6.json" || fail "replay with -d 1"
grep -q '"interval_s": 1.0,' "$T/rep6.json" || fail "-d does not override the recorded interval"

# The recording carries every event: its event lines match the JSON counts.
python3 - "$T/rec" "$T/live.json" "$T/wl.json" "$D" <<'PY' || fail "recording content"
import json, sys
rec, live, wl, d = sys.argv[1:]
j = json.load(open(live)); w = json.load(open(wl))
paths = {}; ops = {"read": 0, "write": 0}; files = {}
def unesc(s):
    b = bytearray(); i = 0
    while i < len(s):
        if s[i] == "\\": b.append(int(s[i+2:i+4], 16)); i += 4
        else: b.append(ord(s[i])); i += 1
    return bytes(b)
for line in open(rec, encoding="ascii"):
    f = line.rstrip("\n").split(" ")
    if f[0] == "P": paths[f[1]] = unesc(f[3])
    elif f[0][0].isdigit() or f[0][0] == "-":
        assert len(f) == 10, line
        if f[3] in ops and f[7] == "0":
            ops[f[3]] += 1
            p = paths.get(f[9], b"").decode("utf-8", "surrogateescape")
            c = files.setdefault(p, [0, 0, 0, 0])
            k = 0 if f[3] == "read" else 1
            c[k] += 1; c[2 + k] += int(f[5])
assert ops["read"] == j["read"]["ops"], (ops, j["read"])
assert ops["write"] == j["write"]["ops"], (ops, j["write"])
for p, c in w["files"].items():
    assert files[p] == [c["read_ops"], c["write_ops"], c["read_bytes"], c["write_bytes"]], (p, files[p], c)
PY

# A raw strace log of the workload gives the counts the workload printed.
strace -f -ttt -T -y -o "$T/log" "$WORKLOAD" "$D" >"$T/wl2.json" 2>/dev/null
[ $? -eq 42 ] || fail "strace run of the workload"
"$IOPSTOP" -q -r "$T/log" --json="$T/log.json" || fail "replay of a raw strace log: exit $?"
python3 - "$T/log.json" "$T/wl2.json" <<'PY' || fail "raw strace log counts"
import json, sys
j = json.load(open(sys.argv[1])); w = json.load(open(sys.argv[2]))
got = {f["path"]: f for f in j["files"]}
for p, c in w["files"].items():
    g = got[p]
    for k in ("read_ops", "write_ops", "read_bytes", "write_bytes"):
        assert g[k] == c[k], (p, k, g[k], c[k])
assert j["read"]["errors"] >= w["read_errors"] and j["write"]["errors"] >= w["write_errors"]
PY

# Truncated: the good part is reported, the message names the line, exit 1.
size=$(wc -c <"$T/rec")
head -c $((size / 2)) "$T/rec" >"$T/trunc"
"$IOPSTOP" -q -r "$T/trunc" --json="$T/trunc.json" 2>"$T/err"
[ $? -eq 1 ] || fail "truncated recording: exit not 1"
grep -q "trunc:[0-9][0-9]*: " "$T/err" || { cat "$T/err"; fail "truncated: no line number"; }
python3 -c "import json,sys; j=json.load(open(sys.argv[1])); assert j['read']['ops']+j['write']['ops']>0" "$T/trunc.json" ||
	fail "truncated: nothing reported"
# Cut at a line boundary (as a killed recorder leaves it): no end line.
head -n 40 "$T/rec" >"$T/cut"
"$IOPSTOP" -q -r "$T/cut" --json=/dev/null 2>"$T/err"
[ $? -eq 1 ] && grep -q "cut:40: .*end line" "$T/err" || { cat "$T/err"; fail "cut recording"; }

# Corrupt: one bad line in the middle is named, the rest still counts.
bad=$(awk 'NR > 20 && /^[0-9]/ { print NR; exit }' "$T/rec")
awk -v n="$bad" 'NR == n { $4 = "bogus" } { print }' "$T/rec" >"$T/corrupt"
"$IOPSTOP" -q -r "$T/corrupt" --json="$T/corrupt.json" 2>"$T/err"
[ $? -eq 1 ] || fail "corrupt recording: exit not 1"
grep -q "corrupt:$bad: " "$T/err" || { cat "$T/err"; fail "corrupt: line $bad not named"; }
python3 -c "import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert 0 < a['total']['ops'] <= b['total']['ops']" \
	"$T/corrupt.json" "$T/live.json" || fail "corrupt: good part not reported"
# A newer version is refused clearly.
printf '# iopstop-recording 7\n1 1 1 read read 1 1 0 file 0\n' >"$T/v7"
"$IOPSTOP" -q -r "$T/v7" 2>"$T/err"
[ $? -eq 1 ] && grep -q "newer" "$T/err" || fail "newer version"

# Random bytes: a clear error, never a crash; also bytes after the magic.
for seed in 1 2 3; do
	python3 -c "import random,sys; r=random.Random($seed); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(20000)))" >"$T/rnd"
	"$IOPSTOP" -q -r "$T/rnd" --json=/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] && [ -s "$T/err" ] || fail "random bytes: exit $rc"
	{ echo "# iopstop-recording 1"; cat "$T/rnd"; } >"$T/rnd2"
	"$IOPSTOP" -q -r "$T/rnd2" --json=/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 1 ] && grep -q "rnd2:[0-9]" "$T/err" || fail "random recording body: exit $rc"
done

# -w never overwrites without --force, never follows a symlink.
echo keep >"$T/exists"
"$IOPSTOP" -q -w "$T/exists" -- true 2>"$T/err"
[ $? -eq 1 ] && grep -q "exists" "$T/err" && [ "$(cat "$T/exists")" = keep ] || fail "existing file overwritten"
"$IOPSTOP" -q -w "$T/exists" --force -- true || fail "--force"
head -n 1 "$T/exists" | grep -q iopstop-recording || fail "--force did not write"
ln -s "$T/target" "$T/link"
"$IOPSTOP" -q -w "$T/link" --force -- true 2>"$T/err"
[ $? -eq 1 ] && [ ! -e "$T/target" ] || fail "symlink followed"

# A write error: a clear message, the exit status says so, the file stays
# line-complete and replayable up to there.
"$IOPSTOP" -q -w /dev/full --force -- true 2>"$T/err"
[ $? -eq 1 ] && grep -q "No space left" "$T/err" || { cat "$T/err"; fail "/dev/full"; }
mkdir "$T/small"
if mount -t tmpfs -o size=16k tmpfs "$T/small" 2>/dev/null; then
	"$IOPSTOP" -q -w "$T/small/r" -- dd if=/dev/zero of=/dev/null bs=1 count=20000 2>"$T/err"
	[ $? -eq 1 ] && grep -q "No space left" "$T/err" || { cat "$T/err"; fail "full tmpfs"; }
	[ "$(tail -c 1 "$T/small/r" | od -An -c | tr -d ' ')" = '\n' ] || fail "full tmpfs: last line cut"
	"$IOPSTOP" -q -r "$T/small/r" --json="$T/small.json" 2>"$T/err"
	[ $? -eq 1 ] && grep -q "end line" "$T/err" || { cat "$T/err"; fail "full tmpfs replay"; }
	python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['read']['ops'] > 100" "$T/small.json" ||
		fail "full tmpfs: good part"
	umount "$T/small"
else
	echo "note: cannot mount a tmpfs here; the full-disk case ran on /dev/full only"
fi
echo "PASS"
