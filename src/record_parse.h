/* record_parse.h - the iopstop recording format (version 2), both ways:
 * escaping of paths and a pure parser from lines to io_events.
 *
 * A recording is text, one record per line ('\n'), fields separated by
 * one space:
 *
 *   # iopstop-recording 1            first line: magic and version
 *   # command ["dd", "if=x"]         JSON array (or null)
 *   # start_us 1763800000123456      wall clock of time 0, microseconds
 *   # interval_us 1000000
 *   # backend strace
 *   # fields t_us pid tid class call bytes dur_us errno fdkind file fd offset flags
 *   P ID KIND PATH                   defines path id ID (ids ascend, from 2)
 *   T PID TID CLASS CALL BYTES DUR ERR KIND ID FD OFFSET FLAGS  one event
 *
 * Version 2 added FD OFFSET FLAGS (event.h's fd, offset and EVF_* bits):
 * FD and OFFSET are '-' when unknown; FLAGS is '-' or letters, a
 * (O_APPEND), c (O_CLOEXEC), t (O_TRUNC), s (killed by a signal).
 * Version 1 event lines (ten fields) are still read.
 *   X end_us=N lines=N unparsed=N unfinished=N exit_status=N   end of run
 *
 * Version 2 adds header keys, so the recordings of a job's ranks can be
 * told apart and aligned (version 1 files lack them and still read):
 *
 *   # host NAME                      gethostname (no spaces)
 *   # rank N                         SLURM_PROCID / PMI_RANK / ... (0)
 *   # job ID                         SLURM_JOB_ID, or nojob
 *   # pid N                          iopstop's pid
 *   # start_wall 2026-12-01T09:30:00.123456Z   start_us, for people
 *   # form full|bins                 every event, or per-interval aggregates
 *   # at_us T                        (between events, once per interval) the
 *                                    events before T are all written
 *
 * and, in the bins form, aggregate lines: OPS operations that share the
 * event fields after it, BYTES and DUR their sums (one size bucket, one
 * latency bucket, 1 <= OPS <= 65535; T the first one's time),
 *
 *   A OPS T PID TID CLASS CALL BYTES DUR ERR KIND 0
 *
 * without their file (ID 0), and per file, for the interval's busiest:
 *
 *   F OPS T 0 0 CLASS ? BYTES DUR ERR KIND ID
 *
 * OPS calls of CLASS on file ID (failed ones apart, ERR not 0), counted
 * for the file only.
 *
 * An event line starts with a digit or '-' (t_us relative to start_us).
 * PATH is escaped: bytes 0x21..0x7e other than '\\' stand for themselves,
 * every other byte (space, tab, newline, '\\', non-ASCII) is \xHH.
 * Unknown '#' header lines and unknown X keys are ignored (future
 * versions add, never change).  The magic line and each known header key
 * come once: a second one (two recordings concatenated, a damaged file)
 * is a bad line that names itself, and the first values stay. */
#ifndef IOPSTOP_RECORD_PARSE_H
#define IOPSTOP_RECORD_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "intern.h"

#define RECORD_MAGIC "# iopstop-recording "
#define RECORD_VERSION 2

struct intern;

#define RECORD_MAP_CHUNK 1024
#define RECORD_MAP_CHUNKS (INTERN_MAX / RECORD_MAP_CHUNK)

struct record_parser {
	struct intern *in;
	/* recorded path id -> our intern id, in chunks made on demand */
	uint32_t *map[RECORD_MAP_CHUNKS];
	int version;		/* 0 until the magic line was read */
	unsigned seen;		/* header keys read (REC_SEEN_*): each once */
	int64_t start_us;	/* wall clock of time 0 */
	int64_t interval_us;	/* 0 unknown */
	char **command;		/* NULL-terminated, NULL when null/unknown */
	char backend[32];
	char host[256];		/* version 2 header keys; "" / -1 unknown */
	long rank;
	char job[64];
	int bins;		/* # form bins */
	int64_t at_us;		/* the last "# at_us", absolute; 0 none */
	int ended;		/* the X line was read */
	int64_t end_us;
	uint64_t lines, unparsed, unfinished;
	int exit_status;	/* -1 unknown */
	char error[160];	/* why the last line was rejected */
};

struct record_parser *record_parser_new(struct intern *in);
void record_parser_free(struct record_parser *p);

/* Does this first line start an iopstop recording? */
int record_is_recording(const char *line, size_t len);

/* One line (no '\n').  Returns 1 with *ev filled (t_us absolute:
 * start_us + the recorded offset; an A line gives count = OPS and
 * EVF_AGG), 0 for a line that carries no event
 * (header, P, X, blank), -1 when the line is corrupt (p->error says
 * why). */
int record_parse_line(struct record_parser *p, const char *line, size_t len,
		      struct io_event *ev);

/* Escape s[0..len) into out (size cap); returns the escaped length, or
 * the length needed when it exceeds cap - 1.  At most 4 * len. */
size_t record_escape(char *out, size_t cap, const char *s, size_t len);

/* Unescape s[0..len) into out (at least len bytes); returns the length,
 * or -1 when the escaping is invalid. */
long record_unescape(char *out, const char *s, size_t len);

/* Names of classes and descriptor kinds as recorded. */
const char *record_class_name(unsigned cls);
const char *record_kind_name(unsigned kind);

#endif
