/* source_replay.c - read a raw strace log (or standard input) as a source.
 *
 * Replay runs as fast as it can; the sampler paces it when --speed asks. */
#include <config.h>

#include "source.h"
#include "linebuf.h"
#include "options.h"
#include "strace_parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct replay_src {
	struct strace_parser *parser;
	struct linebuf lb;
	int fd;
	int eof;
};

static int rp_start(struct source *s)
{
	struct replay_src *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	s->priv = r;
	linebuf_init(&r->lb);
	r->fd = -1;
	r->parser = strace_parser_new(s->in);
	if (!r->parser) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	const char *path = s->opt->replay;
	if (strcmp(path, "-") == 0) {
		r->fd = 0;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			snprintf(s->error, sizeof s->error, "%.300s: %s", path, strerror(errno));
			return -1;
		}
		struct stat st;
		if (fstat(r->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(s->error, sizeof s->error, "%.300s: is a directory", path);
			return -1;
		}
	}
	return 0;
}

static int rp_poll(struct source *s, struct io_event *ev, size_t cap, int timeout_ms)
{
	struct replay_src *r = s->priv;
	(void)timeout_ms;
	for (;;) {
		int n = source_parse_strace(s, &r->lb, r->parser, ev, cap, r->eof);
		if (n > 0 || r->eof)
			return n > 0 ? n : -1;
		ssize_t got = linebuf_fill(&r->lb, r->fd, NULL);
		if (got < 0) {
			snprintf(s->error, sizeof s->error, "%.300s: %s", s->opt->replay,
				 strerror(errno));
			s->broken = 1;
			r->eof = 1;
		} else if (got == 0) {
			r->eof = 1;
		}
	}
}

static void rp_stop(struct source *s)
{
	struct replay_src *r = s->priv;
	if (r)
		r->eof = 1;
}

static void rp_free(struct source *s)
{
	struct replay_src *r = s->priv;
	if (!r)
		return;
	if (r->fd > 0)
		close(r->fd);
	linebuf_free(&r->lb);
	strace_parser_free(r->parser);
	free(r);
	s->priv = NULL;
}

const struct source_ops source_replay_ops = {
	.name = "strace",
	.start = rp_start,
	.poll = rp_poll,
	.stop = rp_stop,
	.free = rp_free,
};
