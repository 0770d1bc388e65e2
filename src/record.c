/* record.c - write events as an iopstop recording. */
#include <config.h>

#include "record.h"
#include "record_parse.h"
#include "errnames.h"
#include "intern.h"
#include "json.h"
#include "model.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FLUSH_AT (64 * 1024)

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
};

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

static void event(struct recorder *r, const struct model *m, const struct io_event *ev)
{
	if (ev->file >= r->next_def && ev->file < INTERN_MAX)
		define_paths(r, m, ev->file);
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
		event(r, m, &ev[i]);
		if (r->len >= FLUSH_AT)
			flush(r);
		if (r->failed)
			return;
	}
	if (done)
		put(r, "X end_us=%" PRId64 " lines=%" PRIu64 " unparsed=%" PRIu64
		    " unfinished=%" PRIu64 " exit_status=%d\n", model_now(m), m->lines,
		    m->unparsed, m->unfinished, m->exit_status);
	/* Idle ticks flush too, so the file follows the run (tail -f). */
	if (done || n == 0 || r->len >= FLUSH_AT)
		flush(r);
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
	free(r);
	return bad ? -1 : 0;
}
