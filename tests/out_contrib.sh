#!/bin/sh
# out_contrib.sh - contrib/iopstop_load.py (without pandas: lists of
# dicts) agrees with iopstop's JSON; the bash completion offers every
# option of --help.
set -u
: "${IOPSTOP:?}" "${WORKLOAD:?}" "${srcdir:?}"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-contrib.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$T/d" "$T/py" || exit 99
D=$(cd "$T/d" && pwd -P)
"$IOPSTOP" -q -w "$T/rec" --json="$T/run.json" -- "$WORKLOAD" "$D" >"$T/wl.json"
rc=$?
[ $rc -eq 42 ] || { echo "SKIP: cannot trace the workload here (exit $rc)"; exit 77; }

# Hide pandas and matplotlib, whether installed or not: the loader must
# work with the standard library alone.
printf 'raise ImportError("hidden by the test")\n' >"$T/py/pandas.py"
cp "$T/py/pandas.py" "$T/py/matplotlib.py"
PYTHONPATH="$T/py:$srcdir/contrib" python3 - "$T/rec" "$T/run.json" "$T/wl.json" <<'PY' || fail "loader"
import json, sys
import iopstop_load as il
assert il._pd is None
rec, js, wl = sys.argv[1:]
j = json.load(open(js))
w = json.load(open(wl))
dj = il.load(js)
dr = il.load(rec)
assert dj["kind"] == "json" and dr["kind"] == "recording"
assert isinstance(dj["files"], list) and isinstance(dr["events"], list)
assert dj["summary"]["total"] == j["total"]
assert dj["files"] == j["files"] and dj["heatmap"] == j["heatmap"]["cells"]
# A recording gives the heatmap and histogram iopstop computed.
assert dr["bin_s"] == j["heatmap"]["bin_s"], (dr["bin_s"], j["heatmap"]["bin_s"])
assert dr["histogram"] == j["histogram"], (dr["histogram"], j["histogram"])
norm = lambda cells: sorted((round(c["t"], 6), c["lo"], c["read_ops"], c["write_ops"],
                             c["read_bytes"], c["write_bytes"]) for c in cells)
assert norm(dr["heatmap"]) == norm(j["heatmap"]["cells"])
assert dr["header"]["command"] == j["command"] and dr["header"]["version"] == 2
# Events per workload file: the workload's own counts.
for p, c in w["files"].items():
    ev = [e for e in dr["events"] if e["path"] == p and e["errno"] == "0"]
    assert sum(e["class"] == "read" for e in ev) == c["read_ops"], p
    assert sum(e["bytes"] for e in ev if e["class"] == "write") == c["write_bytes"], p
assert il.plot_heatmap(dj) is None     # no matplotlib: no plot, no crash
assert il.unescape("a\\x20b\\xff") == "a b\udcff"
PY
PYTHONPATH="$T/py" python3 "$srcdir/contrib/iopstop_load.py" "$T/rec" >"$T/out" || fail "loader CLI"
grep -q '^events: [1-9][0-9]* rows' "$T/out" || fail "loader CLI output"

# Bash completion: every long option of --help is offered.
if command -v bash >/dev/null; then
	"$IOPSTOP" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$T/opts"
	bash -c '
		. "$1"
		COMP_WORDS=(iopstop --); COMP_CWORD=1; COMP_LINE="iopstop --"; COMP_POINT=${#COMP_LINE}
		_iopstop
		printf "%s\n" "${COMPREPLY[@]}" | sed "s/=\$//"
		COMP_WORDS=(iopstop --backend ""); COMP_CWORD=2; _iopstop
		printf "backend:%s\n" "${COMPREPLY[@]}"
	' sh "$srcdir/contrib/iopstop.bash-completion" >"$T/comp" 2>"$T/comperr" ||
		{ cat "$T/comperr"; fail "completion script"; }
	while read -r o; do
		grep -qx -- "$o" "$T/comp" || fail "completion misses $o"
	done <"$T/opts"
	grep -qx 'backend:strace' "$T/comp" || fail "completion of --backend values"
fi
echo "PASS"
