#!/bin/bash
# iopstop-job.sh - a Slurm batch script that records every rank's file I/O
# with iopstop, for following live from the login node and merging after.
#
#   sbatch contrib/slurm/iopstop-job.sh ./app ARG...
#
# While it runs, on the login node (the job id is in squeue):
#   iopstop -r "$SCRATCH/io/JOBID.*.rec" --follow
# After it ends, the whole job as one report:
#   iopstop -r "$SCRATCH/io/JOBID.*.rec" --json=JOBID.json
#SBATCH --job-name=iopstop-app
#SBATCH --ntasks=4
#SBATCH --time=00:30:00
#SBATCH --output=%x-%j.out
set -eu

# Recordings go to the shared scratch file system, one per rank:
# %j is the job id, %r the rank (SLURM_PROCID), %h the node.
IO_DIR=${IOPSTOP_DIR:-${SCRATCH:-$PWD}/io}
mkdir -p "$IO_DIR"

# --record=bins keeps each rank's recording at a few KB a second however
# many calls it makes; drop it to keep every call (~48 bytes a call).
# -q: no summary (without a terminal there is no screen either); the
# app keeps its standard streams and its exit status comes back.
srun iopstop -q --record=bins -w "$IO_DIR/%j.%r.rec" -- "$@"

# The job's own summary, in the job's output file and as JSON.
iopstop -r "$IO_DIR/$SLURM_JOB_ID.*.rec" --json="$IO_DIR/$SLURM_JOB_ID.json"
