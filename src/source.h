/* source.h - where events come from: a descriptor table of sources.
 *
 * A source turns one platform's raw output into io_events.  The sampler
 * thread owns it: start, then poll until it reports the end, then stop. */
#ifndef IOPSTOP_SOURCE_H
#define IOPSTOP_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"

struct intern;
struct options;
struct source;

struct source_ops {
	const char *name;	/* the JSON "backend" */
	/* Begin capturing; 0, or -1 with s->error set. */
	int (*start)(struct source *s);
	/* Up to cap events, waiting at most timeout_ms for some.  Returns the
	 * count, 0 if none yet, -1 when the stream has ended. */
	int (*poll)(struct source *s, struct io_event *ev, size_t cap, int timeout_ms);
	/* Stop watching: detach from or end what is traced.  Safe to call
	 * from a signal-free context at any time; poll then drains and ends. */
	void (*stop)(struct source *s);
	void (*free)(struct source *s);
};

/* The preload source's honesty check: ring records it could not keep,
 * and the kernel's syscr/syscw over the whole process tree beside the
 * read and write calls the library saw. */
struct capture_check {
	uint64_t dropped;	/* ring full: records never written */
	uint64_t lost;		/* slots whose writer died mid-record */
	uint64_t kernel_ops[2];	/* syscr, syscw of every process reaped */
	uint64_t seen_ops[2];	/* calls the library saw (and reported) */
	uint64_t other_ops[2];	/* not the program's: loader, our own reads */
	uint32_t images;	/* program images that reported at their end */
	uint32_t reaped;	/* processes whose counters were read */
};

struct source {
	const struct source_ops *ops;
	const struct options *opt;
	struct intern *in;
	void *priv;

	int live;		/* has a wall clock (not a replay) */
	int64_t start_us;	/* wall clock at time 0, live sources */
	pid_t child;		/* the traced command, once known (0 = none) */
	int exit_status;	/* the command's, -1 unknown */

	uint64_t lines, unparsed, unfinished;
	uint64_t first_bad_line;
	char error[512];	/* why start failed or the stream broke */
	int broken;		/* the input was cut or corrupt */

	/* What a replayed iopstop recording says of its run. */
	int recording;		/* the input is an iopstop recording */
	char *const *command;	/* its command (NULL: none) */
	int64_t end_us;		/* relative end of the run, 0 = unknown */
	int64_t interval_us;	/* its -d, 0 = unknown */
	/* Counter sources (proc): bytes that reached storage (read_bytes,
	 * write_bytes of /proc/PID/io) and processes whose counters could
	 * not be read.  Written by the sampler thread; read after join. */
	uint64_t storage_bytes[2];
	uint64_t no_perm;
	struct capture_check check;	/* preload */
	/* The JSON "backend" when it is not ops->name (a replayed fs_usage
	 * log says "fs_usage"); NULL otherwise. */
	const char *backend;
};

extern const struct source_ops source_strace_ops;
extern const struct source_ops source_replay_ops;
extern const struct source_ops source_proc_ops;
extern const struct source_ops source_preload_ops;

/* Find prog in $PATH as execvp would: 0 and its path in out, or -1. */
int source_path_search(const char *prog, char *out, size_t len);
/* After source_path_search failed: s->error and exit status as a shell
 * has them (127 not found, 126 not executable); returns -1. */
int source_command_error(struct source *s, const char *prog);
/* The library to preload ($IOPSTOP_PRELOAD_LIB, else the installed one):
 * 0 and its path, or -1 when it is not readable. */
int source_preload_lib(char *out, size_t len);
/* 1 (and a one-line reason) when the program at path (or its #!
 * interpreter) is statically linked, so preloading cannot see it. */
int source_preload_static(const char *path, char *why, size_t len);
/* 1 and a one-line warning when the kernel counted read or write calls
 * that the preloaded library did not see. */
int source_preload_check(const struct source *s, char *msg, size_t len);
/* macOS: `sudo fs_usage -w -f filesys PID...` (source_fsusage.c). */
extern const struct source_ops source_fsusage_ops;

/* The strace to run ($IOPSTOP_STRACE or strace in $PATH): 0 and its path,
 * or -1 when there is none. */
int source_strace_find(char *out, size_t len);

/* Which source watches this run (options' mode and --backend).  NULL with
 * a one-line error in why when the run cannot start (exit 1); else the
 * ops, and why holds a one-line notice when auto fell back to proc (empty
 * otherwise). */
const struct source_ops *source_pick(const struct options *o, char *why, size_t len);

/* New source of the given kind for opt (not yet started). */
struct source *source_new(const struct source_ops *ops, const struct options *opt,
			  struct intern *in);
void source_free(struct source *s);

/* In a forked child about to exec the command: undo what iopstop ignores
 * or blocks, so the command sees a normal world. */
void source_child_signals(void);

/* The command's standard streams while the view is up: output and errors
 * to o->output, input from /dev/null unless --stdin, so nothing it
 * prints garbles the screen.  fds[0] (input) and fds[1] (output) are -1
 * where the command keeps ours.  0, or -1 with s->error set. */
int source_stdio_open(struct source *s, int fds[2]);
/* In the forked child: put them in place.  In the parent: close them. */
void source_stdio_child(const int fds[2]);
void source_stdio_close(int fds[2]);

/* Wall clock in microseconds (CLOCK_REALTIME, strace's -ttt clock). */
int64_t source_wall_us(void);

struct linebuf;
struct strace_parser;

/* Parse buffered strace lines into ev (at most cap events); counts lines
 * and unparsed ones in s.  With at_end, also the final unterminated line. */
/* How far a source's clock can be trusted.  Only a replayed strace log
 * can fall short: `strace -t` stamps whole seconds, plain strace none. */
enum src_clock { SRC_CLOCK_US, SRC_CLOCK_SECONDS, SRC_CLOCK_NONE };
enum src_clock source_clock(const struct source *s);

int source_parse_strace(struct source *s, struct linebuf *lb,
			struct strace_parser *p, struct io_event *ev, size_t cap,
			int at_end);

struct fsusage_parser;

/* The same for fs_usage lines. */
int source_parse_fsusage(struct source *s, struct linebuf *lb,
			 struct fsusage_parser *p, struct io_event *ev, size_t cap,
			 int at_end);

#endif
