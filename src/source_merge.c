/* source_merge.c - merge recordings by time; follow them as they grow.
 *
 * Each input is an iopstop recording with its own clock start (the
 * header's start_us, a wall clock): events come out with absolute times,
 * so the model aligns them by itself.  Without --follow the inputs are
 * merged exactly in time order (a k-way merge of their heads).  With it,
 * a rank that wrote nothing new does not hold the others back: whatever
 * has arrived goes out, and the model places late events in their bins.
 *
 * Following works on what NFS and Lustre promise: file sizes are polled
 * (fstat), never inotify; a half-written last line stays buffered until
 * its newline arrives; a named file that does not exist yet is waited
 * for; directories and globs are scanned again for new recordings. */
#include <config.h>

#include "source_merge.h"
#include "linebuf.h"
#include "options.h"
#include "origins.h"
#include "record_parse.h"
#include "sampler.h"
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PEND 512		/* events buffered per input */
#define RESCAN_US 1000000	/* directories and globs, looked at again */
#define QUIET_MIN_US 5000000	/* not grown for this long (or 3 intervals): quiet */

struct input {
	uint16_t idx;		/* origins index, the events' origin */
	char *path;
	int fd;			/* -1: not there yet */
	struct linebuf lb;
	struct record_parser *rec;
	off_t size_seen;	/* bytes read so far */
	int64_t grew_us;	/* wall clock of the last growth */
	struct io_event pend[PEND];
	size_t head, n;		/* pending events [head, head+n) */
	int eof;		/* read to the end (no --follow: done reading) */
	int done;		/* nothing more will come */
	uint64_t lines, bad, first_bad;
	char bad_why[160];
	struct origin g;	/* our copy of the origins entry */
	int dirty;
	unsigned gen;		/* --follow: the poll that last looked at it */
	int64_t seen_us;	/* the file is complete up to here (its newest
				 * event or "# at_us"), absolute */
};

struct merge {
	struct input **in;
	size_t n, cap;
	int follow;
	int stopped;
	int64_t scanned_us;
	int64_t interval_us;
	unsigned gen;		/* polls so far */
};

int merge_wanted(const struct source *s)
{
	const struct options *o = s->opt;
	if (o->nreplays > 1 || o->follow)
		return 1;
	struct stat st;
	const char *p = o->replay;
	if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode))
		return 1;
	return stat(p, &st) < 0 && strpbrk(p, "*?[") != NULL;
}

static int known(const struct merge *mg, const char *path)
{
	for (size_t i = 0; i < mg->n; i++)
		if (strcmp(mg->in[i]->path, path) == 0)
			return 1;
	return 0;
}

