#!/bin/sh
# mpi.sh - an MPI program writing one shared file with MPI_File_write_at_all
# under `mpirun -np 4 iopstop -w %r.rec ...`: one recording per rank (the
# rank from OMPI_COMM_WORLD_RANK), the merge equal to the sum of the ranks
# exactly, the shared file one file, marked shared, holding what the ranks
# wrote (the program's own count and the file's size).
. "$srcdir/tests/lib.sh"
skip() { echo "SKIP: $*"; exit 77; }
command -v mpicc >/dev/null 2>&1 || skip "no mpicc (apt-get install libopenmpi-dev)"
command -v mpirun >/dev/null 2>&1 || skip "no mpirun (apt-get install openmpi-bin)"
strace -o /dev/null true 2>/dev/null || skip "strace missing or ptrace refused"
mpicc -O1 -o "$TMP/mpi_shared" "$srcdir/tests/mpi_shared.c" 2>"$TMP/cc.err" ||
	{ cat "$TMP/cc.err"; skip "mpicc cannot build a program here"; }
SUM="$srcdir/tests/jobsum.py"
NP=4
BLOCK=100000
mkdir "$TMP/io"
# Shared memory only; no single-copy (CMA is refused under ptrace).
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_rmaps_base_oversubscribe=1
timeout 300 mpirun --allow-run-as-root --oversubscribe -np $NP \
	"$IOPSTOP" -b -q -w "$TMP/io/%j.%r.rec" --json="$TMP/io/%r.json" -- \
	"$TMP/mpi_shared" "$TMP/shared.dat" $BLOCK >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 0 ] || cat "$TMP/err"
check "mpirun -np $NP iopstop -- mpi_shared: exit 0" [ $rc -eq 0 ]
check "one recording per rank by template" \
	sh -c "[ \$(ls '$TMP/io' | grep -c '^nojob\.[0-3]\.rec\$') -eq $NP ]"
check "each recording names its MPI rank" sh -c "for r in 0 1 2 3; do
	grep -q \"^# rank \$r\\\$\" '$TMP/io/nojob.'\$r'.rec' || exit 1; done"
"$IOPSTOP" -q -r "$TMP/io" --json="$TMP/merged.json"
check "the merge: exit 0" [ $? -eq 0 ]
check "the merge is the sum of the ranks, exactly" "$PY" "$SUM" "$TMP/merged.json" \
	"$TMP/io/0.json" "$TMP/io/1.json" "$TMP/io/2.json" "$TMP/io/3.json"
want=$(grep -o '"bytes": [0-9]*' "$TMP/out" | tr -dc 0-9)
size=$(stat -c %s "$TMP/shared.dat")
check "the program wrote $NP blocks ($want bytes, the file's size $size)" \
	[ "$want" = $((NP * BLOCK)) ] && [ "$size" = "$want" ]
check "the shared file is one file, marked shared, with every byte written" "$PY" -c "
import json, os, sys
f = [x for x in json.load(open('$TMP/merged.json'))['files']
     if x['path'] == os.path.realpath('$TMP/shared.dat')]
print(f)
sys.exit(len(f) != 1 or not f[0].get('shared') or f[0]['write_bytes'] != $want)"
finish
