#!/bin/sh
# hostile_names.sh - file names, arguments and process names with escape
# sequences, control bytes, quotes, backslashes, a newline, invalid UTF-8
# and a 4000-byte path: exact in JSON and through a recording, visibly
# escaped on screen (never raw), a cut path marked with an ellipsis.
. "$srcdir/tests/lib.sh"
command -v strace >/dev/null || { echo "SKIP: strace is not installed"; exit 77; }
strace -o /dev/null true 2>/dev/null || { echo "SKIP: ptrace refused here"; exit 77; }
PYBIN=$("$PY" -c 'import sys; print(sys.executable)')
HN="$srcdir/tests/hostile_names.py"
ARG1=$(printf 'arg\033]0;argtitle\007')
ARG2=$(printf 'a\nb\377')

# ---- JSON: every path, count and argument exact --------------------------
mkdir "$TMP/zqx" || exit 99
timeout 120 "$IOPSTOP" -q --backend=strace -d 0.5 --json="$TMP/live.json" -w "$TMP/rec" -- \
	"$PYBIN" "$HN" "$TMP/zqx" "$ARG1" "$ARG2" >"$TMP/expect.json"
check "workload runs (exit $?)" [ -s "$TMP/expect.json" ]
check "JSON: each hostile path exact, with its counts" "$PY" - "$TMP/live.json" "$TMP/expect.json" <<'EOF'
import json, sys
got = {f["path"]: f for f in json.load(open(sys.argv[1]))["files"]}
want = json.load(open(sys.argv[2]))
assert len(want) == 10
for p, c in want.items():
    g = got[p]          # KeyError: missing, or not byte-exact
    assert (g["write_ops"], g["write_bytes"]) == (c["write_ops"], c["write_bytes"]), (p, g)
assert max(len(p.encode("utf-8", "surrogateescape")) for p in want) >= 4000
EOF
check "JSON: the command's arguments exact (invalid UTF-8 as \\udcXX)" "$PY" - "$TMP/live.json" "$TMP/zqx" "$ARG1" "$ARG2" <<'EOF'
import json, os, sys
cmd = json.load(open(sys.argv[1]))["command"]
assert cmd[2:] == sys.argv[2:], (cmd, sys.argv[2:])
assert "\\udcff" in open(sys.argv[1]).read()
EOF
# ---- recording: escaped, and replayed to the same JSON ----------------------
check "recording: only printable ASCII" sh -c '! LC_ALL=C grep -q "[^ -~]" "$1"' sh "$TMP/rec"
"$IOPSTOP" -q -d 0.5 -r "$TMP/rec" --json="$TMP/replay.json"
check "recording: replays without error (exit $?)" [ $? -eq 0 ]
check "recording: replay JSON identical to the live run" cmp "$TMP/live.json" "$TMP/replay.json"

# ---- a process name (prctl) and argv[0] (exec -a), attached --------------
COMM=$(printf '\033]0;ct\007\nx')
ARGV0=$(printf 'ev\033[2Jil')
mkdir "$TMP/zqc" || exit 99
if command -v bash >/dev/null; then
	bash -c 'exec -a "$1" "$2" "$3" --comm "$4" "$5"' sh "$ARGV0" "$PYBIN" "$HN" "$COMM" "$TMP/zqc" >"$TMP/ready" &
else
	"$PYBIN" "$HN" --comm "$COMM" "$TMP/zqc" >"$TMP/ready" &
	ARGV0=$PYBIN
fi
tgt=$!
n=100
while [ ! -s "$TMP/ready" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
timeout 60 "$IOPSTOP" -q -b -n 2 -d 0.2 --json="$TMP/attach.json" -p $tgt >/dev/null
check "attached: the process name exact" "$PY" - "$TMP/attach.json" "$COMM" "$ARGV0" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["processes"][0]["comm"] == sys.argv[2], j["processes"][0]
assert j["command"][0] == sys.argv[3], j["command"]
EOF

# ---- on screen: escaped, never raw -----------------------------------------
if ! command -v tmux >/dev/null; then
	kill $tgt
	echo "# note: no tmux, the on-screen part is skipped"
	finish
	exit
fi
SOCK="iopstop-hn-$$"
T="tmux -L $SOCK -f /dev/null"
trap '$T kill-server >/dev/null 2>&1; kill $tgt 2>/dev/null; rm -rf "$TMP"' EXIT
# Outlives the "ui" sessions: killing the last one would end the server
# under the next new-session.
$T new-session -d -s keep "sleep 3600" || exit 99
cap() { $T capture-pane -p -t ui >"$TMP/screen" 2>/dev/null; }
wait_for() { # wait_for FIXED-STRING [SECONDS]
	n=$(( ${2:-10} * 5 ))
	while [ $n -gt 0 ]; do
		cap
		grep -qF -- "$1" "$TMP/screen" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	echo "# screen while waiting for '$1':"; sed 's/^/# /' "$TMP/screen"
	return 1
}
title() { $T display -p -t ui '#{pane_title}'; }
mkdir "$TMP/zqy" || exit 99
$T new-session -d -s ui -x 220 -y 40 "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm \
 \"$IOPSTOP\" -d 0.2 -o \"$TMP/out\" -- \"$PYBIN\" \"$HN\" \"$TMP/zqy\" \"\$(printf 'arg\\033]0;argtitle\\007')\" \
 \"\$(printf 'a\\nb\\377')\"; sleep 60" || exit 99
title0=$(title)
check "header: arguments escaped" wait_for 'arg\033]0;argtitle\007 a\012b\xff' 20
check "header: the run is shown ended" wait_for '[exited 0]' 20
# one key at a time, each seen on screen: a slow (sanitized) view may read
# a burst of keys late
$T send-keys -t ui f
wait_for 'Files: ' 20 >/dev/null
$T send-keys -t ui /
wait_for 'filter: _' 20 >/dev/null
$T send-keys -t ui z q y
wait_for 'filter: zqy_' 20 >/dev/null
$T send-keys -t ui Enter
check "files view: filtered to the hostile names" wait_for 'filter: zqy' 20
for want in '/zqy/\033[31mred' '/zqy/\033]0;title\007' '/zqy/ctl\001\002\177\x9b' \
	"/zqy/q\"uote'single" '/zqy/back\\slash\\n' '/zqy/new\012line' '/zqy/\xff\xfe' \
	'/zqy/t\011ab sp ace' '/zqy/café'; do
	# (the description without backslashes: dash's echo would expand them)
	check "files view: shows $(printf '%s' "$want" | tr '\\' '^')" grep -qF -- "$want" "$TMP/screen"
done
check "files view: the 4000-byte path cut visibly (ellipsis, then its tail)" \
	grep -q '…L*-end\.dat *$' "$TMP/screen"
check "screen: no control byte captured" sh -c '! LC_ALL=C grep -q "[[:cntrl:]]" "$1"' sh "$TMP/screen"
check "no title change from a name or argument (still '$title0')" [ "$(title)" = "$title0" ]
$T send-keys -t ui q
$T kill-session -t ui >/dev/null 2>&1

$T new-session -d -s ui -x 160 -y 30 "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm \"$IOPSTOP\" -p $tgt; sleep 60" || exit 99
title0=$(title)
if [ "$ARGV0" != "$PYBIN" ]; then
	check "attached header: argv[0] escaped" wait_for 'ev\033[2Jil' 20
fi
$T send-keys -t ui p
check "processes view: the name escaped" wait_for '\033]0;ct\007\012x' 10
check "attached: no title change (still '$title0')" [ "$(title)" = "$title0" ]
$T send-keys -t ui q
kill $tgt
finish
