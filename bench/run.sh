#!/bin/bash
# run.sh - iopstop's benchmark suite (make bench).  Every figure is printed
# beside a reference measured in the same run, as a ratio, median of
# several runs.  BENCH_QUICK=1 runs smaller, shorter versions.
# Needs: IOPSTOP, WORK, GENLOG (set by make bench), strace, python3,
# /usr/bin/time.  Scratch data goes to BENCH_DIR (default bench/out).
set -u
: "${IOPSTOP:?}" "${WORK:?}" "${GENLOG:?}"
here=$(cd "$(dirname "$0")" && pwd)
QUICK=${BENCH_QUICK:-0}
OUT=${BENCH_DIR:-$PWD/bench/out}
mkdir -p "$OUT" || exit 1
OUT=$(cd "$OUT" && pwd)
W="$OUT/wdir"
mkdir -p "$W"
STRACE=$(command -v strace) || { echo "bench: strace not found" >&2; exit 1; }

if [ "$QUICK" = 1 ]; then
	LOG_LINES=${BENCH_LOG_LINES:-1000000}; RUNS=3; MIX_N=3000; MIX_RUNS=3
	NB_W=40000; NB_G=200000; NB_RUNS=1; IDLE_S=10; MEM_EV=2000000; START_RUNS=5
else
	LOG_LINES=${BENCH_LOG_LINES:-5000000}; RUNS=3; MIX_N=4000; MIX_RUNS=5
	NB_W=200000; NB_G=1000000; NB_RUNS=3; IDLE_S=60; MEM_EV=10000000; START_RUNS=11
fi

now() { echo "$EPOCHREALTIME"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
calc() { awk "BEGIN {printf \"%.${2:-3}f\", $1}"; }
# Wall time of a command, stdout/stderr to /dev/null.
wall() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); calc "$t1 - $t0" 4; }
# Wall and CPU (user+sys) seconds of a command: sets WALL and CPU.
timed() {
	local t0 t1
	t0=$(now)
	/usr/bin/time -f '%U %S' -o "$OUT/time" "$@" >/dev/null 2>&1
	t1=$(now)
	WALL=$(calc "$t1 - $t0" 4); CPU=$(awk 'END {print $1 + $2}' "$OUT/time")
}
# The workload's own elapsed_s line from a stderr file.
selft() { sed -n 's/.*elapsed_s=\([0-9.]*\).*/\1/p' "$1" | tail -1; }

RESULTS="$OUT/results.txt"
: > "$RESULTS"
row() {	# figure value reference ratio target verdict
	printf '%-34s %14s %14s %9s %10s  %s\n' "$@" | tee -a "$RESULTS"
}
verdict() { awk "BEGIN {exit !($1)}" && echo PASS || echo FAIL; }
say() { echo "== $*" >&2; }

echo "iopstop benchmarks  $(date -u +%FT%TZ)  quick=$QUICK"
echo "machine: nproc=$(nproc)  cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "strace: $($STRACE -V | head -1)"
echo

# The syscall list iopstop gives strace: run it once through a wrapper.
cat > "$OUT/strace-wrap" <<EOW
#!/bin/sh
printf '%s\n' "\$@" > "$OUT/strace-args"
exec "$STRACE" "\$@"
EOW
chmod +x "$OUT/strace-wrap"
IOPSTOP_STRACE="$OUT/strace-wrap" "$IOPSTOP" --backend=strace --json=/dev/null -q -- true
TRACE=$(sed -n 's/^trace=//p' "$OUT/strace-args")
[ -n "$TRACE" ] || { echo "bench: could not learn iopstop's trace list" >&2; exit 1; }
BARE=("$STRACE" -f -q -ttt -T -y -s 0 -e signal=none -e "trace=$TRACE" --seccomp-bpf)

