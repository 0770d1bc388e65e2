#!/bin/sh
# out_reports.sh - batch and CSV columns, the SVG (well-formed, the right
# cells), --heatmap/--histogram (ASCII, 80 columns), --path and --top.
set -u
: "${IOPSTOP:?}" "${WORKLOAD:?}"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-rep.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir "$T/d" || exit 99
D=$(cd "$T/d" && pwd -P)
"$IOPSTOP" -q -d 0.05 -w "$T/rec" -- "$WORKLOAD" "$D" >"$T/wl.json"
rc=$?
[ $rc -eq 42 ] || { echo "SKIP: cannot trace the workload here (exit $rc)"; exit 77; }
"$IOPSTOP" -q -d 0.05 -r "$T/rec" --json="$T/all.json" || fail "replay"

# Batch and CSV: the documented columns, one line per interval, and the
# per-interval rates add up to the run's totals.
"$IOPSTOP" -q -d 0.05 -r "$T/rec" -b >"$T/batch" || fail "batch exit"
head -n 1 "$T/batch" | grep -q '^ *time_s  *read_op/s  *write_op/s  *read_B/s  *write_B/s  *meta_op/s  *errors  *top_size$' ||
	fail "batch header: $(head -n 1 "$T/batch")"
"$IOPSTOP" -q -d 0.05 -r "$T/rec" -b --csv >"$T/csv" || fail "csv exit"
python3 - "$T/csv" "$T/all.json" "$T/batch" <<'PY' || fail "CSV content"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
j = json.load(open(sys.argv[2]))
assert rows[0] == ["t_s", "read_iops", "write_iops", "read_bytes_per_s", "write_bytes_per_s",
                   "meta_iops", "errors", "top_bucket_lo"], rows[0]
body = rows[1:]
assert body and all(len(r) == 8 for r in body)
dt = j["interval_s"]
ts = [float(r[0]) for r in body]
# Whole intervals, then the last one, partial: stamped and averaged by the
# run's end.
assert all(abs(b - a - dt) < 1e-6 for a, b in zip(ts[:-1], ts[1:-1])), ts
# (Less than 1 ms past the last whole interval counts as a whole interval.)
last = j["elapsed_s"] - (len(body) - 1) * dt
if last < 0.001:
    last = dt
assert abs(ts[-1] - ((len(body) - 1) * dt + last)) < 1e-3, (ts[-1], j["elapsed_s"])
durs = [dt] * (len(body) - 1) + [last]
def total(col):
    return round(sum(float(r[col]) * d for r, d in zip(body, durs)))
assert total(1) == j["read"]["ops"], (total(1), j["read"]["ops"])
assert total(2) == j["write"]["ops"], (total(2), j["write"]["ops"])
assert abs(total(3) - j["read"]["bytes"]) <= 1, (total(3), j["read"]["bytes"])
assert sum(int(r[6]) for r in body) == j["read"]["errors"] + j["write"]["errors"] + j["meta"]["errors"]
lines = open(sys.argv[3]).read().splitlines()
assert len(lines) == len(rows), (len(lines), len(rows))
PY

# SVG: well-formed, a cell per non-empty JSON heatmap cell, same counts.
"$IOPSTOP" -q -d 0.05 -r "$T/rec" --svg="$T/h.svg" || fail "svg exit"
python3 - "$T/h.svg" "$T/all.json" <<'PY' || fail "SVG content"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
assert root.tag == ns + "svg"
cells = [e for e in root.iter(ns + "rect") if e.get("class") == "cell"]
j = json.load(open(sys.argv[2]))
want = {(round(c["t"], 6), c["lo"]): (c["read_ops"], c["write_ops"]) for c in j["heatmap"]["cells"]}
got = {(round(float(e.get("data-t")), 6), int(e.get("data-lo"))):
       (int(e.get("data-read-ops")), int(e.get("data-write-ops"))) for e in cells}
