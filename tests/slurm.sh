#!/bin/sh
# slurm.sh - a real one-node Slurm cluster, started by the test itself
# (munged, slurmctld, slurmd as root; its own slurm.conf with this
# machine's name, CPUs and memory, in a private directory; ports of its
# own), and iopstop under srun: four ranks' recordings by template, their
# merge equal to the sum of the per-rank reports exactly, and --follow of
# a running 2-rank job that prints interval lines and ends with the job.
. "$srcdir/tests/lib.sh"
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "the one-node cluster needs root (munged, slurmd)"
for c in munged slurmctld slurmd srun sinfo scontrol scancel; do
	command -v $c >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v $c >/dev/null 2>&1 ||
		skip "$c is missing (apt-get install slurm-wlm munge)"
done
PATH=$PATH:/usr/sbin
strace -o /dev/null true 2>/dev/null || skip "strace missing or ptrace refused"
SUM="$srcdir/tests/jobsum.py"
C="$TMP/cluster"
mkdir -p "$C/state" "$C/spool" "$C/munge" && chmod 700 "$C" "$C/munge" || exit 99

daemons=""
cleanup() {
	[ -n "$daemons" ] && SLURM_CONF="$C/slurm.conf" scancel --cluster="$CLUSTER" -u root >/dev/null 2>&1
	for p in $daemons; do kill "$p" 2>/dev/null; done
	for p in $daemons; do
		n=0
		while kill -0 "$p" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

HOST=$(hostname -s)
CPUS=$(nproc)
MEM=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
# Ports of our own, so a cluster on this machine (or a second run) is
# left alone; free ones, found by trying to listen.
free_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'
}
P1=$(free_port); P2=$(free_port)
while [ "$P2" = "$P1" ]; do P2=$(free_port); done
CLUSTER=iopstop$$

dd if=/dev/urandom of="$C/munge/key" bs=1024 count=1 2>/dev/null && chmod 400 "$C/munge/key"
munged -F -f --key-file="$C/munge/key" --socket="$C/munge/sock" --pid-file="$C/munge/pid" \
	--log-file="$C/munge/log" --seed-file="$C/munge/seed" 2>"$C/munged.err" &
daemons="$!"
n=0
while [ ! -S "$C/munge/sock" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
[ -S "$C/munge/sock" ] || { cat "$C/munged.err" "$C/munge/log" 2>/dev/null; echo "FAIL: munged did not start"; exit 1; }

cat >"$C/slurm.conf" <<CONF
ClusterName=$CLUSTER
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$C/munge/sock
CredType=cred/munge
SlurmctldPort=$P1
SlurmdPort=$P2
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/slurmctld.log
SlurmdLogFile=$C/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=iop Nodes=$HOST Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
export SLURM_CONF="$C/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$C/slurmctld.out" 2>&1 &
daemons="$daemons $!"
slurmd -D -f "$SLURM_CONF" -N "$HOST" >"$C/slurmd.out" 2>&1 &
daemons="$daemons $!"
# Up when the node is idle (seconds; a loaded machine gets a minute).
n=0
while [ "$(sinfo -h -n "$HOST" -o %t 2>/dev/null)" != idle ] && [ $n -lt 600 ]; do
	sleep 0.1; n=$((n + 1))
done
if [ "$(sinfo -h -n "$HOST" -o %t 2>/dev/null)" != idle ]; then
	tail -n 5 "$C/slurmctld.log" "$C/slurmd.log" "$C/slurmctld.out" "$C/slurmd.out" 2>/dev/null
	echo "FAIL: the one-node Slurm cluster did not come up (logs above)"
	exit 1
fi
ok "one-node cluster up: $HOST, $CPUS CPUs, ${MEM} MB, ports $P1/$P2"

# Four ranks, each in its own directory, one template for all.
mkdir -p "$TMP/io" && for r in 0 1 2 3; do mkdir -p "$TMP/w/$r"; done
srun -O -n 4 -N 1 -t 5 -o "$TMP/srun.%t.out" \
	"$IOPSTOP" -b -q -w "$TMP/io/%j.%r.rec" --json="$TMP/io/%j.%r.json" -- \
	sh -c 'exec "$0" "$1/$SLURM_PROCID" >"$1/$SLURM_PROCID.json"' "$WORKLOAD" "$TMP/w" >"$TMP/srun.out" 2>&1
rc=$?
check "srun -n 4 iopstop ... -- workload: exit 42 (the workload's)" [ $rc -eq 42 ]
[ $rc -eq 42 ] || cat "$TMP/srun.out"
job=$(ls "$TMP/io" | sed -n 's/^\([0-9][0-9]*\)\.0\.rec$/\1/p')
check "the recording of rank 0 is named by the job id" [ -n "$job" ]
check "four recordings by template: $job.{0,1,2,3}.rec" \
	sh -c "[ \$(ls '$TMP/io' | grep -c '^$job\.[0-3]\.rec\$') -eq 4 ]"
check "each names its host, rank and job" sh -c "for r in 0 1 2 3; do
	grep -q '^# rank '\$r'\$' '$TMP/io/$job.'\$r'.rec' && grep -q '^# job $job\$' '$TMP/io/$job.'\$r'.rec' &&
	grep -q '^# host $(hostname)\$' '$TMP/io/$job.'\$r'.rec' || exit 1; done"
for r in 0 1 2 3; do
	check "rank $r: iopstop's counts are the workload's own" \
		"$PY" "$srcdir/tests/jsoncheck.py" files "$TMP/io/$job.$r.json" "$TMP/w/$r.json"
done
RANKS="$TMP/io/$job.0.json $TMP/io/$job.1.json $TMP/io/$job.2.json $TMP/io/$job.3.json"
"$IOPSTOP" -q -r "$TMP/io/$job.*.rec" --json="$TMP/merged.json"
check "iopstop -r 'JOB.*.rec': exit 0" [ $? -eq 0 ]
check "the merge is the sum of the four ranks, exactly" "$PY" "$SUM" "$TMP/merged.json" $RANKS
check "merged: four sources, ranks 0-3, one job" "$PY" -c "
import json, sys
s = json.load(open('$TMP/merged.json'))['sources']
sys.exit(sorted(x['rank'] for x in s) != [0, 1, 2, 3] or {x['job'] for x in s} != {'$job'})"

# --follow from the "login node": started before the job, it waits for
# the recordings, shows the job while it runs (each rank waits until the
# follower has printed an interval line) and ends when both ranks end.
mkdir -p "$TMP/f" "$TMP/fw/0" "$TMP/fw/1"
"$IOPSTOP" -b -q -d 0.2 --follow -r "$TMP/f/*.rec" --json="$TMP/follow.json" \
	>"$TMP/follow.out" 2>"$TMP/follow.err" &
fpid=$!
srun -O -n 2 -N 1 -t 5 -o /dev/null \
	"$IOPSTOP" -b -q -d 0.2 -w "$TMP/f/%j.%r.rec" --json="$TMP/f/%j.%r.json" -- \
	sh -c '"$0" "$1/$SLURM_PROCID" >/dev/null; [ $? -eq 42 ] || exit 1
		n=0; while [ "$(grep -c "^ *[0-9]" "$2")" -lt 2 ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n+1)); done' \
	"$WORKLOAD" "$TMP/fw" "$TMP/follow.out" >"$TMP/srun2.out" 2>&1
