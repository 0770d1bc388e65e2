#!/bin/sh
# merge.sh - recordings of a job's ranks (the launcher's variables faked):
# path templates, the version 2 header, the bins form, the merge of many
# recordings (-r repeated, a directory, a glob) equal to the sum of the
# ranks exactly, and --follow of recordings that do not exist yet.
. "$srcdir/tests/lib.sh"
strace -o /dev/null true 2>/dev/null || { echo "SKIP: strace missing or ptrace refused"; exit 77; }
SUM="$srcdir/tests/jobsum.py"
mkdir "$TMP/io" "$TMP/w0" "$TMP/w1" "$TMP/w2"

# Three ranks of job 4711: two full recordings, one compact.
rank() { # rank N FORM
	env -u PMI_RANK -u OMPI_COMM_WORLD_RANK -u PMIX_RANK SLURM_JOB_ID=4711 SLURM_PROCID=$1 \
		"$IOPSTOP" -b -q -d 0.2 --record=$2 -w "$TMP/io/%j.%r.rec" \
		--json="$TMP/io/%j.%r.json" -- "$WORKLOAD" "$TMP/w$1" >/dev/null
}
rank 0 full; r0=$?
rank 1 full; r1=$?
rank 2 bins; r2=$?
check "three ranks ran (exit 42 each)" [ "$r0$r1$r2" = 424242 ]
check "templates: %j.%r named every recording and report" \
	[ -s "$TMP/io/4711.0.rec" ] && [ -s "$TMP/io/4711.1.rec" ] && [ -s "$TMP/io/4711.2.rec" ] \
	&& [ -s "$TMP/io/4711.2.json" ]
check "header: version 2 with host, rank, job, form" \
	grep -q '^# iopstop-recording 2$' "$TMP/io/4711.2.rec" && \
	grep -q "^# host $(hostname)\$" "$TMP/io/4711.2.rec" && \
	grep -q '^# rank 2$' "$TMP/io/4711.2.rec" && grep -q '^# job 4711$' "$TMP/io/4711.2.rec" && \
	grep -q '^# form bins$' "$TMP/io/4711.2.rec" && grep -q '^# form full$' "$TMP/io/4711.0.rec"
check "bins form: aggregate lines, no event lines of I/O" \
	sh -c "grep -q '^A ' '$TMP/io/4711.2.rec' && ! grep -Eq '^[0-9-][^ ]* [0-9]+ [0-9]+ (read|write|meta) ' '$TMP/io/4711.2.rec'"
"$IOPSTOP" -q -r "$TMP/io/4711.2.rec" --json="$TMP/bins.json"
check "bins replay: the counts of its live run exactly" "$PY" "$SUM" same "$TMP/io/4711.2.json" "$TMP/bins.json"
check "bins replay: the same latency percentiles" \
	[ "$(jget "$TMP/bins.json" latency_us.read.p99)" = "$(jget "$TMP/io/4711.2.json" latency_us.read.p99)" ]
check "bins form is smaller than the full one" \
	[ "$(wc -c <"$TMP/io/4711.2.rec")" -lt "$(wc -c <"$TMP/io/4711.1.rec")" ]
check "a bad template is a usage error" sh -c "! '$IOPSTOP' -b -q -w '$TMP/%x' -- true 2>'$TMP/err' && grep -q 'unknown %x' '$TMP/err'"

