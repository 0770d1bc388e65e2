/* source_replay.c - read an iopstop recording, a raw strace log or an
 * fs_usage -w log (or standard input) as a source, told apart by the
 * first line.
 *
 * Replay runs as fast as it can; the sampler paces it when --speed asks. */
#include <config.h>

#include "source.h"
#include "linebuf.h"
#include "options.h"
#include "origins.h"
#include "readahead.h"
#include "source_merge.h"
#include "record_parse.h"
#include "strace_parse.h"
#include "fsusage_parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A log with not one line in a hundred understood after this many lines or
 * bytes is not a log: an endless one (/dev/zero, /dev/urandom) must end. */
#define GIVE_UP_LINES 1000
#define GIVE_UP_BYTES (64u << 20)

/* A recording's reading, in order: RP_READING until its input ends
 * (RP_ENDED) or the run stops it (RP_STOPPED); RP_DONE once the end has
 * been reported (an error for a cut or bad recording, none when stopped). */
enum replay_state { RP_READING, RP_ENDED, RP_DONE, RP_STOPPED };

struct replay_src {
	struct strace_parser *parser;
	struct linebuf lb;
	struct readahead *ra;	/* a strace log in a file: read on a thread */
	int fd;
	int eof;
	struct record_parser *rec;	/* an iopstop recording: its parser */
	struct fsusage_parser *fsu;	/* an fs_usage log: its parser */
	uint64_t bad, first_bad;	/* corrupt recording lines */
	char bad_why[160];
	enum replay_state finished;
	uint64_t bytes;		/* read from a log so far */
	struct merge *mg;	/* many recordings, or --follow */
	struct origin g;	/* one recording: origins entry 1 */
};

static void rec_line(struct source *s, struct replay_src *r, const char *line,
		     size_t len, struct io_event *ev, size_t *n);
static int detect_fsusage(struct source *s, struct replay_src *r);

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
	s->origins = origins_new();
	if (!s->origins) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	if (merge_wanted(s)) {
		r->mg = merge_start(s);
		return r->mg ? 0 : -1;
	}
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
	/* Tell an iopstop recording from a strace log by its first line. */
	size_t magic = sizeof RECORD_MAGIC - 1;
	while (r->lb.end - r->lb.start < magic &&
	       (r->lb.end == r->lb.start ||
		!memchr(r->lb.buf + r->lb.start, '\n', r->lb.end - r->lb.start))) {
		ssize_t got = linebuf_fill(&r->lb, r->fd, NULL);
		if (got <= 0)
			break;
	}
	if (!record_is_recording(r->lb.buf + r->lb.start, r->lb.end - r->lb.start)) {
		int rc = detect_fsusage(s, r);
		if (rc == 0)
			r->ra = readahead_new(r->fd);
		return rc;
	}
	r->rec = record_parser_new(s->in);
	if (!r->rec) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	s->recording = 1;
	/* The header: time 0, the command, before any event is polled. */
	for (;;) {
		size_t avail = r->lb.end - r->lb.start;
		if (avail && r->lb.buf[r->lb.start] != '#')
			break;
		if (avail && memchr(r->lb.buf + r->lb.start, '\n', avail)) {
			size_t len;
			int cut;
			const char *line = linebuf_next(&r->lb, &len, &cut);
			size_t n = 0;
			rec_line(s, r, line, cut ? LINEBUF_MAX + 1 : len, NULL, &n);
			if (r->finished != RP_READING)
				break;
			continue;
		}
		ssize_t got = linebuf_fill(&r->lb, r->fd, NULL);
		if (got <= 0)
			break;
	}
	s->start_us = r->rec->start_us;
	s->command = r->rec->command;
	/* One recording is the merge of one: its host and rank. */
	if (origins_add(s->origins, path) == 1) {
		origins_get(s->origins, 1, &r->g);
		snprintf(r->g.host, sizeof r->g.host, "%s", r->rec->host);
		snprintf(r->g.job, sizeof r->g.job, "%s", r->rec->job);
		r->g.rank = r->rec->rank;
		r->g.start_us = r->rec->start_us;
		r->g.bins = r->rec->bins;
		r->g.state = ORIGIN_ACTIVE;
		origins_set(s->origins, 1, &r->g);
	}
	s->interval_us = r->rec->interval_us;
	if (strcmp(r->rec->backend, "fs_usage") == 0)
		s->backend = "fs_usage";
	return 0;
}

