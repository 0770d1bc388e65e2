#!/bin/bash
# recsize.sh - what a recording costs on disk per second, in each form
# (full: every event; bins: per-interval aggregates), at steady call rates.
#   IOPSTOP=... WORK=... bash bench/recsize.sh [SECONDS] [BACKEND]
# Prints: rate, form, calls seen, bytes, bytes/s, write(2) calls to the
# recording (its appends), and the largest single append.
set -u
: "${IOPSTOP:?}" "${WORK:?}"
SECS=${1:-10}
BACKEND=${2:-preload}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
printf '%8s %5s %10s %11s %10s %8s %10s\n' calls/s form calls bytes bytes/s appends max_append
for rate in 1000 10000 100000; do
	for form in full bins; do
		rm -f "$T"/*.dat "$T/rec"
		# strace the recorder's writes to its file: the appends it makes.
		strace -f --seccomp-bpf -y -e trace=write -e signal=none -o "$T/w.trace" \
			"$IOPSTOP" -b -q --backend="$BACKEND" --record=$form -w "$T/rec" \
			--json="$T/j.json" -- "$WORK" rate "$T" $rate "$SECS" >/dev/null 2>"$T/err"
		fd=$(grep -m1 -o 'elapsed_s=[0-9.]*' "$T/err" | cut -d= -f2)
		calls=$(python3 -c "import json; r=json.load(open('$T/j.json')); print(r['total']['ops'] + r['meta']['ops'])")
		bytes=$(stat -c %s "$T/rec")
		# the recorder's writes: those whose size adds up to the file
		read -r n max < <(awk '/write\([0-9]+<[^>]*\/rec>/ { n++; s = $NF + 0; if (s > m) m = s }
			END { print n + 0, m + 0 }' "$T/w.trace")
		printf '%8d %5s %10d %11d %10.0f %8s %10s\n' $rate $form "$calls" "$bytes" \
			"$(echo "$bytes / $fd" | bc -l)" "$n" "$max"
	done
done
