#!/bin/sh
# ui_views.sh - the views and their keys, in private tmux servers:
# -r opens the view (whole run, paused at its end, every key), --speed
# plays it in time; a 3 s run fills the width once it ended; a stat-only
# workload lights the metadata band in the default view; merged rows are
# labelled by the sizes they hold (exact 512/1K/2K/4K writes); the files
# view at 40x12 names the files; a tight write loop gets the slow-down line.
set -u
if ! command -v tmux >/dev/null 2>&1; then
	echo "SKIP: tmux is not installed (the view suite needs it)"
	exit 77
fi
command -v strace >/dev/null 2>&1 || { echo "SKIP: strace is not installed"; exit 77; }
: "${IOPSTOP:?IOPSTOP not set}" "${DEMO:?DEMO not set}" "${srcdir:?srcdir not set}"

SOCK="iopstop-$$-views"
T="tmux -L $SOCK -f /dev/null"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/iopstop-views.XXXXXX") || exit 99
cleanup() { $T kill-server >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
SES=ui0
cap() { $T capture-pane -p -t "$SES"; }

# wait_for PATTERN [SECONDS]: poll the pane until grep -E finds PATTERN
wait_for() {
	n=$(( ${2:-10} * 5 ))
	while [ "$n" -gt 0 ]; do
		cap > "$tmp/screen" 2>/dev/null
		grep -Eq -- "$1" "$tmp/screen" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	echo "--- screen while waiting for /$1/:"; cat "$tmp/screen"
	return 1
}
key() {
	$T send-keys -t "$SES" "$1"
	if wait_for "$2" 5; then ok "$3"; else fail "$3 (key $1)"; fi
}
# run WxH CMD: a fresh session running CMD, its status in $tmp/status
# (a new session each time: killing the last one would end the server
# under the next new-session)
nses=0
run() {
	[ "$nses" -gt 0 ] && $T kill-session -t "$SES" >/dev/null 2>&1
	nses=$((nses + 1))
	rm -f "$tmp/status"
	sz=$1; shift
	SES=ui$nses
	[ "$nses" -eq 1 ] && $T new-session -d -s keep "sleep 600"
	$T new-session -d -s "$SES" -x "${sz%x*}" -y "${sz#*x}" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color $* 2>\"$tmp/summary\";\
 echo \$? >\"$tmp/status\"; sleep 120" || exit 99
}
wait_status() {
	n=100
	while [ ! -s "$tmp/status" ] && [ "$n" -gt 0 ]; do sleep 0.2; n=$((n - 1)); done
	cat "$tmp/status" 2>/dev/null
}
# lit ROWLABEL: columns (1-based, after the axis) lit in the row so labelled
lit() {
	awk -v lab="$1" '
		{ i = index($0, "\342\224\202"); w = 3
		  if (i < 2) { i = index($0, "|"); w = 1 }
		  if (i < 2) next
		  l = substr($0, 1, i - 1); gsub(/ /, "", l) }
		l == lab { rest = substr($0, i + w); n = 0
			for (c = 1; c <= length(rest); c++) if (substr(rest, c, 1) != " ") n++
			print n; exit }' "$tmp/screen"
}

# ---- 1. -r on a terminal: the view, whole run, every key ------------------------
"$IOPSTOP" -q -d 0.1 -w "$tmp/rec" -o "$tmp/out" -- "$DEMO" >/dev/null 2>&1 ||
	fail "recording the demo"
run 100x30 "\"$IOPSTOP\" -r \"$tmp/rec\""
if wait_for 'finished' 15; then ok "-r on a terminal opens the view"
else fail "-r did not open the view"; fi
wait_for 'whole run' 5 && ok "replay shows the whole run at once" ||
	fail "replay: not the whole run"
key z 'col 100ms' "z: live intervals of the recording"
key z 'whole run' "z: the whole run again"
key + 'run x2' "+: zoom into the run"
key - 'whole run' "-: the whole run"
key l 'by duration' "l: latency"
key h 'Size histogram' "h: histogram"
key f 'Files: ' "f: files"
grep -q 'large.dat' "$tmp/screen" && ok "files view of the recording" || fail "files content"
key p 'Processes: ' "p: processes"
key '?' 'Keys' "?: help"
key Escape 'ops by size' "Esc: heatmap"
$T send-keys -t "$SES" q
st=$(wait_status)
[ "$st" = 0 ] && ok "q leaves the replay, status 0" || fail "replay exit status '$st'"
grep -q 'iopstop summary' "$tmp/summary" && ok "summary after the replay's view" ||
	fail "no summary after the replay"

# a raw strace log made elsewhere: the same view, named by its first execve
run 100x30 "\"$IOPSTOP\" -r \"$srcdir/tests/fixtures/strace/workload.in\""
if wait_for 'finished' 15; then
	head -n 1 "$tmp/screen" | grep -q '^ workload ' && ok "raw log: the header names its program" ||
		fail "raw log header: $(head -n 1 "$tmp/screen")"
	key m 'metadata calls by call' "m: metadata by call"
	wait_for 'newfstatat' 10 && ok "m lists the log's calls" || fail "m: no calls"
else
	fail "-r of a raw strace log did not open the view"
fi
$T send-keys -t "$SES" q
wait_status >/dev/null

# --speed plays it in time: running first, then finished
run 100x30 "\"$IOPSTOP\" -r \"$tmp/rec\" --speed=1"
wait_for 'running' 10 && ok "--speed=1: the replay plays in time" || fail "--speed: not running"
wait_for 'finished' 20 && ok "--speed=1: finished at the end" || fail "--speed: did not finish"
$T send-keys -t "$SES" q
wait_status >/dev/null

# ---- 2. a 3 s run fills the width after it ended --------------------------------
cat > "$tmp/three.sh" <<'EOF'
i=0
while [ $i -lt 30 ]; do
	dd if=/dev/zero of="$1/f" bs=4096 count=4 status=none
	sleep 0.1
	i=$((i + 1))
done
EOF
run 120x40 "\"$IOPSTOP\" -o \"$tmp/out\" -- sh \"$tmp/three.sh\" \"$tmp\""
if wait_for 'exited 0' 30; then
	# the 4K row: heat in the first and the last tenth of the plot
	span=$(awk '
		{ i = index($0, "\342\224\202"); if (i < 2) next
		  l = substr($0, 1, i - 1); gsub(/ /, "", l) }
		l == "4K" || l ~ /^4K-/ || l ~ /-4K$/ { rest = substr($0, i + 3); first = 0; last = 0
			# one display column per character (UTF-8 shades are 1-3 bytes)
			n = 0; s = rest
			while (length(s) > 0) {
				c = substr(s, 1, 1); b = 1
				if (c >= "\300") b = c >= "\360" ? 4 : c >= "\340" ? 3 : 2
				n++; if (substr(s, 1, b) != " ") { if (!first) first = n; last = n }
				s = substr(s, b + 1)
			}
			print first, last, n; exit }' "$tmp/screen")
	set -- $span
	# (the first write waits for sh and dd to start: up to a fifth of the
	# run on a loaded machine; the last is 0.1 s before the end)
	if [ $# -eq 3 ] && [ "$1" -le $(( $3 / 5 )) ] && [ "$2" -ge $(( $3 - 12 )) ]; then
		ok "a finished 3 s run fills the width (4K heat from col $1 to $2 of $3)"
	else
		fail "finished run does not fill the width: '$span'"; cat "$tmp/screen"
	fi
	grep -Eq '\|[0-9.]+s' "$tmp/screen" && ok "time axis labelled in seconds" ||
		fail "time axis labels"
else
	fail "3 s run not shown ended"
fi
$T send-keys -t "$SES" q
wait_status >/dev/null

# ---- 3. a stat-only workload lights the band in the default view ----------------
run 100x30 "\"$IOPSTOP\" -o \"$tmp/out\" -- sh -c 'i=0; while [ \$i -lt 20000 ]; do [ -e /nonexistent/\$i ]; i=\$((i+1)); done'"
if wait_for 'exited 0' 60; then
	n=$(lit stat)
	if [ -n "$n" ] && [ "$n" -ge 3 ]; then ok "stat storm: the band's stat row is lit ($n cells)"
	else fail "stat storm: stat row lit '$n'"; cat "$tmp/screen"; fi
else
	fail "stat storm not shown ended"
fi
$T send-keys -t "$SES" q
wait_status >/dev/null

# ---- 4. merged rows name the sizes they hold: 512, 1K, 2K, 4K writes -----------
cat > "$tmp/sizes.sh" <<'EOF'
for bs in 512 1024 2048 4096; do dd if=/dev/zero of="$1/s$bs" bs=$bs count=50 status=none; done
EOF
run 80x14 "\"$IOPSTOP\" -o \"$tmp/out\" -- sh \"$tmp/sizes.sh\" \"$tmp\""
if wait_for 'exited 0' 20; then
	$T send-keys -t "$SES" w
	wait_for 'writes ops by size' 5 || fail "w: writes"
	awk '
		function val(s,  n, u) { n = s + 0; u = substr(s, length(s))
			return u == "K" ? n * 1024 : u == "M" ? n * 1048576 : n }
		{ i = index($0, "\342\224\202"); if (i < 2) next
		  l = substr($0, 1, i - 1); gsub(/ /, "", l)
		  if (l !~ /^[0-9]/) next
		  rest = substr($0, i + 3); if (rest !~ /[^ ]/) next
		  n = split(l, p, "-"); lo = val(p[1]); hi = 2 * val(p[n])
		  for (s = 512; s <= 4096; s *= 2) if (s >= lo && s < hi) hit[s]++
		  rows++; print "# lit row " l " holds [" lo ", " hi ")" }
		END { for (s = 512; s <= 4096; s *= 2) if (hit[s] != 1) { print "# size " s " on " hit[s] " rows"; bad = 1 }
		      if (!rows) bad = 1
		      exit bad }' "$tmp/screen" && ok "merged rows: each size on the one row whose label holds it" ||
		{ fail "merged row labels"; cat "$tmp/screen"; }
	grep -q 'sizes/row' "$tmp/screen" && fail "title still says sizes/row" || ok "no 'sizes/row' in the title"
else
	fail "sizes run not shown ended"
fi
$T send-keys -t "$SES" q
wait_status >/dev/null

# ---- 5. files view at 40x12 names the files -------------------------------------
run 40x12 "\"$IOPSTOP\" -d 0.2 -o \"$tmp/out\" -- \"$DEMO\""
if wait_for 'exited' 30; then
	$T send-keys -t "$SES" f
	if wait_for '(small|medium|large)\.dat' 5; then ok "files view at 40x12 names the files"
	else fail "files view at 40x12 shows no names"; fi
else
	fail "demo at 40x12 not shown ended"
fi
$T send-keys -t "$SES" q
wait_status >/dev/null

# ---- 6. a tight write loop: the slow-down line ----------------------------------
run 120x30 "\"$IOPSTOP\" --backend=strace -o \"$tmp/out\" -- dd if=/dev/zero of=/dev/null bs=512 count=100000"
if wait_for 'strace slows this at least ~[0-9]+x; try --backend=preload' 60; then
	ok "tight write loop: the header names strace's slow-down"
else
	fail "no slow-down line"
fi
wait_for 'exited 0' 60 >/dev/null
$T send-keys -t "$SES" q
wait_status >/dev/null
grep -q 'strace slows this' "$tmp/summary" && grep -q 'preload may miss' "$tmp/summary" &&
	ok "the summary names the slow-down and what preload may miss" ||
	{ fail "summary slow-down line"; cat "$tmp/summary"; }

[ "$fails" -eq 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
