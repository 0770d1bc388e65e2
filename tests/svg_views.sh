#!/bin/sh
# svg_views.sh - the SVG parsed: a metadata storm shows in its band, the title
# names command, backend and elapsed time, both histogram panels are there,
# and no two text boxes meet.  The --heatmap text carries the band too.
. "$srcdir/tests/lib.sh"
command -v strace >/dev/null 2>&1 || { echo "SKIP: strace is not installed"; exit 77; }

# A stat storm: 3000 lookups of names that do not exist, and a few writes.
cat > "$TMP/storm.sh" <<'SH'
i=0
while [ $i -lt 3000 ]; do [ -e "/nonexistent/iopstop-$i" ]; i=$((i + 1)); done
head -c 65536 /dev/zero > "$1/data"
SH
"$IOPSTOP" -q --svg="$TMP/h.svg" --heatmap --json="$TMP/h.json" -- sh "$TMP/storm.sh" "$TMP" \
	>"$TMP/text" 2>"$TMP/err" || { not_ok "iopstop on the storm"; cat "$TMP/err"; }

check "the SVG: band, title, panels, no overlapping text" "$PY" - "$TMP/h.svg" "$TMP/h.json" <<'PY'
import json, sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
j = json.load(open(sys.argv[2]))
rects = list(root.iter(ns + "rect"))
band = [r for r in rects if r.get("class") == "meta-cell"]
stat = sum(int(r.get("data-calls")) for r in band if r.get("data-fam") == "stat")
# every lookup the storm made is in the band's stat row
want = sum(v for k, v in j["meta"]["by_call"].items() if k in ("newfstatat", "stat", "statx", "lstat", "access", "faccessat", "faccessat2"))
want += sum(v for k, v in j["meta"].get("errors_by_call", {}).items() if k in ("newfstatat", "stat", "statx", "lstat"))
assert stat >= 3000, ("stat band", stat, want)
texts = [t for t in root.iter(ns + "text")]
title = [t.text for t in texts if t.get("class") == "t"][0]
assert "iopstop: sh " in title and "storm.sh" in title, title
sub = " ".join(t.text for t in texts)
assert "backend " in sub and "elapsed" in sub and "UTC" in sub, sub
assert any(t.text.startswith("totals: read") for t in texts)
panels = {g.get("data-what") for g in root.iter(ns + "g") if g.get("class") == "histogram"}
assert panels == {"ops", "bytes"}, panels
fams = {t.text for t in texts if "m" in (t.get("class") or "").split()}
assert "stat" in fams, fams

def box(t):
    size = {"t": 15, "t2": 12}.get((t.get("class") or "").split()[0], 11)
    w = len(t.text or "") * size * 0.6
    x, y = float(t.get("x")), float(t.get("y"))
    a = t.get("text-anchor", "start")
    x0 = x if a == "start" else x - w / 2 if a == "middle" else x - w
    x1, y0, y1 = x0 + w, y - size * 0.8, y + size * 0.2
    if t.get("transform", "").startswith("rotate(-90"):
        # turned about (x, y): its width runs up the page
        return (x - size * 0.8, y - (x1 - x), x + size * 0.2, y + (x - x0))
    return (x0, y0, x1, y1)
boxes = [(box(t), t.text) for t in texts if t.text]
bad = []
for i in range(len(boxes)):
    for k in range(i + 1, len(boxes)):
        (a, ta), (b, tb) = boxes[i], boxes[k]
        if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5:
            bad.append((ta, tb))
assert not bad, bad[:5]
PY

check "--heatmap text: the band's stat row is lit" awk '
	/^ *stat\|/ { sub(/^ *stat\|/, ""); if ($0 ~ /[^ ]/) lit = 1 }
	END { exit !lit }' "$TMP/text"
check "--heatmap text: ASCII within 80 columns" awk '
	length($0) > 80 || /[^ -~]/ { bad = 1 } END { exit bad }' "$TMP/text"
finish
