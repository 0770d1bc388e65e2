/* source_merge.h - many iopstop recordings (-r repeated, a directory, a
 * glob) read as one source, merged by time, and --follow: read them as
 * they grow.  Used by the replay source (source_replay.c). */
#ifndef IOPSTOP_SOURCE_MERGE_H
#define IOPSTOP_SOURCE_MERGE_H

#include <stddef.h>

#include "event.h"

struct source;
struct merge;

/* Does this replay need the merge (several inputs, a directory, a glob,
 * or --follow)? */
int merge_wanted(const struct source *s);

/* Open every input and read its header; 0, or -1 with s->error set.
 * With --follow, waits (until a stop signal) for a first recording. */
struct merge *merge_start(struct source *s);
int merge_poll(struct source *s, struct merge *mg, struct io_event *ev, size_t cap,
	       int timeout_ms);
void merge_stop(struct merge *mg);
void merge_free(struct merge *mg);

#endif
