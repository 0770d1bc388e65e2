/* batch.h - -b: one line (or CSV row) per finished interval. */
#ifndef IOPSTOP_BATCH_H
#define IOPSTOP_BATCH_H

#include <stdint.h>
#include <stdio.h>

struct model;
struct source;

struct batch {
	FILE *out;		/* stdout, or --csv=FILE's once opened */
	const char *path;	/* --csv=FILE (opened at the first tick), or NULL */
	const struct source *src;	/* its clock: no timestamps, no rates */
	int failed;		/* the file could not be opened or written */
	int csv;
	int64_t next;		/* next interval to print */
	int header_done;
	int64_t limit;		/* -n: print at most this many intervals (0: all) */
};

/* Sampler tick: print every interval that has finished (all of them once
 * done is set).  Called with the model's lock held. */
void batch_tick(void *ctx, struct model *m, int done);

/* After the sampler ended: close --csv=FILE.  -1 (with a message on
 * stderr) when it could not be written. */
int batch_close(struct batch *b);

#endif
