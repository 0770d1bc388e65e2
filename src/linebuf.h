/* linebuf.h - split a byte stream (pipe, growing file) into lines. */
#ifndef IOPSTOP_LINEBUF_H
#define IOPSTOP_LINEBUF_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define LINEBUF_MAX (1u << 20)	/* longer lines are cut and flagged */

struct linebuf {
	char *buf;
	size_t start, end, cap;
	uint64_t lineno;	/* number of the line last returned */
	int skipping;		/* inside the rest of an overlong line */
};

void linebuf_init(struct linebuf *lb);
void linebuf_free(struct linebuf *lb);

/* Read more from fd: at *off with pread when off is non-NULL (a file that
 * grows), else with read.  Returns bytes read, 0 at end, -1 on error. */
ssize_t linebuf_fill(struct linebuf *lb, int fd, off_t *off);

/* Next complete line (without '\n'), or NULL when none is buffered.
 * *cut is set when the line was longer than LINEBUF_MAX and truncated. */
const char *linebuf_next(struct linebuf *lb, size_t *len, int *cut);

/* At end of stream: the last line if it had no '\n'. */
const char *linebuf_rest(struct linebuf *lb, size_t *len);

#endif
