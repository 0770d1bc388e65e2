/* record.c - write events as an iopstop recording. */
#include <config.h>

#include "record.h"
#include "record_parse.h"
#include "errnames.h"
#include "intern.h"
#include "json.h"
#include "model.h"
#include "outpath.h"
#include "bucket.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* On a shared file system (Lustre, GPFS, NFS) every write is a round
 * trip: append in large pieces, at most once per interval while the run
 * is quiet, so a rank recording 100 k calls/s is not itself small I/O. */
#define FLUSH_AT (1024 * 1024)

/* The bins form: per interval, one A line per distinct (pid, class, call,
 * errno, kind, size bucket, latency bucket), without the file: totals,
 * histograms, calls and processes stay exact; and one F line per (file,
 * class, failed or not) for the interval's 32 busiest files.  What an
 * interval costs follows the variety of its calls, never their number. */
#define AGG_SLOTS 4096		/* power of two */
#define FILE_SLOTS 1024		/* files' rows an interval can hold */
#define AGG_FILES 32		/* busiest files kept per interval */
#define AGG_MAX_OPS 65535	/* an A line's count fits an event's */

struct agg {
	int64_t t_us;		/* first op's time, absolute */
	uint64_t bytes, dur_us;
	uint32_t ops;
	uint32_t file;
	int32_t pid;
	uint16_t call, err;
	uint8_t cls, fdkind, sb, lb;
	uint8_t used;
	uint64_t file_ops;	/* F rows: the whole file's, to pick the busiest */
};

struct recorder {
	int fd;
	char *path;
	char *buf;
	size_t len, cap;
	off_t committed;	/* bytes on disk, always at a line boundary */
	uint64_t lines_out;	/* lines on disk */
	uint64_t lines_buf;	/* lines in buf */
	uint32_t next_def;	/* next path id to define */
	int header_done;
	int failed;
	char *const *command;
	const char *backend;
	int64_t flushed_at;	/* model time of the last flush */
	int64_t at_us;		/* the last "# at_us" written */
	int bins;		/* --record=bins */
	struct agg *agg;	/* AGG_SLOTS, the current interval's calls */
	struct agg *fagg;	/* FILE_SLOTS, its files' rows */
	uint32_t nagg, nfagg;
	int64_t agg_idx;	/* the interval it holds, -1 none */
	int64_t agg_t0;		/* its start, absolute */
};

void recorder_set_bins(struct recorder *r, int bins)
{
	if (!r || !bins || r->header_done)
		return;
	r->agg = calloc(AGG_SLOTS, sizeof *r->agg);
	r->fagg = calloc(FILE_SLOTS, sizeof *r->fagg);
	r->bins = r->agg && r->fagg;
	r->agg_idx = -1;
}