rc=$?
[ $rc -eq 0 ] || cat "$TMP/srun2.out" "$TMP/follow.err"
check "the 2-rank job ran" [ $rc -eq 0 ]
n=0
while kill -0 "$fpid" 2>/dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
if kill -0 "$fpid" 2>/dev/null; then kill "$fpid"; not_ok "--follow did not end with the job"; fi
wait "$fpid"
check "--follow ended by itself when the job ended, exit 0" [ $? -eq 0 ]
check "--follow printed interval lines while the job ran" \
	[ "$(grep -c '^ *[0-9]' "$TMP/follow.out")" -ge 2 ]
set -- "$TMP"/f/*.json
check "--follow: the sum of the two ranks, exactly" "$PY" "$SUM" "$TMP/follow.json" "$@"
check "--follow: its interval lines add up to the totals (each shown complete)" \
	"$PY" "$SUM" lines "$TMP/follow.out" "$TMP/follow.json"

# The contrib job script, as a user would sbatch it.
mkdir -p "$TMP/sb" "$TMP/sbw"
sbatch --wait -n 2 -O -t 5 -o "$TMP/job.out" \
	--export=ALL,IOPSTOP_DIR="$TMP/sb",PATH="$(dirname "$IOPSTOP"):$PATH" \
	"$srcdir/contrib/slurm/iopstop-job.sh" sh -c \
	'mkdir -p "$1/$SLURM_PROCID" && "$0" "$1/$SLURM_PROCID" >/dev/null; [ $? -eq 42 ]' \
	"$WORKLOAD" "$TMP/sbw" >"$TMP/sbatch.out" 2>&1
rc=$?
[ $rc -eq 0 ] || cat "$TMP/sbatch.out" "$TMP/job.out"
check "sbatch contrib/slurm/iopstop-job.sh: exit 0" [ $rc -eq 0 ]
sbjob=$(sed -n 's/^Submitted batch job \([0-9]*\)$/\1/p' "$TMP/sbatch.out")
check "the job script merged its two bins recordings" "$PY" -c "
import json, sys
r = json.load(open('$TMP/sb/$sbjob.json'))
s = r['sources']
sys.exit(sorted(x['rank'] for x in s) != [0, 1] or {x['form'] for x in s} != {'bins'}
         or {x['state'] for x in s} != {'finished'} or r['write']['ops'] == 0)"
finish
