/* linebuf.c - a sliding buffer; lines are returned in place, no copies. */
#include <config.h>

#include "linebuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (256u * 1024)

void linebuf_init(struct linebuf *lb)
{
	memset(lb, 0, sizeof *lb);
}

void linebuf_free(struct linebuf *lb)
{
	free(lb->buf);
	memset(lb, 0, sizeof *lb);
}

ssize_t linebuf_fill(struct linebuf *lb, int fd, off_t *off)
{
	if (lb->start > 0 && (lb->start == lb->end || lb->cap - lb->end < CHUNK)) {
		memmove(lb->buf, lb->buf + lb->start, lb->end - lb->start);
		lb->end -= lb->start;
		lb->start = 0;
	}
	if (lb->cap - lb->end < CHUNK) {
		size_t cap = lb->cap ? lb->cap * 2 : 2 * CHUNK;
		char *b = realloc(lb->buf, cap);
		if (!b)
			return -1;
		lb->buf = b;
		lb->cap = cap;
	}
	ssize_t n;
	do {
		n = off ? pread(fd, lb->buf + lb->end, lb->cap - lb->end, *off)
			: read(fd, lb->buf + lb->end, lb->cap - lb->end);
	} while (n < 0 && errno == EINTR);
	if (n > 0) {
		lb->end += (size_t)n;
		if (off)
			*off += n;
	}
	return n;
}

const char *linebuf_next(struct linebuf *lb, size_t *len, int *cut)
{
	for (;;) {
		char *s = lb->buf + lb->start;
		size_t avail = lb->end - lb->start;
		char *nl = avail ? memchr(s, '\n', avail) : NULL;
		*cut = 0;
		if (nl) {
			lb->start += (size_t)(nl - s) + 1;
			if (lb->skipping) {	/* tail of a line already returned */
				lb->skipping = 0;
				continue;
			}
			lb->lineno++;
			*len = (size_t)(nl - s);
			return s;
		}
		if (avail >= LINEBUF_MAX) {
			/* Overlong: hand out what we have once, drop the rest. */
			lb->start = lb->end;
			if (lb->skipping)
				return NULL;
			lb->skipping = 1;
			lb->lineno++;
			*len = avail;
			*cut = 1;
			return s;
		}
		return NULL;
	}
}

const char *linebuf_rest(struct linebuf *lb, size_t *len)
{
	size_t avail = lb->end - lb->start;
	if (avail == 0 || lb->skipping)
		return NULL;
	const char *s = lb->buf + lb->start;
	lb->start = lb->end;
	lb->lineno++;
	*len = avail;
	return s;
}
