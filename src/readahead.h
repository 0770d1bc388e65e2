/* readahead.h - read a regular file into a linebuf one block ahead, on a
 * thread of its own, so the kernel's copy of the next block overlaps the
 * parsing of this one (replay of a large log: that copy is a sixth of
 * the work, and all of what `wc -l` does). */
#ifndef IOPSTOP_READAHEAD_H
#define IOPSTOP_READAHEAD_H

#include <sys/types.h>

struct linebuf;
struct readahead;

/* A reader of fd, or NULL when fd is not a regular file (a read of a pipe
 * may block for ever, and stopping must not wait on it) or no thread can
 * be had: then use linebuf_fill. */
struct readahead *readahead_new(int fd);

/* linebuf_fill(lb, fd, NULL) for a caller that has taken every complete
 * line out of lb: returns the bytes added, 0 at the end, -1 (errno set)
 * on error.  lb's buffer may be swapped for another. */
ssize_t readahead_fill(struct readahead *ra, struct linebuf *lb);

/* Wait for the read under way, if any, and free everything but lb. */
void readahead_free(struct readahead *ra);

#endif