RANKS="$TMP/io/4711.0.json $TMP/io/4711.1.json $TMP/io/4711.2.json"
"$IOPSTOP" -q -r "$TMP/io/4711.*.rec" --json="$TMP/glob.json"
check "merge of a glob: exit 0" [ $? -eq 0 ]
check "merge of a glob: the sum of the ranks, exactly" "$PY" "$SUM" "$TMP/glob.json" $RANKS
mkdir "$TMP/only"; cp "$TMP"/io/*.rec "$TMP/only/"
"$IOPSTOP" -q -r "$TMP/only" --json="$TMP/dir.json"
check "merge of a directory: the sum of the ranks" "$PY" "$SUM" "$TMP/dir.json" $RANKS
"$IOPSTOP" -q -r "$TMP/io/4711.0.rec" -r "$TMP/io/4711.1.rec" -r "$TMP/io/4711.2.rec" \
	--json="$TMP/rep.json"
check "merge of -r repeated: the sum of the ranks" "$PY" "$SUM" "$TMP/rep.json" $RANKS
check "merged processes carry host and rank" \
	"$PY" -c "import json,sys; r=json.load(open('$TMP/rep.json')); sys.exit(sorted({p['rank'] for p in r['processes']}) != [0,1,2] or any(p['host'] != '$(hostname)' for p in r['processes']))"
check "merged: the sources list the three ranks, aligned by their start" \
	"$PY" -c "import json,sys; s=json.load(open('$TMP/rep.json'))['sources']; sys.exit(len(s) != 3 or s[0]['t_last_s'] > s[2]['t_first_s'] or [x['form'] for x in s] != ['full','full','bins'])"
"$IOPSTOP" -q -r "$TMP/io/nothing.*.rec" 2>"$TMP/err"
check "a glob matching nothing: one clear line, exit 1" \
	sh -c "[ $? -eq 1 ] && grep -q 'no recording matches' '$TMP/err'"
# The ranks view (R) of the merged job, in a private tmux server.
if command -v tmux >/dev/null 2>&1; then
	TM="tmux -L iopstop-$$-merge -f /dev/null"
	$TM new-session -d -s m -x 100 -y 30 \
		"LANG=C '$IOPSTOP' -r '$TMP/io/4711.*.rec' --follow; sleep 60" 2>/dev/null
	screen_has() { # PATTERN: wait (10 s at most) until the pane shows it
		n=0
		while [ $n -lt 100 ]; do
			$TM capture-pane -p -t m >"$TMP/screen" 2>/dev/null
			grep -Eq -- "$1" "$TMP/screen" && return 0
			sleep 0.1; n=$((n + 1))
		done
		cat "$TMP/screen"; return 1
	}
	screen_has 'finished' && $TM send-keys -t m R
	three_ranks() {
		screen_has '^Ranks: 3' &&
			[ "$(grep -Ec "^$(hostname) +[0-2] +[0-9]+ .*finished" "$TMP/screen")" -eq 3 ]
	}
	check "R: the ranks view lists the three ranks" three_ranks
	check "R: the slowest and the busiest rank are marked" \
		sh -c "grep -q slowest '$TMP/screen' && grep -q busiest '$TMP/screen'"
	$TM send-keys -t m s
	check "R then s: sorted by bytes" screen_has 'Ranks: 3, by bytes'
	$TM kill-session -t m 2>/dev/null
	# A rank that stopped writing before its end record: quiet (after 5 s).
	mkdir "$TMP/q"
	cp "$TMP/io/4711.0.rec" "$TMP/q/"
	head -n -1 "$TMP/io/4711.1.rec" >"$TMP/q/4711.1.rec"
	$TM new-session -d -s m -x 100 -y 30 \
		"LANG=C '$IOPSTOP' -r '$TMP/q' --follow; sleep 60" 2>/dev/null
	screen_has 'events' && $TM send-keys -t m R
	quiet_rank() {
		n=0
		while [ $n -lt 3 ] && ! grep -Eq "^$(hostname) +1 .* quiet" "$TMP/screen"; do
			screen_has ' quiet' >/dev/null; n=$((n + 1))
		done
		grep -Eq "^$(hostname) +1 .* quiet" "$TMP/screen" &&
			grep -Eq "^$(hostname) +0 .* finished" "$TMP/screen"
	}
	check "--follow: a rank not grown for 5 s is quiet, one with its end record finished" quiet_rank
	$TM send-keys -t m q
	check "q ends a --follow that still waits" screen_has 'iopstop summary'
	$TM kill-server 2>/dev/null
fi

# A path that is several ranks' is one file, marked shared.
printf 'x' >"$TMP/shared.dat"
for r in 0 1; do
	SLURM_JOB_ID=9 SLURM_PROCID=$r "$IOPSTOP" -b -q -w "$TMP/io/s.%r.rec" -- cat "$TMP/shared.dat" >/dev/null
done
"$IOPSTOP" -q -r "$TMP/io/s.*.rec" --json="$TMP/shared.json"
check "a file several ranks read is one file, shared" \
	"$PY" -c "import json,sys; f=[x for x in json.load(open('$TMP/shared.json'))['files'] if x['path']=='$TMP/shared.dat']; sys.exit(len(f) != 1 or not f[0].get('shared') or f[0]['read_ops'] < 2)"
# Rank imbalance (Drishti's straggler rule): rank 1 copies 4 MiB, rank 0
# 64 KiB (read and written) -> rank-imbalance; an even job (one recording twice, as ranks 0
# and 1: the same bytes and times) -> none; one recording alone -> none.
for r in 0 1; do
	SLURM_JOB_ID=12 SLURM_PROCID=$r "$IOPSTOP" -b -q -w "$TMP/io/u.%r.rec" -- \
		dd if=/dev/zero of="$TMP/u$r.dat" bs=64k count=$((r * 63 + 1)) 2>/dev/null
done
"$IOPSTOP" -q -r "$TMP/io/u.*.rec" --json="$TMP/uneven.json"
imbalance() { # JSON [PYTHON-TEST]: rank-imbalance is there (and the test holds)
	"$PY" -c "import json,sys; f=[x for x in json.load(open(sys.argv[1]))['findings'] if x['id']=='rank-imbalance']; e=f[0]['evidence'] if f else {}; sys.exit(not f or not eval(sys.argv[2]))" "$1" "${2:-True}"
}
check "uneven ranks: rank-imbalance, rank 1 the slowest, with both ranks' bytes" imbalance "$TMP/uneven.json" \
	"e['slowest_rank'] == 1 and e['fastest_rank'] == 0 and e['slowest_bytes'] >= 8 << 20 and e['fastest_bytes'] < 1 << 20"
mkdir "$TMP/even"
sed 's/^# rank 1$/# rank 0/' "$TMP/io/u.1.rec" >"$TMP/even/e.0.rec"
cp "$TMP/io/u.1.rec" "$TMP/even/e.1.rec"
"$IOPSTOP" -q -r "$TMP/even" --json="$TMP/even.json"
check "an even job (a recording twice, as ranks 0 and 1): no rank-imbalance" \
	sh -c "[ -s '$TMP/even.json' ] && ! grep -q rank-imbalance '$TMP/even.json'"
"$IOPSTOP" -q -r "$TMP/io/u.1.rec" --json="$TMP/one.json"
check "one recording: no rank-imbalance" sh -c "[ -s '$TMP/one.json' ] && ! grep -q rank-imbalance '$TMP/one.json'"
# A recording cut short is an error naming it; a corrupt one too.
head -n 30 "$TMP/io/4711.1.rec" >"$TMP/only/4711.1.rec"
"$IOPSTOP" -q -r "$TMP/only" --json="$TMP/cut.json" 2>"$TMP/err"
check "merge with a cut recording: exit 1 naming it" \
	sh -c "[ $? -eq 1 ] && grep -q '4711.1.rec.*cut short' '$TMP/err'"

# --follow: started before the job, waits for its recordings, prints
# interval lines while it runs, ends when both ranks have finished.
mkdir "$TMP/f" "$TMP/fw0" "$TMP/fw1"
"$IOPSTOP" -b -d 0.2 -q --follow -r "$TMP/f/7.*.rec" --json="$TMP/follow.json" \
	>"$TMP/follow.out" 2>"$TMP/follow.err" &
fpid=$!
for r in 0 1; do
	SLURM_JOB_ID=7 SLURM_PROCID=$r "$IOPSTOP" -b -q -d 0.2 -w "$TMP/f/%j.%r.rec" \
		--json="$TMP/f/%j.%r.json" -- sh -c "\"\$1\" \"\$2\" >/dev/null; while [ ! -s \"\$3\" ]; do sleep 0.1; done" \
		sh "$WORKLOAD" "$TMP/fw$r" "$TMP/follow.out" >/dev/null &
	eval "rp$r=\$!"
done
wait "$rp0" "$rp1"
# The follower ends by itself once both end records are there.
n=0
while kill -0 "$fpid" 2>/dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
kill -0 "$fpid" 2>/dev/null && { kill "$fpid"; not_ok "--follow did not end with the job"; }
wait "$fpid"; frc=$?
check "--follow ended by itself, exit 0" [ $frc -eq 0 ]
check "--follow printed interval lines while the job ran" [ "$(grep -c '^ *[0-9]' "$TMP/follow.out")" -ge 2 ]
check "--follow: the sum of the ranks, exactly" "$PY" "$SUM" "$TMP/follow.json" "$TMP/f/7.0.json" "$TMP/f/7.1.json"
check "--follow: its interval lines add up to the totals (each shown complete)" \
	"$PY" "$SUM" lines "$TMP/follow.out" "$TMP/follow.json"
# A named recording that is not there yet is waited for; one written in
# pieces, cut in the middle of a line, is read whole, never an error.
REC="$TMP/io/4711.1.rec"
"$IOPSTOP" -b -q --follow -r "$TMP/later.rec" --json="$TMP/later.json" >/dev/null 2>"$TMP/later.err" &
lpid=$!
size=$(wc -c <"$REC")
half=$((size / 2))
head -c "$half" "$REC" >"$TMP/later.part"
check "the cut falls inside a line" [ "$(tail -c 1 "$TMP/later.part" | od -An -c | tr -d ' ')" != '\n' ]
mv "$TMP/later.part" "$TMP/later.rec"
# Until the follower has read the first half, the rest is held back.
n=0
while ! ls -l /proc/$lpid/fd 2>/dev/null | grep -q later.rec && [ $n -lt 300 ]; do
	sleep 0.1; n=$((n + 1))
done
tail -c +$((half + 1)) "$REC" >>"$TMP/later.rec"
n=0
while kill -0 "$lpid" 2>/dev/null && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
kill -0 "$lpid" 2>/dev/null && { kill "$lpid"; not_ok "--follow of a named file did not end"; }
wait "$lpid"
check "--follow waited for a named file, read a half-written line whole: exit 0" [ $? -eq 0 ]
check "--follow of it: its rank's counts exactly" "$PY" "$SUM" "$TMP/later.json" "$TMP/io/4711.1.json"
check "--follow needs -r" sh -c "! '$IOPSTOP' --follow -- true 2>/dev/null"
finish