# ---- 1. parsing -------------------------------------------------------
LOG="$OUT/strace-$LOG_LINES.log"
if [ ! -s "$LOG" ]; then
	say "capturing a real trace of a mixed workload"
	rm -rf "$W"/*
	"$STRACE" -f -ttt -T -y -s 0 -o "$OUT/capture.log" sh -c "
		'$WORK' mixed '$W' 2000 2>/dev/null
		tar cf - '$here/..' 2>/dev/null | gzip -1 > /dev/null
		python3 -c 'import os,json,sys
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        os.stat(os.path.join(d, f))' '$here/..'
		ls -lR '$here/..' > /dev/null" || exit 1
	say "replicating it to $LOG_LINES lines"
	python3 "$here/mklog.py" "$OUT/capture.log" "$LOG_LINES" "$LOG" || exit 1
fi
say "parsing: wc -l vs iopstop -r (median of $RUNS)"
wc -l "$LOG" >/dev/null; "$IOPSTOP" -r "$LOG" --json=/dev/null -q	# warm the cache
tw=(); ti=(); cw=(); ci=()
for i in $(seq "$RUNS"); do
	timed wc -l "$LOG"; tw+=("$WALL"); cw+=("$CPU")
	timed "$IOPSTOP" -r "$LOG" --json=/dev/null -q; ti+=("$WALL"); ci+=("$CPU")
done
TW=$(median "${tw[@]}"); TI=$(median "${ti[@]}"); CW=$(median "${cw[@]}"); CI1=$(median "${ci[@]}")
"$IOPSTOP" -r "$LOG" --json="$OUT/parse.json" -q
EVENTS=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))
print(j["read"]["ops"]+j["write"]["ops"]+j["read"]["errors"]+j["write"]["errors"]+j["meta"]["ops"])' "$OUT/parse.json")
R1=$(calc "$TI / $TW" 2)
R1C=$(calc "$CI1 / ($CW > 0 ? $CW : 0.01)" 2)

# ---- 4. throughput ------------------------------------------------------
EPS=$(calc "$EVENTS / $TI" 0)
EPSC=$(calc "$EVENTS / $CI1" 0)

# ---- 2. capture overhead, and the channel -------------------------------
say "capture overhead: workload 'mixed $MIX_N' (median of $MIX_RUNS, interleaved)"
ta=(); tb=(); tc=(); td=(); tu=(); wa=(); wb=()
for i in $(seq "$MIX_RUNS"); do
	rm -f "$W"/f*.dat
	"$WORK" mixed "$W" "$MIX_N" 2>"$OUT/e"; tu+=("$(selft "$OUT/e")")
	rm -f "$W"/f*.dat
	t0=$(now); "${BARE[@]}" -o "$OUT/bare.trace" -- "$WORK" mixed "$W" "$MIX_N" 2>"$OUT/e"; t1=$(now)
	ta+=("$(selft "$OUT/e")"); wa+=("$(calc "$t1 - $t0" 4)")
	rm -f "$W"/f*.dat
	t0=$(now); "$IOPSTOP" --backend=strace --json=/dev/null -q -- "$WORK" mixed "$W" "$MIX_N" 2>"$OUT/e"; t1=$(now)
	tb+=("$(selft "$OUT/e")"); wb+=("$(calc "$t1 - $t0" 4)")
	rm -f "$W"/f*.dat
	{ "${BARE[@]}" -o /dev/stdout -- "$WORK" mixed "$W" "$MIX_N" 2>"$OUT/e"; } | cat > /dev/null
	tc+=("$(selft "$OUT/e")")
	rm -f "$W"/f*.dat
	{ "${BARE[@]}" -o /dev/stdout -- "$WORK" mixed "$W" "$MIX_N" 2>"$OUT/e"; } |
		"$IOPSTOP" -r - --json=/dev/null -q
	td+=("$(selft "$OUT/e")")
done
TU=$(median "${tu[@]}"); TA=$(median "${ta[@]}"); TB=$(median "${tb[@]}")
TC=$(median "${tc[@]}"); TD=$(median "${td[@]}"); WA=$(median "${wa[@]}"); WB=$(median "${wb[@]}")
rm -f "$OUT/bare.trace"

# ---- 3. versus the notebook tool's flags -------------------------------
say "notebook flags: $NB_W writes + $NB_G getpid (median of $NB_RUNS)"
nu=(); nn=(); ni=()
for i in $(seq "$NB_RUNS"); do
	"$WORK" notebook "$W" "$NB_W" "$NB_G" 2>"$OUT/e"; nu+=("$(selft "$OUT/e")")
	"$STRACE" -f -e trace=read,write,pread64,pwrite64,readv,writev -o "$OUT/nb.trace" \
		"$WORK" notebook "$W" "$NB_W" "$NB_G" 2>"$OUT/e"; nn+=("$(selft "$OUT/e")")
	"$IOPSTOP" --backend=strace --json=/dev/null -q -- "$WORK" notebook "$W" "$NB_W" "$NB_G" 2>"$OUT/e"
	ni+=("$(selft "$OUT/e")")
done
rm -f "$OUT/nb.trace"
NU=$(median "${nu[@]}"); NN=$(median "${nn[@]}"); NI=$(median "${ni[@]}")
SN=$(calc "$NN / $NU" 1); SI=$(calc "$NI / $NU" 1); R3=$(calc "$SI / $SN" 3)

# ---- 5. idle cost -------------------------------------------------------
say "idle: iopstop -b -- sleep, and top -b -d 1, over $IDLE_S s"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
"$IOPSTOP" --backend=strace -b -- sleep $((IDLE_S + 10)) > /dev/null 2>&1 &
IP=$!
top -b -d 1 > /dev/null 2>&1 &
TP=$!
sleep 3
SP=$(cat "/proc/$IP/task/$IP/children" 2>/dev/null | awk '{print $1}')
i0=$(ticks "$IP"); p0=$(ticks "$TP"); s0=$(ticks "${SP:-0}"); t0=$(now)
sleep "$IDLE_S"
i1=$(ticks "$IP"); p1=$(ticks "$TP"); s1=$(ticks "${SP:-0}"); t1=$(now)
kill "$TP" 2>/dev/null; kill "$IP" 2>/dev/null; wait "$TP" "$IP" 2>/dev/null
HZ=$(getconf CLK_TCK)
CI=$(calc "($i1 - $i0) / $HZ / ($t1 - $t0) * 100" 3)
CT=$(calc "($p1 - $p0) / $HZ / ($t1 - $t0) * 100" 3)
CS=$(calc "($s1 - $s0) / $HZ / ($t1 - $t0) * 100" 3)
RES=$(calc "100 / $HZ / ($t1 - $t0)" 3)

# ---- 6. memory ----------------------------------------------------------
say "memory: max RSS replaying synthetic logs through a pipe"
rss() {	# EVENTS SPAN_S -> KiB
	"$GENLOG" "$1" "$2" | /usr/bin/time -f '%M' -o "$OUT/rss" \
		"$IOPSTOP" -r - --json=/dev/null -q; tail -1 "$OUT/rss"
}
M1=$(rss $((MEM_EV / 10)) 60)
M2=$(rss "$MEM_EV" 600)
M3=$(rss $((MEM_EV / 3)) 3600)
M4=$(rss $((MEM_EV / 3)) 36000)

# ---- 7. start-up --------------------------------------------------------
say "start-up: iopstop -- true vs strace -f -o /dev/null true (median of $START_RUNS)"
su=(); ss=()
for i in $(seq "$START_RUNS"); do
	ss+=("$(wall "$STRACE" -f -o /dev/null true)")
	su+=("$(wall "$IOPSTOP" --backend=strace --json=/dev/null -q -- true)")
done
SS=$(median "${ss[@]}"); SU=$(median "${su[@]}")
DS=$(calc "($SU - $SS) * 1000" 1)

# ---- 8. preload backend -------------------------------------------------
# The preload backend: $PL_W 64-byte writes + $PL_G getpid, untraced vs
# iopstop --backend=preload (and strace's backend for scale); the
# program's own elapsed time and the whole run's wall time.
PL_W=${BENCH_PL_W:-200000}; PL_G=${BENCH_PL_G:-1000000}; PL_RUNS=${BENCH_PL_RUNS:-7}
say "preload: $PL_W x 64 B writes + $PL_G getpid (median of $PL_RUNS, interleaved)"
pu=(); pp=(); ps=(); wu=(); wp=()
for i in $(seq "$PL_RUNS"); do
	t0=$(now); "$WORK" notebook "$W" "$PL_W" "$PL_G" 64 2>"$OUT/e"; t1=$(now)
	pu+=("$(selft "$OUT/e")"); wu+=("$(calc "$t1 - $t0" 4)")
	t0=$(now); "$IOPSTOP" --backend=preload --json="$OUT/pl.json" -q -- \
		"$WORK" notebook "$W" "$PL_W" "$PL_G" 64 2>"$OUT/e"; t1=$(now)
	pp+=("$(selft "$OUT/e")"); wp+=("$(calc "$t1 - $t0" 4)")
	if [ "$i" -le 2 ]; then
		"$IOPSTOP" --backend=strace --json=/dev/null -q -- \
			"$WORK" notebook "$W" "$PL_W" "$PL_G" 64 2>"$OUT/e"
		ps+=("$(selft "$OUT/e")")
	fi
done
PU=$(median "${pu[@]}"); PP=$(median "${pp[@]}"); PS=$(median "${ps[@]}")
WU=$(median "${wu[@]}"); WP=$(median "${wp[@]}")
PLW=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))
print(sum(f["write_ops"] for f in j["files"] if f["path"].endswith("/nb.dat")), j["dropped_events"])' "$OUT/pl.json")

# ---- table --------------------------------------------------------------
echo
row "figure" "value" "reference" "ratio" "target" "verdict"
row "1 parse ${LOG_LINES} lines, wall (s)" "$TI" "wc -l $TW" "$R1" "<=4" "$(verdict "$R1 <= 4")"
row "1 same, CPU user+sys (s)" "$CI1" "wc -l $CW" "$R1C" "<=4" "$(verdict "$R1C <= 4")"
row "2 capture, iopstop vs strace (s)" "$TB" "strace $TA" "$(calc "$TB / $TA" 3)" "<=1.05" "$(verdict "$TB / $TA <= 1.05")"
row "2 capture, same, wall (s)" "$WB" "strace $WA" "$(calc "$WB / $WA" 3)" "info" ""
row "2 untraced workload (s)" "$TU" "-" "-" "info" ""
row "2 channel: strace>pipe>cat (s)" "$TC" "file $TA" "$(calc "$TC / $TA" 3)" "info" ""
row "2 channel: pipe>iopstop -r - (s)" "$TD" "iopstop $TB" "$(calc "$TD / $TB" 3)" "info" ""
row "3 slowdown vs untraced" "${SI}x" "notebook ${SN}x" "$R3" "<=0.3" "$(verdict "$R3 <= 0.3")"
row "3 untraced notebook workload (s)" "$NU" "-" "-" "info" ""
row "4 replay events/s (wall)" "$EPS" "2000000" "$(calc "$EPS / 2000000" 2)" ">=1" "$(verdict "$EPS >= 2000000")"
row "4 replay events/CPU-s" "$EPSC" "2000000" "$(calc "$EPSC / 2000000" 2)" ">=1" "$(verdict "$EPSC >= 2000000")"
row "5 idle CPU % (iopstop -b)" "$CI" "top $CT" "$(calc "($CI + 0.000001) / ($CT + 0.000001)" 3)" "<=0.2%" "$(verdict "$CI <= 0.2")"
row "5 idle CPU % (its strace)" "$CS" "tick=$RES%" "-" "info" ""
row "6 max RSS KiB, $MEM_EV ev/600s" "$M2" "$((MEM_EV / 10)) ev $M1" "$(calc "$M2 / $M1" 3)" "<=16MiB" "$(verdict "$M2 <= 16384 && $M2 / $M1 <= 1.1")"
row "6 max RSS KiB, 1 h simulated" "$M3" "-" "-" "<=16MiB" "$(verdict "$M3 <= 16384")"
row "6 max RSS KiB, 10 h simulated" "$M4" "1 h $M3" "$(calc "$M4 / $M3" 3)" "flat" "$(verdict "$M4 / $M3 <= 1.1")"
row "7 start-up (s)" "$SU" "strace $SS" "+${DS}ms" "<=+50ms" "$(verdict "$DS <= 50")"
row "8 preload, program time (s)" "$PP" "untraced $PU" "$(calc "$PP / $PU" 3)" "<=1.10" "$(verdict "$PP / $PU <= 1.10")"
row "8 preload, run wall (s)" "$WP" "untraced $WU" "$(calc "$WP / $WU" 3)" "<=1.10" "$(verdict "$WP / $WU <= 1.10")"
row "8 strace backend, program (s)" "$PS" "untraced $PU" "$(calc "$PS / $PU" 2)" "info" ""
row "8 preload writes seen, dropped" "${PLW% *}" "$PL_W" "drop ${PLW#* }" "exact" "$(verdict "${PLW% *} == $PL_W && ${PLW#* } == 0")"
say "access tracking and findings: replay with and without (median of $RUNS)"
IOPSTOP="$IOPSTOP" BENCH_DIR="$OUT" bash "$here/tracking.sh" "$LOG" "$RUNS" | tee -a "$RESULTS"
echo
echo "events in the parse log: $EVENTS; results also in $RESULTS"

# ---- 9. the backends against each other ------------------------------------
echo
IOPSTOP="$IOPSTOP" WORK="$WORK" BENCH_DIR="$OUT" bash "$here/backends.sh" | tee -a "$RESULTS"
