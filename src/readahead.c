/* readahead.c - two buffers: the thread reads into one while the parser
 * takes lines from the other.  When the parser runs dry the two swap and
 * only the unfinished last line is copied, so no byte is copied twice. */
#include <config.h>

#include "readahead.h"
#include "linebuf.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK (1u << 20)

struct readahead {
	int fd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char *buf;		/* the buffer not in the linebuf */
	size_t cap;
	size_t keep;		/* bytes left before the block for the last line */
	int asked;		/* a read into buf + keep was asked for */
	int busy;		/* and is not done yet */
	int quit;
	ssize_t got;		/* its result */
	int err;		/* and errno */
};

static void *readahead_run(void *arg)
{
	struct readahead *ra = arg;
	pthread_mutex_lock(&ra->lock);
	for (;;) {
		while (!ra->busy && !ra->quit)
			pthread_cond_wait(&ra->cond, &ra->lock);
		if (ra->quit)
			break;
		char *dst = ra->buf + ra->keep;
		size_t len = ra->cap - ra->keep;
		pthread_mutex_unlock(&ra->lock);
		ssize_t n;
		do
			n = read(ra->fd, dst, len);
		while (n < 0 && errno == EINTR);
		int err = errno;
		pthread_mutex_lock(&ra->lock);
		ra->got = n;
		ra->err = err;
		ra->busy = 0;
		pthread_cond_broadcast(&ra->cond);
	}
	pthread_mutex_unlock(&ra->lock);
	return NULL;
}

struct readahead *readahead_new(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	struct readahead *ra = calloc(1, sizeof *ra);
	if (!ra)
		return NULL;
	ra->fd = fd;
	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->cond, NULL);
	if (pthread_create(&ra->thread, NULL, readahead_run, ra) != 0) {
		pthread_cond_destroy(&ra->cond);
		pthread_mutex_destroy(&ra->lock);
		free(ra);
		return NULL;
	}
	return ra;
}

/* Ask for the block after lb's data, into ra->buf behind room for lb's
 * unfinished last line. */
static void readahead_ask(struct readahead *ra, const struct linebuf *lb)
{
	const char *s = lb->buf + lb->start;
	size_t avail = lb->end - lb->start, tail = avail;
	for (const char *p = s + avail; p > s; p--)	/* after the last '\n' */
		if (p[-1] == '\n') {
			tail = (size_t)(s + avail - p);
			break;
		}
	if (ra->cap < tail + BLOCK) {
		char *b = realloc(ra->buf, tail + BLOCK);
		if (!b)
			return;	/* the next fill reads in place */
		ra->buf = b;
		ra->cap = tail + BLOCK;
	}
	pthread_mutex_lock(&ra->lock);
	ra->keep = tail;
	ra->asked = ra->busy = 1;
	pthread_cond_broadcast(&ra->cond);
	pthread_mutex_unlock(&ra->lock);
}

ssize_t readahead_fill(struct readahead *ra, struct linebuf *lb)
{
	if (!ra->asked) {	/* the first block, or no memory to read ahead */
		ssize_t n = linebuf_fill(lb, ra->fd, NULL);
		if (n > 0)
			readahead_ask(ra, lb);
		return n;
	}
	pthread_mutex_lock(&ra->lock);
	while (ra->busy)
		pthread_cond_wait(&ra->cond, &ra->lock);
	ssize_t n = ra->got;
	int err = ra->err;
	ra->asked = 0;
	pthread_mutex_unlock(&ra->lock);
	if (n <= 0) {
		errno = err;
		return n;
	}
	/* Swap: the unfinished line goes in front of the new block (where
	 * ask left room for it, unless the parser took more or less). */
	size_t rest = lb->end - lb->start;
	if (rest != ra->keep) {
		if (ra->cap < rest + (size_t)n) {
			char *b = realloc(ra->buf, rest + (size_t)n);
			if (!b) {
				errno = ENOMEM;
				return -1;
			}
			ra->buf = b;
			ra->cap = rest + (size_t)n;
		}
		memmove(ra->buf + rest, ra->buf + ra->keep, (size_t)n);
	}
	memcpy(ra->buf, lb->buf + lb->start, rest);
	char *b = lb->buf;
	size_t cap = lb->cap;
	lb->buf = ra->buf;
	lb->cap = ra->cap;
	lb->start = 0;
	lb->end = rest + (size_t)n;
	ra->buf = b;
	ra->cap = cap;
	readahead_ask(ra, lb);
	return n;
}

void readahead_free(struct readahead *ra)
{
	if (!ra)
		return;
	pthread_mutex_lock(&ra->lock);
	while (ra->busy)
		pthread_cond_wait(&ra->cond, &ra->lock);
	ra->quit = 1;
	pthread_cond_broadcast(&ra->cond);
	pthread_mutex_unlock(&ra->lock);
	pthread_join(ra->thread, NULL);
	pthread_cond_destroy(&ra->cond);
	pthread_mutex_destroy(&ra->lock);
	free(ra->buf);
	free(ra);
}
