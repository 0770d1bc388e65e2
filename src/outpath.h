/* outpath.h - output path templates: %h host, %p pid, %r rank, %j job, %%.
 *
 * One batch-script line records every rank of a job:
 *   srun iopstop -b -q -w $SCRATCH/io/%j.%r.rec -- ./app
 * outpath_expand is pure (the inputs are passed in); outpath_env_get
 * reads them from this process's environment. */
#ifndef IOPSTOP_OUTPATH_H
#define IOPSTOP_OUTPATH_H

#include <stddef.h>

struct outpath_env {
	char host[256];
	long pid;
	long rank;		/* 0 when no launcher says */
	char job[64];		/* "nojob" when not under Slurm */
};

/* Expand tmpl into out (size len).  0, or -1 with a one-line reason in
 * out when the template has an unknown %X, ends in '%' or is too long. */
int outpath_expand(const char *tmpl, const struct outpath_env *e, char *out, size_t len);

/* Rank from SLURM_PROCID, else PMI_RANK, OMPI_COMM_WORLD_RANK, PMIX_RANK
 * (first that is a number), else 0; getenv is passed in so tests need no
 * environment. */
long outpath_rank(const char *(*get)(const char *));

/* Fill e from getenv, gethostname and getpid. */
void outpath_env_get(struct outpath_env *e);

/* Expand in place: when *path holds a '%', the expansion goes into the
 * caller's store (OUTPATH_MAX bytes, living as long as the options) and
 * *path points there.  0, or -1 with a message in err naming the option
 * `what`. */
#define OUTPATH_MAX 4096
int outpath_apply(const char **path, char store[OUTPATH_MAX], const char *what,
		  const struct outpath_env *e,
		  char *err, size_t errlen);

#endif
