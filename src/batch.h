/* batch.h - -b: one line (or CSV row) per finished interval. */
#ifndef IOPSTOP_BATCH_H
#define IOPSTOP_BATCH_H

#include <stdint.h>
#include <stdio.h>

struct model;

struct batch {
	FILE *out;
	int csv;
	int64_t next;		/* next interval to print */
	int header_done;
	int64_t limit;		/* -n: print at most this many intervals (0: all) */
};

/* Sampler tick: print every interval that has finished (all of them once
 * done is set).  Called with the model's lock held. */
void batch_tick(void *ctx, struct model *m, int done);

#endif
