/* strace_parse.h - strace output lines to io_events, as a pure function
 * of the text and the parser's memory of earlier lines (unfinished calls,
 * which thread belongs to which process).
 *
 * Accepts what `strace -f -ttt -T -y` prints to a file (pid column) or to
 * stderr ("[pid N]" prefix), and degrades gracefully with fewer flags:
 * no -T gives zero durations, no -y unknown files, -t/-tt time of day. */
#ifndef IOPSTOP_STRACE_PARSE_H
#define IOPSTOP_STRACE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct intern;
struct strace_parser;

/* Most events one line can give (sendfile: a read and a write). */
#define STRACE_MAX_EVENTS 2

struct strace_parser *strace_parser_new(struct intern *in);
void strace_parser_free(struct strace_parser *p);

/* Parse one line (trailing newline optional).  Writes up to
 * STRACE_MAX_EVENTS events to out and returns how many, or -1 when the
 * line is not strace output it understands. */
int strace_parse_line(struct strace_parser *p, const char *line, size_t len,
		      struct io_event *out);

/* Tell the parser that thread tid belongs to process tgid (learned from
 * /proc when attaching; lines never say it for threads that already
 * existed). */
void strace_parser_learn(struct strace_parser *p, int32_t tid, int32_t tgid);

/* What a log's timestamps are: the first line that gives an event decides
 * (strace prints one kind per run). */
enum strace_clock {
	STRACE_CLOCK_UNSEEN,	/* no such line yet */
	STRACE_CLOCK_NONE,	/* no timestamps: every event at time 0 */
	STRACE_CLOCK_EPOCH,	/* -ttt: seconds since 1970, microseconds */
	STRACE_CLOCK_TOD_US,	/* -tt: time of day, no date (midnight: +1 day) */
	STRACE_CLOCK_TOD_S,	/* -t: time of day in whole seconds */
	STRACE_CLOCK_RELATIVE,	/* -r: deltas from the line before, summed */
};
enum strace_clock strace_parser_clock(const struct strace_parser *p);

/* Calls that started (<unfinished ...>) and never finished: left at the
 * end of the trace.  Counted, never silently dropped. */
uint64_t strace_parser_unfinished(const struct strace_parser *p);

#endif
