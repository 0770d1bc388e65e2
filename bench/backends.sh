#!/bin/bash
# backends.sh - what each backend costs the program it watches (make bench
# runs it last; it runs alone too): untraced vs iopstop's default (auto)
# vs --backend=strace, on five I/O-bound workloads, unpinned and pinned to
# one CPU (taskset -c 0: there ptrace's stops need no cross-CPU wake-up).
# Two ratios: the program's own time (bash around it reads the clock
# before and after, inside the traced tree, so iopstop's start-up and its
# last drain are not in it) and the whole run's wall time (they are).
# Each is the best of BENCH_REPS (3) interleaved runs: the machine is
# shared, and the fastest run is the one least disturbed by others.  Also checks that auto's per-file write counts equal strace's.
# sqlite3 runs with synchronous=off: with an fsync per commit this disk
# takes 15 ms a transaction and the run measures the disk, not the tracer.
# Needs IOPSTOP, WORK (set by make bench), strace, sqlite3, /usr/bin/python3.
set -u
: "${IOPSTOP:?}" "${WORK:?}"
OUT=${BENCH_DIR:-$PWD/bench/out}
mkdir -p "$OUT/be" || exit 1
D=$(cd "$OUT/be" && pwd -P)
PY=/usr/bin/python3
SQLN=${BENCH_SQL_N:-20000}
command -v strace >/dev/null || { echo "bench: strace not found" >&2; exit 1; }

now() { echo "$EPOCHREALTIME"; }
calc() { awk "BEGIN {printf \"%.${2:-3}f\", $1}"; }
# write_ops of one file in a JSON report (or "-")
wops() { "$PY" -c 'import json,sys
j=json.load(open(sys.argv[1])); print(sum(f["write_ops"] for f in j["files"] if f["path"] == sys.argv[2]) or "-")' "$1" "$2" 2>/dev/null || echo -; }

# name, the file whose writes are compared, setup, command
sqlfile="$D/tx.sql"
{ echo "pragma synchronous=off; create table t(x);"; i=0; while [ $i -lt "$SQLN" ]; do echo "begin; insert into t values($i); commit;"; i=$((i + 1)); done; } > "$sqlfile"
W=(
	"python-os.write|$D/py.out|rm -f $D/py.out|$PY -c 'import os; fd = os.open(\"$D/py.out\", os.O_WRONLY | os.O_CREAT | os.O_TRUNC); b = b\"x\" * 64; [os.write(fd, b) for _ in range(200000)]'"
	"c-fprintf-1M|$D/fp.out|rm -f $D/fp.out|$WORK fprintf $D/fp.out 1000000"
	"dd-bs512|$D/dd.out|rm -f $D/dd.out|dd if=/dev/zero of=$D/dd.out bs=512 count=200000 status=none"
	"sqlite3-${SQLN}tx|$D/x.db-journal|rm -f $D/x.db $D/x.db-journal|sqlite3 $D/x.db < $sqlfile"
	"mixed-200kw+1Mgetpid|$D/nb.dat|:|$WORK notebook $D 200000 1000000 64"
)

REPS=${BENCH_REPS:-3}
# One run of a command line (pinned by $pin): "program-s wall-s".
TIMER='t0=$EPOCHREALTIME; eval "$1"; t1=$EPOCHREALTIME; echo "prog_s=$t0 $t1" >&2'
once() {
	local t0 t1
	eval "$setup"; t0=$(now); $pin "$@" bash -c "$TIMER" _ "$cmd" >/dev/null 2>"$D/last.err"; t1=$(now)
	echo "$(sed -n 's/^prog_s=//p' "$D/last.err" | awk '{printf "%.4f", $2 - $1}') $(calc "$t1 - $t0" 4)"
}
best() { printf '%s\n' "$@" | sort -g | head -1; }

run() { # pin: one line of figures per workload
	local pin=$1 name file setup cmd tu ta ts u a s i
	for w in "${W[@]}"; do
		IFS='|' read -r name file setup cmd <<<"$w"
		u=(); a=(); s=(); uw=(); aw=(); sw=()
		for ((i = 0; i < REPS; i++)); do
			set -- $(once); u+=("$1"); uw+=("$2")
			set -- $(once "$IOPSTOP" -q --json="$D/a.json" --); a+=("$1"); aw+=("$2")
			cp "$D/last.err" "$D/a.err"
			set -- $(once "$IOPSTOP" -q --backend=strace --json="$D/s.json" --); s+=("$1"); sw+=("$2")
		done
		tu=$(best "${u[@]}"); ta=$(best "${a[@]}"); ts=$(best "${s[@]}")
		local wu wa_ ws_
		wu=$(best "${uw[@]}"); wa_=$(best "${aw[@]}"); ws_=$(best "${sw[@]}")
		local wa ws be
		wa=$(wops "$D/a.json" "$file"); ws=$(wops "$D/s.json" "$file")
		be=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["backend"])' "$D/a.json")
		printf '%-21s %-4s %7s %7s %7s %6sx %6sx | %6s %6s %6s %5sx %5sx | %7s %7s %s\n' "$name" \
			"$([ -n "$pin" ] && echo cpu0 || echo no)" "$tu" "$ta" "$ts" \
			"$(calc "$ta / $tu" 2)" "$(calc "$ts / $tu" 1)" "$wu" "$wa_" "$ws_" \
			"$(calc "$wa_ / $wu" 2)" "$(calc "$ws_ / $wu" 1)" "$wa" "$ws" \
			"$be$([ "$wa" = "$ws" ] && echo ", equal" || echo ", DIFFER")$(grep -v 'elapsed_s\|prog_s' "$D/a.err" | head -1 | cut -c1-80 | sed 's/^./; &/')"
	done
}

echo "backends: untraced vs auto vs --backend=strace, best of $REPS  $(date -u +%FT%TZ)"
echo "machine: nproc=$(nproc)  load: $(cut -d' ' -f1-3 /proc/loadavg)  kernel $(uname -r)"
echo "program time (s, ratio to untraced) | whole run wall (s, ratio) | writes counted on the file"
printf '%-21s %-4s %7s %7s %7s %7s %7s | %6s %6s %6s %6s %6s | %7s %7s %s\n' workload pin untrac auto strace auto/u strc/u untrac auto strace auto/u strc/u auto strace "auto's backend, counts"
run ""
if command -v taskset >/dev/null; then run "taskset -c 0"; fi