/* An fs_usage log when its first non-blank line has fs_usage's shape
 * (time, a call name not followed by '(', ..., elapsed, command.thread):
 * no strace line has it. */
static int detect_fsusage(struct source *s, struct replay_src *r)
{
	for (;;) {
		const char *b = r->lb.buf + r->lb.start, *e = r->lb.buf + r->lb.end;
		while (b < e && (*b == '\n' || *b == '\r' || *b == ' '))
			b++;
		const char *nl = b < e ? memchr(b, '\n', (size_t)(e - b)) : NULL;
		if (nl || r->lb.end - r->lb.start >= LINEBUF_MAX) {
			if (!fsusage_line_looks(b, (size_t)((nl ? nl : e) - b)))
				return 0;
			break;
		}
		ssize_t got = linebuf_fill(&r->lb, r->fd, NULL);
		if (got < 0) {
			snprintf(s->error, sizeof s->error, "%.300s: %s", s->opt->replay,
				 strerror(errno));
			return -1;
		}
		if (got == 0) {
			if (b >= e || !fsusage_line_looks(b, (size_t)(e - b)))
				return 0;
			break;
		}
	}
	r->fsu = fsusage_parser_new(s->in);
	if (!r->fsu) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	s->backend = "fs_usage";
	return 0;
}

/* One line of a recording: an event into ev[*n], or a note of what is
 * wrong.  A bad first line (not ours, a newer version) ends the replay. */
static void rec_line(struct source *s, struct replay_src *r, const char *line,
		     size_t len, struct io_event *ev, size_t *n)
{
	struct io_event tmp;
	s->lines++;
	int got = len > LINEBUF_MAX ? -1
		: record_parse_line(r->rec, line, len, ev ? ev + *n : &tmp);
	if (got >= 0 && r->rec->ended && (len == 0 || line[0] != 'X')) {
		/* an event after the end is dropped, like any bad line */
		snprintf(r->rec->error, sizeof r->rec->error, "line after the end line");
		got = -1;
	} else if (got > 0 && ev) {
		(*n)++;
	}
	if (got < 0) {
		if (!r->bad++) {
			r->first_bad = s->lines;
			snprintf(r->bad_why, sizeof r->bad_why, "%s",
				 len > LINEBUF_MAX ? "line too long" : r->rec->error);
		}
		if (s->lines == 1)
			r->finished = RP_ENDED;
	}
}

static int rec_poll(struct source *s, struct replay_src *r, struct io_event *ev, size_t cap)
{
	size_t n = 0;
	while (n < cap && r->finished == RP_READING) {
		size_t len;
		int cut;
		const char *line = linebuf_next(&r->lb, &len, &cut);
		if (line) {
			rec_line(s, r, line, cut ? LINEBUF_MAX + 1 : len, ev, &n);
			/* --speed paces per batch: keep batches to ~20 ms of replay. */
			if (s->opt->speed > 0 && n > 1 &&
			    (double)(ev[n - 1].t_us - ev[0].t_us) >= 20000.0 * s->opt->speed)
				return (int)n;
			continue;
		}
		if (!r->eof) {
			if (n)
				return (int)n;
			ssize_t got = linebuf_fill(&r->lb, r->fd, NULL);
			if (got < 0) {
				snprintf(s->error, sizeof s->error, "%.300s: %s", s->opt->replay,
					 strerror(errno));
				s->broken = 1;
			}
			if (got <= 0)
				r->eof = 1;
			continue;
		}
		if (linebuf_rest(&r->lb, &len)) {
			s->lines++;
			if (!r->bad++) {
				r->first_bad = s->lines;
				snprintf(r->bad_why, sizeof r->bad_why,
					 "truncated line (no newline): the recording was cut");
			}
		}
		r->finished = RP_ENDED;
	}
	if (r->finished == RP_READING || (r->finished == RP_STOPPED && n))
		return (int)n;
	if (r->finished == RP_STOPPED)
		r->finished = RP_DONE;
	if (r->finished == RP_ENDED) {
		r->finished = RP_DONE;
		if (r->bad) {
			snprintf(s->error, sizeof s->error, "%.200s:%llu: %s%s", s->opt->replay,
				 (unsigned long long)r->first_bad, r->bad_why,
				 r->bad > 1 ? " (and more bad lines after it)" : "");
			s->broken = 1;
		} else if (!r->rec->ended && !s->broken) {
			snprintf(s->error, sizeof s->error, "%.200s:%llu: the recording ends "
				 "without its end line ('X ...'): it was cut short",
				 s->opt->replay, (unsigned long long)s->lines);
			s->broken = 1;
		}
		if (r->rec->ended) {
			s->lines = r->rec->lines;
			s->unparsed = r->rec->unparsed;
			s->unfinished = r->rec->unfinished;
			s->end_us = r->rec->end_us;
		}
	}
	return n ? (int)n : -1;
}