assert len(cells) > 0 and got == want, (len(got), len(want))
texts = [t.text for t in root.iter(ns + "text")]
for lbl in ("0", "1", "1K", "1M"):
    assert lbl in texts, lbl
# the time axis starts at 0 in the unit its spacing fits
assert any(t in texts for t in ("0s", "0ms", "0us")), texts
assert any(t and t.startswith("time since start (a column is ") for t in texts)
bars = [e for e in root.iter(ns + "rect") if e.get("class") == "bar"]
assert sum(int(e.get("data-read-ops", 0)) for e in bars) == j["read"]["ops"]
PY

# Text renderings: ASCII, at most 80 columns, every size with ops shown.
"$IOPSTOP" -q -d 0.05 -r "$T/rec" --heatmap --histogram >"$T/text" || fail "text exit"
LC_ALL=C awk 'length($0) > 80 { print "long: " $0; bad = 1 } /[^ -~]/ { print "non-ASCII: " $0; bad = 1 } END { exit bad }' "$T/text" ||
	fail "text reports wider than 80 columns or not ASCII"
grep -q '^heatmap:' "$T/text" && grep -q '^size histogram' "$T/text" || fail "text report titles"
python3 - "$T/text" "$T/all.json" <<'PY' || fail "histogram text"
import json, sys
text = open(sys.argv[1]).read().split("size histogram")[1].splitlines()[2:]
j = json.load(open(sys.argv[2]))
rows = [l.split() for l in text if l.strip()]
assert [(int(r[1]), int(r[2])) for r in rows] == [(h["read_ops"], h["write_ops"]) for h in j["histogram"]]
PY

# --path: only files under the prefix count; the totals are the workload's.
"$IOPSTOP" -q -d 0.05 -r "$T/rec" --path="$D" --json="$T/path.json" || fail "--path exit"
"$IOPSTOP" -q -d 0.05 -r "$T/rec" --path=/nonexistent --path="$D/" --json="$T/path2.json" || fail "--path twice"
"$IOPSTOP" -q -d 0.05 -r "$T/rec" --path="$D/main" --json="$T/path3.json" || fail "--path partial"
python3 - "$T/path.json" "$T/wl.json" "$D" "$T/path2.json" "$T/path3.json" <<'PY' || fail "--path content"
import json, sys
j = json.load(open(sys.argv[1])); w = json.load(open(sys.argv[2])); d = sys.argv[3]
assert j["files"] and all(f["path"].startswith(d + "/") or f["path"] == d for f in j["files"]), [f["path"] for f in j["files"]]
for k, key in (("read", "read_ops"), ("write", "write_ops")):
    assert j[k]["ops"] == sum(c[key] for c in w["files"].values()), (k, j[k]["ops"])
assert j["read"]["bytes"] == sum(c["read_bytes"] for c in w["files"].values())
j2 = json.load(open(sys.argv[4]))
# "DIR/" matches what is under DIR, not DIR itself.
assert j2["total"] == j["total"] and j2["files"] == [f for f in j["files"] if f["path"] != d]
# A prefix matches whole path components: ".../main" is not ".../main.dat".
j3 = json.load(open(sys.argv[5]))
assert j3["files"] == [] and j3["total"]["ops"] == 0, j3["files"]
PY

# --top N bounds the files and processes lists, keeping the busiest.
"$IOPSTOP" -q -d 0.05 -r "$T/rec" --top=2 --json="$T/top.json" || fail "--top exit"
python3 - "$T/top.json" "$T/all.json" <<'PY' || fail "--top content"
import json, sys
t = json.load(open(sys.argv[1])); a = json.load(open(sys.argv[2]))
assert len(a["files"]) > 2 and len(a["processes"]) > 1
assert t["files"] == a["files"][:2] and t["processes"] == a["processes"][:2]
assert t["total"] == a["total"]
PY
echo "PASS"
