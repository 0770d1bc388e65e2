/* record_parse.h - the iopstop recording format (version 1), both ways:
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
 *   # fields t_us pid tid class call bytes dur_us errno fdkind file
 *   P ID KIND PATH                   defines path id ID (ids ascend, from 2)
 *   T PID TID CLASS CALL BYTES DUR ERR KIND ID   (with T = t_us) one event
 *   X end_us=N lines=N unparsed=N unfinished=N exit_status=N   end of run
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
#define RECORD_VERSION 1

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
 * start_us + the recorded offset), 0 for a line that carries no event
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