static int rp_poll(struct source *s, struct io_event *ev, size_t cap, int timeout_ms)
{
	struct replay_src *r = s->priv;
	if (r->mg)
		return merge_poll(s, r->mg, ev, cap, timeout_ms);
	if (r->rec) {
		int n = rec_poll(s, r, ev, cap);
		for (int i = 0; i < n; i++) {
			ev[i].origin = 1;
			if (!r->g.first_us)
				r->g.first_us = ev[i].t_us;
			if (ev[i].t_us > r->g.last_us)
				r->g.last_us = ev[i].t_us;
		}
		if (n > 0)
			r->g.events += (uint64_t)n;
		if (n < 0) {
			r->g.state = r->rec->ended ? ORIGIN_FINISHED : ORIGIN_BROKEN;
			r->g.end_us = r->rec->end_us;
			r->g.exit_status = r->rec->exit_status;
		}
		if (n != 0)
			origins_set(s->origins, 1, &r->g);
		return n;
	}
	int n = r->fsu ? source_parse_fsusage(s, &r->lb, r->fsu, ev, cap, r->eof)
		: source_parse_strace(s, &r->lb, r->parser, ev, cap, r->eof);
	if ((s->lines >= GIVE_UP_LINES || r->bytes >= GIVE_UP_BYTES) &&
	    (s->lines - s->unparsed) * 100 < s->lines)
		r->eof = 1;
	if (n > 0 || r->eof)
		return n > 0 ? n : -1;
	ssize_t got = r->ra ? readahead_fill(r->ra, &r->lb) : linebuf_fill(&r->lb, r->fd, NULL);
	if (got < 0) {
		snprintf(s->error, sizeof s->error, "%.300s: %s", s->opt->replay, strerror(errno));
		s->broken = 1;
		r->eof = 1;
	} else if (got == 0) {
		r->eof = 1;
	} else {
		r->bytes += (uint64_t)got;
	}
	return 0;	/* back to the sampler, which may have been asked to stop */
}

static void rp_stop(struct source *s)
{
	struct replay_src *r = s->priv;
	if (r)
		r->eof = 1;
	if (r && r->mg)
		merge_stop(r->mg);
	if (r && r->rec && r->finished == RP_READING)
		r->finished = RP_STOPPED;	/* stopped early (-n): not an error */
}

static void rp_free(struct source *s)
{
	struct replay_src *r = s->priv;
	if (!r)
		return;
	merge_free(r->mg);
	readahead_free(r->ra);
	if (r->fd > 0)
		close(r->fd);
	linebuf_free(&r->lb);
	strace_parser_free(r->parser);
	record_parser_free(r->rec);
	fsusage_parser_free(r->fsu);
	free(r);
	s->priv = NULL;
	origins_free(s->origins);
	s->origins = NULL;
}

/* Called from the thread that polls (the sampler) or after it ended. */
enum src_clock source_clock(const struct source *s)
{
	const struct replay_src *r = s && s->ops == &source_replay_ops ? s->priv : NULL;
	if (!r || !r->parser)
		return SRC_CLOCK_US;
	switch (strace_parser_clock(r->parser)) {
	case STRACE_CLOCK_NONE:
		return SRC_CLOCK_NONE;
	case STRACE_CLOCK_TOD_S:
		return SRC_CLOCK_SECONDS;
	default:
		return SRC_CLOCK_US;
	}
}


/* A replay reads a log of another backend: its JSON "backend" is that
 * one's (strace unless the input says otherwise). */
const struct source_ops source_replay_ops = {
	.name = "replay",
	.backend = "strace",
	.asked_by = -1,
	.start = rp_start,
	.poll = rp_poll,
	.stop = rp_stop,
	.free = rp_free,
};
