/* record.h - the recorder: a sink that writes every event to a file in
 * the iopstop recording format (record_parse.h describes it).
 *
 * Fed by the sampler thread after each batch, outside the model lock.
 * Writes are buffered and always end on a line boundary, so whatever
 * happens (disk full, kill) the file holds complete lines only. */
#ifndef IOPSTOP_RECORD_H
#define IOPSTOP_RECORD_H

#include <stddef.h>

#include "event.h"

struct model;
struct recorder;

/* Create path (0600, O_EXCL unless force, never following a symlink).
 * NULL with a message in err on failure. */
struct recorder *recorder_open(const char *path, int force, char *const *command,
			       const char *backend, char *err, size_t errlen);

/* --record=bins: write per-interval aggregates (A lines) instead of
 * every event.  Call before the first batch. */
void recorder_set_bins(struct recorder *r, int bins);

/* The sampler's on_batch hook: ctx is the recorder. */
void recorder_batch(void *ctx, const struct model *m, const struct io_event *ev,
		    size_t n, int done);

/* Flush, close and free.  Returns 0, or -1 when the recording failed
 * (the message was already printed). */
int recorder_close(struct recorder *r);

#endif