struct recorder *recorder_open(const char *path, int force, char *const *command,
			       const char *backend, char *err, size_t errlen)
{
	int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC;
	flags |= force ? O_TRUNC : O_EXCL;
	int fd = open(path, flags, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			snprintf(err, errlen, "-w %.300s: file exists (use --force to overwrite)",
				 path);
		else if (errno == ELOOP)
			snprintf(err, errlen, "-w %.300s: is a symbolic link (not followed)",
				 path);
		else
			snprintf(err, errlen, "-w %.300s: %s", path, strerror(errno));
		return NULL;
	}
	struct recorder *r = calloc(1, sizeof *r);
	if (r) {
		r->cap = FLUSH_AT * 2;
		r->buf = malloc(r->cap);
		r->path = strdup(path);
	}
	if (!r || !r->buf || !r->path) {
		if (r) {
			free(r->buf);
			free(r->path);
		}
		free(r);
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->fd = fd;
	r->next_def = 2;
	r->command = command;
	r->backend = backend;
	return r;
}

static void fail(struct recorder *r, int e)
{
	fprintf(stderr, "iopstop: recording %s: %s; it stops at line %llu "
		"(complete and readable up to there)\n", r->path, strerror(e),
		(unsigned long long)r->lines_out);
	r->failed = 1;
	r->len = 0;
}

/* Write the buffer (whole lines); on a short write, cut the file back to
 * its last complete line. */
static void flush(struct recorder *r)
{
	size_t done = 0;
	while (!r->failed && done < r->len) {
		ssize_t w = write(r->fd, r->buf + done, r->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : ENOSPC;
			size_t keep = done;
			while (keep > 0 && r->buf[keep - 1] != '\n')
				keep--;
			for (size_t i = 0; i < keep; i++)
				r->lines_out += r->buf[i] == '\n';
			if (ftruncate(r->fd, r->committed + (off_t)keep) < 0) {
				/* not a regular file (/dev/full): nothing to cut */
			}
			fail(r, e);
			return;
		}
		done += (size_t)w;
	}
	if (!r->failed) {
		r->committed += (off_t)r->len;
		r->lines_out += r->lines_buf;
	}
	r->len = 0;
	r->lines_buf = 0;
}

static char *room(struct recorder *r, size_t n)
{
	if (r->len + n > r->cap) {
		size_t cap = r->cap;
		while (r->len + n > cap)
			cap *= 2;
		char *b = realloc(r->buf, cap);
		if (!b)
			return NULL;
		r->buf = b;
		r->cap = cap;
	}
	return r->buf + r->len;
}

static void put(struct recorder *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct recorder *r, const char *fmt, ...)
{
	va_list ap;
	char *p = room(r, 256);
	if (!p)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(p, 256, fmt, ap);
	va_end(ap);
	if (n > 0 && n < 256) {
		r->len += (size_t)n;
		r->lines_buf += p[n - 1] == '\n';
	}
}

static void header(struct recorder *r, const struct model *m)
{
	put(r, "%s%d\n", RECORD_MAGIC, RECORD_VERSION);
	/* The command as a JSON array, through json_str into memory. */
	char *cmd = NULL;
	size_t cmdlen = 0;
	FILE *f = open_memstream(&cmd, &cmdlen);
	if (f) {
		if (r->command) {
			fputc('[', f);
			for (int i = 0; r->command[i]; i++) {
				if (i)
					fputs(", ", f);
				json_str(f, r->command[i], strlen(r->command[i]));
			}
			fputc(']', f);
		} else {
			fputs("null", f);
		}
		fclose(f);
	}
	char *p = room(r, cmdlen + 16);
	if (p && cmd) {
		memcpy(p, "# command ", 10);
		memcpy(p + 10, cmd, cmdlen);
		p[10 + cmdlen] = '\n';
		r->len += cmdlen + 11;
		r->lines_buf++;
	}
	free(cmd);
	put(r, "# start_us %" PRId64 "\n", m->start_us);
	put(r, "# interval_us %" PRId64 "\n", m->interval_us);
	put(r, "# backend %s\n", r->backend);
	/* Version 2: who wrote it and when, so a job's ranks can be merged. */
	struct outpath_env env;
	outpath_env_get(&env);
	put(r, "# host %.200s\n", env.host);
	put(r, "# rank %ld\n", env.rank);
	put(r, "# job %s\n", env.job);
	put(r, "# pid %ld\n", env.pid);
	time_t secs = (time_t)(m->start_us / 1000000);
	struct tm tm;
	char wall[32] = "?";
	if (gmtime_r(&secs, &tm))
		strftime(wall, sizeof wall, "%Y-%m-%dT%H:%M:%S", &tm);
	put(r, "# start_wall %s.%06lldZ\n", wall, (long long)(m->start_us % 1000000));
	put(r, "# form %s\n", r->bins ? "bins" : "full");
	put(r, "# fields t_us pid tid class call bytes dur_us errno fdkind file fd offset flags\n");
	r->header_done = 1;
}

static void define_paths(struct recorder *r, const struct model *m, uint32_t upto)
{
	for (; r->next_def <= upto; r->next_def++) {
		size_t len;
		const char *name = intern_name(m->in, r->next_def, &len);
		char *p = room(r, len * 4 + 40);
		if (!p)
			return;
		int n = snprintf(p, 40, "P %u %s ", (unsigned)r->next_def,
				 record_kind_name(intern_kind(m->in, r->next_def)));
		p += n;
		size_t e = record_escape(p, len * 4 + 1, name, len);
		p[e] = '\n';
		r->len += (size_t)n + e + 1;
		r->lines_buf++;
	}
}

/* Version 2's fields: the descriptor, the offset and the flag letters,
 * "-" for what the event does not know. */
static void record_event_extra(const struct io_event *ev, char fd[16], char off[24], char fl[8])
{
	if (ev->flags & EVF_FD)
		snprintf(fd, 16, "%" PRId32, ev->fd);
	if (ev->flags & EVF_OFFSET)
		snprintf(off, 24, "%" PRId64, ev->offset);
	int n = 0;
	if (ev->flags & EVF_APPEND)
		fl[n++] = 'a';
	if (ev->flags & EVF_CLOEXEC)
		fl[n++] = 'c';
	if (ev->flags & EVF_TRUNC)
		fl[n++] = 't';
	if (ev->flags & EVF_SIGNALED)
		fl[n++] = 's';
	if (n)
		fl[n] = '\0';
}

static void event_line(struct recorder *r, const struct model *m, const struct io_event *ev,
		       uint32_t ops)
{
	if (ev->file >= r->next_def && ev->file < INTERN_MAX)
		define_paths(r, m, ev->file);
	if (ops)
		put(r, "A %" PRIu32 " ", ops);
	const char *call = ev->call < SC_COUNT ? sc_table[ev->call].name : "?";
	char errbuf[8];
	const char *err = "0";
	if (ev->err) {
		err = errnames_name(ev->err);
		if (strcmp(err, "E?") == 0 && ev->err != ERR_UNKNOWN) {
			snprintf(errbuf, sizeof errbuf, "%u", (unsigned)ev->err);
			err = errbuf;
		}
	}
	char fd[16] = "-", off[24] = "-", fl[8] = "-";
	record_event_extra(ev, fd, off, fl);
	put(r, "%" PRId64 " %d %d %s %s %" PRId64 " %" PRIu32 " %s %s %" PRIu32 " %s %s %s\n",
	    ev->t_us - m->start_us, ev->pid, ev->tid, record_class_name(ev->cls), call,
	    ev->bytes, ev->dur_us, err, record_kind_name(ev->fdkind), ev->file, fd, off, fl);
}

/* A counter event (N ops known only from counters: the proc source,
 * preload's unseen calls) is "C N event", so N survives a replay. */
static void event(struct recorder *r, const struct model *m, const struct io_event *ev)
{
	if (ev->count) {
		if (ev->file >= r->next_def && ev->file < INTERN_MAX)
			define_paths(r, m, ev->file);
		put(r, "C %u ", (unsigned)ev->count);
	}
	event_line(r, m, ev, 0);
}

/* ---- the bins form -------------------------------------------------------- */

static int agg_by_time(const void *a, const void *b)
{
	const struct agg *x = a, *y = b;
	if (x->used != y->used)
		return x->used ? -1 : 1;
	return x->t_us < y->t_us ? -1 : x->t_us > y->t_us;
}

/* "A OPS event" (or "F OPS event" for a file's row: pid 0, call ?). */
static void agg_line(struct recorder *r, const struct model *m, const struct agg *a,
		     int file_row)
{
	struct io_event ev;
	memset(&ev, 0, sizeof ev);
	ev.t_us = a->t_us;
	ev.pid = ev.tid = a->pid;
	ev.cls = a->cls;
	ev.call = file_row ? SC_NONE : a->call;
	ev.bytes = (int64_t)a->bytes;
	ev.dur_us = (uint32_t)a->dur_us;
	ev.err = a->err;
	ev.fdkind = a->fdkind;
	ev.file = a->file;
	if (ev.file >= r->next_def && ev.file < INTERN_MAX)
		define_paths(r, m, ev.file);
	put(r, "%c %" PRIu32 " ", file_row ? 'F' : 'A', a->ops);
	event_line(r, m, &ev, 0);
}

static int agg_same(const struct agg *a, const struct agg *k)
{
	return a->pid == k->pid && a->call == k->call && a->file == k->file &&
	       a->cls == k->cls && a->sb == k->sb && a->lb == k->lb && a->err == k->err &&
	       a->fdkind == k->fdkind;
}

static struct agg *agg_find(struct agg *tab, uint32_t slots, const struct agg *k)
{
	uint64_t h = (uint64_t)(uint32_t)k->pid * 0x9e3779b97f4a7c15ULL;
	h ^= ((uint64_t)k->call << 32) ^ ((uint64_t)k->file << 8) ^ k->cls;
	h ^= ((uint64_t)k->sb << 48) ^ ((uint64_t)k->lb << 56) ^ ((uint64_t)k->err << 20);
	h ^= (uint64_t)k->fdkind << 40;
	h *= 0xff51afd7ed558ccdULL;
	for (uint32_t i = 0, j = (uint32_t)(h >> 40); i < slots; i++, j++) {
		struct agg *a = &tab[j & (slots - 1)];
		if (!a->used || agg_same(a, k))
			return a;
	}
	return NULL;
}

static int files_by_id(const void *a, const void *b)
{
	const struct agg *x = a, *y = b;
	if (x->used != y->used)
		return x->used ? -1 : 1;
	return (x->file > y->file) - (x->file < y->file);
}

static int files_by_ops(const void *a, const void *b)
{
	const struct agg *x = a, *y = b;
	if (x->file_ops != y->file_ops)
		return x->file_ops < y->file_ops ? 1 : -1;
	if (x->file != y->file)
		return (x->file > y->file) - (x->file < y->file);
	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	return (x->err > y->err) - (x->err < y->err);
}

/* Write the interval: its aggregates in time order, then the busiest
 * AGG_FILES files' rows; then empty both tables. */
static void agg_emit(struct recorder *r, const struct model *m)
{
	if (!r->nagg)
		return;
	qsort(r->agg, AGG_SLOTS, sizeof *r->agg, agg_by_time);
	for (uint32_t i = 0; i < r->nagg; i++) {
		agg_line(r, m, &r->agg[i], 0);
		if (r->len >= FLUSH_AT)
			flush(r);
	}
	/* Busiest files by ops (per file, all its rows together). */
	qsort(r->fagg, FILE_SLOTS, sizeof *r->fagg, files_by_id);
	for (uint32_t i = 0, j; i < r->nfagg; i = j) {
		uint64_t ops = 0;
		for (j = i; j < r->nfagg && r->fagg[j].file == r->fagg[i].file; j++)
			ops += r->fagg[j].ops;
		for (uint32_t x = i; x < j; x++)
			r->fagg[x].file_ops = ops;
	}
	qsort(r->fagg, r->nfagg, sizeof *r->fagg, files_by_ops);
	uint32_t files = 0, last = 0;
	for (uint32_t i = 0; i < r->nfagg; i++) {
		struct agg *a = &r->fagg[i];
		if (i == 0 || a->file != last) {
			if (++files > AGG_FILES)
				break;
			last = a->file;
		}
		a->t_us = r->agg_t0;
		agg_line(r, m, a, 1);
		if (r->len >= FLUSH_AT)
			flush(r);
	}
	memset(r->agg, 0, AGG_SLOTS * sizeof *r->agg);
	memset(r->fagg, 0, FILE_SLOTS * sizeof *r->fagg);
	r->nagg = r->nfagg = 0;
}

/* Count ev into the row *a of table tab (or start it); a row that would
 * overflow an A line's count goes out first. */
static void agg_count(struct recorder *r, const struct model *m, struct agg *a,
		      const struct agg *k, const struct io_event *ev, uint32_t n, int file_row,
		      uint32_t *used)
{
	uint64_t dur = ev->err && file_row ? 0 : ev->dur_us;
	uint64_t bytes = ev->err || ev->bytes < 0 ? 0 : (uint64_t)ev->bytes;
	if (a->used && ((uint64_t)a->ops + n > AGG_MAX_OPS || a->dur_us + dur > UINT32_MAX)) {
		agg_line(r, m, a, file_row);	/* full: out, and start again */
		a->ops = 0;
		a->bytes = a->dur_us = 0;
		a->t_us = ev->t_us;
	}
	if (!a->used) {
		*a = *k;
		a->used = 1;
		a->t_us = ev->t_us;
		(*used)++;
	}
	a->ops += n;
	a->bytes += bytes;
	a->dur_us += dur;
}

static void agg_add(struct recorder *r, const struct model *m, const struct io_event *ev)
{
	int64_t idx = (ev->t_us - m->start_us) / m->interval_us;
	if (idx > r->agg_idx) {
		agg_emit(r, m);
		r->agg_idx = idx;
		r->agg_t0 = m->start_us + idx * m->interval_us;
	}
	uint32_t n = ev->count ? ev->count : 1;
	/* The calls, without their file: sizes, latencies, calls, processes. */
	struct agg k = {
		.pid = ev->pid, .call = ev->call, .err = ev->err, .cls = ev->cls,
		.fdkind = ev->fdkind,
		.sb = (uint8_t)bucket_of(n > 1 ? (uint64_t)ev->bytes / n : (uint64_t)ev->bytes),
		.lb = (uint8_t)bucket_lat_of(n > 1 ? ev->dur_us / n : ev->dur_us),
	};
	struct agg *a = agg_find(r->agg, AGG_SLOTS, &k);
	if (!a) {	/* the table is full: the interval so far goes out */
		agg_emit(r, m);
		a = agg_find(r->agg, AGG_SLOTS, &k);
	}
	agg_count(r, m, a, &k, ev, n, 0, &r->nagg);
	/* The file's row: its ops, bytes and time by class; errors apart. */
	if (ev->file == INTERN_NONE)
		return;
	struct agg fk = {
		.cls = ev->cls, .file = ev->file, .err = ev->err ? ERR_UNKNOWN : 0,
		.fdkind = ev->fdkind,
	};
	struct agg *f = agg_find(r->fagg, FILE_SLOTS, &fk);
	if (f)	/* a full table: this interval's later files have no row */
		agg_count(r, m, f, &fk, ev, n, 1, &r->nfagg);
}

void recorder_batch(void *ctx, const struct model *m, const struct io_event *ev,
		    size_t n, int done)
{
	struct recorder *r = ctx;
	if (r->failed)
		return;
	if (!r->header_done) {
		if (!m->started && !done && n == 0)
			return;
		header(r, m);
	}
	for (size_t i = 0; i < n; i++) {
		/* Counter events (the proc source's) are per interval already. */
		if (r->bins && ev[i].cls < OPC_IO_COUNT && !ev[i].count)
			agg_add(r, m, &ev[i]);
		else
			event(r, m, &ev[i]);
		if (r->len >= FLUSH_AT)
			flush(r);
		if (r->failed)
			return;
	}
	int64_t now = model_now(m);
	if (r->bins && (done || now / m->interval_us > r->agg_idx))
		agg_emit(r, m);
	if (done)
		put(r, "X end_us=%" PRId64 " lines=%" PRIu64 " unparsed=%" PRIu64
		    " unfinished=%" PRIu64 " exit_status=%d\n", model_now(m), m->lines,
		    m->unparsed, m->unfinished, m->exit_status);
	/* Once per interval, even when idle, say how far the file is complete
	 * (with an interval's slack for the tracer's delay), so a follower
	 * merging many ranks knows how far this one has got. */
	int tick = now - r->flushed_at >= m->interval_us;
	if (tick && !done && now - m->interval_us > r->at_us) {
		r->at_us = now - m->interval_us;
		put(r, "# at_us %" PRId64 "\n", r->at_us);
	}
	/* Once per interval too, so the file follows the run (--follow). */
	if (done || r->len >= FLUSH_AT || (r->len && tick)) {
		flush(r);
		r->flushed_at = now;
	}
}

int recorder_close(struct recorder *r)
{
	if (!r)
		return 0;
	flush(r);
	int bad = r->failed;
	if (close(r->fd) < 0 && !bad) {
		fail(r, errno);
		bad = 1;
	}
	free(r->buf);
	free(r->path);
	free(r->agg);
	free(r->fagg);
	free(r);
	return bad ? -1 : 0;
}
