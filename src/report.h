/* report.h - what iopstop prints at exit: the summary table, --json. */
#ifndef IOPSTOP_REPORT_H
#define IOPSTOP_REPORT_H

#include <stdint.h>
#include <stdio.h>

struct model;
struct capture_check;
struct origins;

/* What the model does not know about the run. */
struct run_info {
	const char *backend;
	char *const *command;	/* NULL: none known */
	const int *pids;	/* pids asked for (-p); else the model's root */
	int npids;
	int exit_status;	/* -1: none (attached, replay without exit) */
	double elapsed_s;
	int clock;		/* enum src_clock: a replayed log's stamps (source.h) */
	long top;		/* bound on files and processes listed */
	const char *output;	/* where the command's output went, or NULL */
	const uint64_t *storage_bytes;	/* proc: read_bytes, write_bytes; else NULL */
	uint64_t no_perm;	/* proc: processes whose counters were unreadable */
	const struct capture_check *check;	/* preload (source.h); else NULL */
	const struct origins *origins;	/* replay: the recordings merged; else NULL */
};

/* What the preload backend's live check booked as calls the kernel
 * counted and the library did not see (the "[unseen by preload]" row):
 * [0] read, [1] write.  Returns 1 when there are any.  Model's lock held. */
struct unseen {
	uint64_t ops[2], bytes[2];
};
int report_unseen(const struct model *m, struct unseen *u);
#define REPORT_UNSEEN_FILE "[unseen by preload]"

/* Both called with the model's lock held (or after the sampler ended). */
void report_summary(FILE *f, const struct model *m, const struct run_info *ri);
void report_json(FILE *f, const struct model *m, const struct run_info *ri);

#endif
