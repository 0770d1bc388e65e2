#!/bin/bash
# tracking.sh - the cost of access tracking and the findings rules:
# replaying a strace log with them (the default) and without
# (IOPSTOP_NO_TRACK=1), CPU user+sys and max RSS, median of RUNS; and,
# when BASE_IOPSTOP names another build (e.g. the one before tracking),
# that build on the same log.  Called by run.sh with the 5M-line log;
# also alone: bench/tracking.sh LOG [RUNS].
set -u
: "${IOPSTOP:?}"
LOG=${1:?usage: tracking.sh LOG [RUNS]}
RUNS=${2:-5}
OUT=${BENCH_DIR:-$(dirname "$LOG")}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
calc() { awk "BEGIN {printf \"%.${2:-3}f\", $1}"; }
# CPU seconds and max RSS KiB of one replay: "CPU RSS".
one() { /usr/bin/time -f '%U %S %M' -o "$OUT/ttime" env "$@" -r "$LOG" --json=/dev/null -q; awk 'END {print $1 + $2, $3}' "$OUT/ttime"; }
env IOPSTOP_NO_TRACK=1 "$IOPSTOP" -r "$LOG" --json=/dev/null -q	# warm the cache
on=(); off=(); base=(); ron=(); roff=(); rbase=()
for i in $(seq "$RUNS"); do	# interleaved, so load drifts hit both
	read -r c r < <(one IOPSTOP_NO_TRACK=1 "$IOPSTOP"); off+=("$c"); roff+=("$r")
	read -r c r < <(one IOPSTOP_NO_TRACK=0 "$IOPSTOP"); on+=("$c"); ron+=("$r")
	if [ -n "${BASE_IOPSTOP:-}" ]; then
		read -r c r < <(one IOPSTOP_NO_TRACK=0 "$BASE_IOPSTOP"); base+=("$c"); rbase+=("$r")
	fi
done
ON=$(median "${on[@]}"); OFF=$(median "${off[@]}")
RON=$(median "${ron[@]}"); ROFF=$(median "${roff[@]}")
R=$(calc "$ON / $OFF" 3)
printf '%-34s %14s %14s %9s %10s  %s\n' "9 tracking+rules, CPU (s)" "$ON" "off $OFF" "$R" "<=1.15" \
	"$(awk "BEGIN {exit !($R <= 1.15)}" && echo PASS || echo FAIL)"
printf '%-34s %14s %14s %9s %10s  %s\n' "9 tracking+rules, max RSS KiB" "$RON" "off $ROFF" \
	"$(calc "$RON / $ROFF" 3)" "info" ""
if [ -n "${BASE_IOPSTOP:-}" ]; then
	BASE=$(median "${base[@]}"); RBASE=$(median "${rbase[@]}")
	R2=$(calc "$ON / $BASE" 3)
	printf '%-34s %14s %14s %9s %10s  %s\n' "9 vs the build before, CPU (s)" "$ON" "base $BASE" "$R2" "<=1.15" \
		"$(awk "BEGIN {exit !($R2 <= 1.15)}" && echo PASS || echo FAIL)"
	printf '%-34s %14s %14s %9s %10s  %s\n' "9 vs the build before, RSS KiB" "$RON" "base $RBASE" \
		"$(calc "$RON / $RBASE" 3)" "info" ""
fi