static int add_input(struct source *s, struct merge *mg, const char *path)
{
	if (known(mg, path))
		return 0;
	if (mg->n == mg->cap) {
		size_t cap = mg->cap ? mg->cap * 2 : 16;
		struct input **v = realloc(mg->in, cap * sizeof *v);
		if (!v)
			return -1;
		mg->in = v;
		mg->cap = cap;
	}
	struct input *in = calloc(1, sizeof *in);
	if (!in || !(in->path = strdup(path)) || !(in->rec = record_parser_new(s->in))) {
		if (in)
			free(in->path);
		free(in);
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	in->idx = origins_add(s->origins, path);
	if (!in->idx) {
		record_parser_free(in->rec);
		free(in->path);
		free(in);
		snprintf(s->error, sizeof s->error, "too many recordings (at most %d)",
			 ORIGINS_MAX - 2);
		return -1;
	}
	origins_get(s->origins, in->idx, &in->g);
	in->fd = -1;
	linebuf_init(&in->lb);
	mg->in[mg->n++] = in;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory holds other files too (the ranks' --json reports): only
 * those that start as a recording does, or are still empty, are read. */
static int maybe_recording(const char *path)
{
	char head[sizeof RECORD_MAGIC];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, head, sizeof head - 1);
	close(fd);
	return n >= 0 && memcmp(head, RECORD_MAGIC, (size_t)n) == 0;
}

/* Regular files of a directory that are recordings, in name order. */
static int scan_dir(struct source *s, struct merge *mg, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(s->error, sizeof s->error, "%.300s: %s", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		struct stat st;
		snprintf(path, sizeof path, "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || known(mg, path) ||
		    !maybe_recording(path))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **v = realloc(names, cap * sizeof *v);
			if (!v)
				break;
			names = v;
		}
		names[n] = strdup(path);
		if (names[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (!rc && add_input(s, mg, names[i]) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Every -r argument to inputs: a directory's files, a glob's matches, or
 * the name itself (with --follow it may not exist yet). */
static int scan(struct source *s, struct merge *mg, int first)
{
	const struct options *o = s->opt;
	for (int i = 0; i < o->nreplays; i++) {
		const char *p = o->replays[i];
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (scan_dir(s, mg, p) < 0)
				return -1;
		} else if (stat(p, &st) < 0 && strpbrk(p, "*?[")) {
			glob_t g;
			int rc = glob(p, 0, NULL, &g);
			if (rc == 0) {
				for (size_t k = 0; k < g.gl_pathc; k++)
					if (stat(g.gl_pathv[k], &st) == 0 && S_ISREG(st.st_mode) &&
					    add_input(s, mg, g.gl_pathv[k]) < 0) {
						globfree(&g);
						return -1;
					}
				globfree(&g);
			} else if (rc == GLOB_NOMATCH && first && !mg->follow) {
				snprintf(s->error, sizeof s->error, "%.300s: no recording matches", p);
				return -1;
			}
		} else if (first) {
			if (add_input(s, mg, p) < 0)
				return -1;
		}
	}
	return 0;
}

static void note_bad(struct input *in, const char *why)
{
	if (!in->bad++) {
		in->first_bad = in->lines;
		snprintf(in->bad_why, sizeof in->bad_why, "%s", why);
	}
}

/* Open a recording that has appeared; -1 when it is not there yet. */
static int try_open(struct source *s, struct merge *mg, struct input *in)
{
	in->fd = open(in->path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0) {
		if (errno == ENOENT && mg->follow)
			return -1;
		snprintf(s->error, sizeof s->error, "%.300s: %s", in->path, strerror(errno));
		note_bad(in, strerror(errno));
		return -2;
	}
	in->grew_us = source_wall_us();
	in->g.state = ORIGIN_ACTIVE;
	in->dirty = 1;
	return 0;
}

/* Read what the file has beyond what was read: with --follow only when
 * its size says it grew. */
static ssize_t read_more(struct merge *mg, struct input *in)
{
	if (mg->follow) {
		struct stat st;
		if (fstat(in->fd, &st) < 0 || st.st_size <= in->size_seen)
			return 0;
	}
	ssize_t got = linebuf_fill(&in->lb, in->fd, NULL);
	if (got > 0) {
		in->size_seen += got;
		in->grew_us = source_wall_us();
		if (in->g.state == ORIGIN_QUIET) {
			in->g.state = ORIGIN_ACTIVE;
			in->dirty = 1;
		}
	}
	return got;
}

static void finish(struct input *in, enum origin_state st)
{
	in->done = 1;
	in->g.state = st;
	in->dirty = 1;
}

/* Parse buffered lines into in->pend until it holds some events, the
 * buffer runs dry, or the recording ends. */
static void parse(struct source *s, struct input *in)
{
	if (in->n == 0)
		in->head = 0;
	while (!in->done && in->head + in->n < PEND) {
		size_t len;
		int cut;
		const char *line = linebuf_next(&in->lb, &len, &cut);
		if (!line)
			return;
		in->lines++;
		s->lines++;
		struct io_event *ev = &in->pend[in->head + in->n];
		int got = cut ? -1 : record_parse_line(in->rec, line, len, ev);
		if (got < 0) {
			note_bad(in, cut ? "line too long" : in->rec->error);
			if (in->lines == 1) {
				finish(in, ORIGIN_BROKEN);
				return;
			}
			continue;
		}
		if (in->rec->ended && line[0] != 'X' && len) {
			note_bad(in, "line after the end line");
			continue;
		}
		if (line[0] == '#' && in->rec->version) {
			/* header keys, as they come */
			snprintf(in->g.host, sizeof in->g.host, "%s", in->rec->host);
			snprintf(in->g.job, sizeof in->g.job, "%s", in->rec->job);
			in->g.rank = in->rec->rank;
			in->g.start_us = in->rec->start_us;
			in->g.bins = in->rec->bins;
			in->dirty = 1;
			if (in->rec->at_us > in->seen_us)
				in->seen_us = in->rec->at_us;
		}
		if (got == 1) {
			ev->origin = in->idx;
			in->n++;
			if (ev->t_us > in->seen_us)
				in->seen_us = ev->t_us;
		}
		if (in->rec->ended) {
			in->g.end_us = in->rec->end_us;
			in->g.exit_status = in->rec->exit_status;
			finish(in, ORIGIN_FINISHED);
		}
	}
}

/* Refill in->pend from the file as far as it goes now. */
static void refill(struct source *s, struct merge *mg, struct input *in)
{
	if (in->done)
		return;
	if (in->fd < 0) {
		int rc = try_open(s, mg, in);
		if (rc == -2) {
			finish(in, ORIGIN_BROKEN);
			s->broken = 1;
		}
		if (rc < 0)
			return;
	}
	for (;;) {
		parse(s, in);
		if (in->n || in->done)
			return;
		ssize_t got = read_more(mg, in);
		if (got > 0)
			continue;
		if (got < 0) {
			snprintf(s->error, sizeof s->error, "%.300s: %s", in->path, strerror(errno));
			s->broken = 1;
			finish(in, ORIGIN_BROKEN);
			return;
		}
		if (!mg->follow) {
			size_t len;
			if (linebuf_rest(&in->lb, &len)) {
				in->lines++;
				s->lines++;
				note_bad(in, "truncated line (no newline): the recording was cut");
			}
			in->eof = 1;
			finish(in, in->rec->version ? ORIGIN_FINISHED : ORIGIN_BROKEN);
			return;
		}
		/* --follow: quiet after a while without growth */
		int64_t quiet = 3 * mg->interval_us > QUIET_MIN_US ? 3 * mg->interval_us : QUIET_MIN_US;
		if (in->g.state == ORIGIN_ACTIVE && source_wall_us() - in->grew_us > quiet) {
			in->g.state = ORIGIN_QUIET;
			in->dirty = 1;
		}
		return;
	}
}

static void publish(struct source *s, struct merge *mg)
{
	for (size_t i = 0; i < mg->n; i++) {
		struct input *in = mg->in[i];
		if (in->dirty) {
			origins_set(s->origins, in->idx, &in->g);
			in->dirty = 0;
		}
	}
}

struct merge *merge_start(struct source *s)
{
	struct merge *mg = calloc(1, sizeof *mg);
	if (!mg) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return NULL;
	}
	mg->follow = s->opt->follow;
	s->origins->merged = 1;
	if (scan(s, mg, 1) < 0) {
		merge_free(mg);
		return NULL;
	}
	mg->scanned_us = source_wall_us();
	if (!mg->n && !mg->follow) {
		snprintf(s->error, sizeof s->error, "%.300s: is a directory with no recordings in it", s->opt->replay);
		merge_free(mg);
		return NULL;
	}
	s->recording = 1;
	/* The headers: time 0 of each.  With --follow, until one is there. */
	for (;;) {
		int have = 0;
		for (size_t i = 0; i < mg->n; i++) {
			struct input *in = mg->in[i];
			refill(s, mg, in);
			if (in->g.state == ORIGIN_BROKEN && in->bad && in->lines <= 1) {
				snprintf(s->error, sizeof s->error, "%.300s: %s", in->path,
					 in->bad_why[0] ? in->bad_why : "not an iopstop recording");
				merge_free(mg);
				return NULL;
			}
			if (in->rec->start_us && (!have || in->rec->start_us < s->start_us)) {
				s->start_us = in->rec->start_us;
				if (!s->interval_us)
					s->interval_us = in->rec->interval_us;
				if (!s->command)
					s->command = in->rec->command;
			}
			have |= in->rec->start_us != 0;
		}
		if (have || !mg->follow)
			break;
		if (atomic_load(&sampler_signal_stop)) {
			snprintf(s->error, sizeof s->error, "stopped before any recording appeared");
			merge_free(mg);
			return NULL;
		}
		struct timespec ts = {0, 200 * 1000 * 1000};
		nanosleep(&ts, NULL);
		if (scan(s, mg, 0) < 0) {
			merge_free(mg);
			return NULL;
		}
	}
	mg->interval_us = s->interval_us > 0 ? s->interval_us : 1000000;
	publish(s, mg);
	return mg;
}

static int all_done(const struct merge *mg)
{
	for (size_t i = 0; i < mg->n; i++)
		if (!mg->in[i]->done || mg->in[i]->n)
			return 0;
	return 1;
}

/* At the end: the totals of every end record, the first problem. */
static void conclude(struct source *s, struct merge *mg)
{
	uint64_t lines = 0, unparsed = 0, unfinished = 0;
	int all_ended = 1;
	int64_t end = 0;
	for (size_t i = 0; i < mg->n; i++) {
		struct input *in = mg->in[i];
		if (in->bad && !s->error[0]) {
			snprintf(s->error, sizeof s->error, "%.200s:%llu: %s%s", in->path,
				 (unsigned long long)in->first_bad, in->bad_why,
				 in->bad > 1 ? " (and more bad lines after it)" : "");
			s->broken = 1;
		}
		if (!in->rec->ended) {
			all_ended = 0;
			if (!s->error[0] && !mg->stopped && in->fd >= 0) {
				snprintf(s->error, sizeof s->error, "%.200s:%llu: the recording ends "
					 "without its end line ('X ...'): it was cut short",
					 in->path, (unsigned long long)in->lines);
				s->broken = 1;
			}
			continue;
		}
		lines += in->rec->lines;
		unparsed += in->rec->unparsed;
		unfinished += in->rec->unfinished;
		int64_t e = in->rec->start_us + in->rec->end_us - s->start_us;
		if (e > end)
			end = e;
	}
	if (all_ended) {
		s->lines = lines;
		s->unparsed = unparsed;
		s->unfinished = unfinished;
		s->end_us = end;
	}
}

int merge_poll(struct source *s, struct merge *mg, struct io_event *ev, size_t cap,
	       int timeout_ms)
{
	if (mg->stopped == 2)
		return -1;
	if (mg->follow && !mg->stopped && source_wall_us() - mg->scanned_us >= RESCAN_US) {
		scan(s, mg, 0);
		mg->scanned_us = source_wall_us();
	}
	size_t n = 0;
	mg->gen++;
	while (n < cap && !mg->stopped) {
		/* Following, events go out up to where every rank that is still
		 * writing has got: an interval is complete before it is shown.
		 * Quiet, finished and not yet started ranks do not hold it. */
		int64_t upto = INT64_MAX;
		for (size_t i = 0; mg->follow && i < mg->n; i++) {
			struct input *in = mg->in[i];
			if (!in->n && in->gen != mg->gen) {
				in->gen = mg->gen;
				refill(s, mg, in);
			}
			if (in->fd >= 0 && !in->done && in->g.state != ORIGIN_QUIET &&
			    in->seen_us < upto)
				upto = in->seen_us;
		}
		struct input *best = NULL;
		for (size_t i = 0; i < mg->n; i++) {
			struct input *in = mg->in[i];
			/* Following, a file is looked at once per poll. */
			if (!in->n && (!mg->follow || in->gen != mg->gen)) {
				in->gen = mg->gen;
				refill(s, mg, in);
			}
			/* Without --follow an input that is not done always has
			 * its next event buffered: the merge is exact. */
			if (in->n && in->pend[in->head].t_us <= upto &&
			    (!best || in->pend[in->head].t_us < best->pend[best->head].t_us))
				best = in;
		}
		if (!best)
			break;
		/* Take the best one's run of events up to the next head. */
		int64_t limit = upto;
		for (size_t i = 0; i < mg->n; i++) {
			struct input *in = mg->in[i];
			if (in != best && in->n && in->pend[in->head].t_us < limit)
				limit = in->pend[in->head].t_us;
		}
		while (n < cap && best->n && best->pend[best->head].t_us <= limit) {
			struct io_event *e = &best->pend[best->head++];
			best->n--;
			if (!best->g.first_us || e->t_us < best->g.first_us)
				best->g.first_us = e->t_us;
			if (e->t_us > best->g.last_us)
				best->g.last_us = e->t_us;
			best->g.events++;
			best->dirty = 1;
			ev[n++] = *e;
		}
	}
	publish(s, mg);
	if (n)
		return (int)n;
	int waiting = 0;
	for (size_t i = 0; i < mg->n; i++)
		waiting |= mg->in[i]->fd < 0 && !mg->in[i]->done;
	if (mg->stopped || (all_done(mg) && mg->n && !waiting)) {
		if (mg->stopped != 2)
			conclude(s, mg);
		mg->stopped = 2;
		return -1;
	}
	/* --follow and nothing new: wait a little, as a live source does. */
	if (timeout_ms > 0) {
		int ms = timeout_ms < 200 ? timeout_ms : 200;
		struct timespec ts = {0, (long)ms * 1000000L};
		nanosleep(&ts, NULL);
	}
	return 0;
}

void merge_stop(struct merge *mg)
{
	if (mg && !mg->stopped)
		mg->stopped = 1;
}

void merge_free(struct merge *mg)
{
	if (!mg)
		return;
	for (size_t i = 0; i < mg->n; i++) {
		struct input *in = mg->in[i];
		if (in->fd >= 0)
			close(in->fd);
		linebuf_free(&in->lb);
		record_parser_free(in->rec);
		free(in->path);
		free(in);
	}
	free(mg->in);
	free(mg);
}
