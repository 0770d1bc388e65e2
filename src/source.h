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
struct run_info;
struct origins;
struct source;

/* A source as a whole: whether it can watch a run here, how it runs, and
 * what it adds to the run's account when the run ends.  source_table
 * lists them in the order auto tries them. */
struct source_ops {
	const char *name;	/* what --backend and the log call it */
	const char *backend;	/* the JSON "backend" (NULL: name) */
	int asked_by;		/* the enum backend naming it, -1 none */
	/* Can it watch the run o describes here (nothing is started)?  1,
	 * maybe with a one-line notice in why; or 0 with the reason in why
	 * (empty: it does not apply, nothing to say); or -1 when no source
	 * could (why: the run's error).  asked: --backend named it, so a
	 * reason is the run's error and may say what to do instead. */
	int (*probe)(const struct options *o, int asked, char *why, size_t len);
	/* Begin capturing; 0, or -1 with s->error set. */
	int (*start)(struct source *s);
	/* Up to cap events, waiting at most timeout_ms for some.  Returns the
	 * count, 0 if none yet, -1 when the stream has ended. */
	int (*poll)(struct source *s, struct io_event *ev, size_t cap, int timeout_ms);
	/* Stop watching: detach from or end what is traced.  Safe to call
	 * from a signal-free context at any time; poll then drains and ends. */
	void (*stop)(struct source *s);
	void (*free)(struct source *s);
	/* After the sampler ended: add what only this source knows to ri
	 * (storage bytes, the kernel check) and warn on stderr.  Returns 1
	 * when the command's exit status is unknown because the source broke
	 * before the command ended (exit_seen: the model saw its exit). */
	int (*conclude)(struct source *s, struct run_info *ri, int exit_seen);
	/* A tracer stands between us and the command: when it ends with an
	 * error before the command's exit line, that exit is lost (strace
	 * killed under the command), and the run says so. */
	unsigned tracer_may_die : 1;
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
	void *priv;		/* the source's own state, private to its file */

	int live;		/* has a wall clock (not a replay) */
	int64_t start_us;	/* wall clock at time 0, live sources */
	pid_t child;		/* the traced command, once known (0 = none) */
	int exit_status;	/* the command's, -1 unknown */
	int exit_signal;	/* the signal that killed it, as wait saw it; 0 none */
	/* How a command is started, set by the run before start: its stdout
	 * and stderr while the view is up (-1: ours), its stdin from
	 * /dev/null, a process group of its own (jobctl.h). */
	int out_fd;
	int in_null;
	int own_group;

	uint64_t lines, unparsed, unfinished;
	uint64_t first_bad_line;
	char error[512];	/* why start failed or the stream broke */
	int broken;		/* the input was cut or corrupt */

	/* What a replayed iopstop recording says of its run. */
	int recording;		/* the input is an iopstop recording */
	char *const *command;	/* its command (NULL: none) */
	int64_t end_us;		/* relative end of the run, 0 = unknown */
	int64_t interval_us;	/* its -d, 0 = unknown */
	/* The JSON "backend" when it is not the descriptor's (a replayed
	 * fs_usage log says "fs_usage"); NULL otherwise. */
	const char *backend;
	/* --ready-fd: the source says "ready" itself once it has attached
	 * (ready_later), else the run does after start. */
	int ready_later, ready_sent;
	/* Replay: the recordings read and merged (host, rank, span, state);
	 * NULL for live sources.  Owned by the source. */
	struct origins *origins;
};

/* Every source this build has, in auto's order; NULL-terminated. */
extern const struct source_ops *const source_table[];

extern const struct source_ops source_strace_ops;
extern const struct source_ops source_replay_ops;
extern const struct source_ops source_proc_ops;
extern const struct source_ops source_preload_ops;
/* macOS: `sudo fs_usage -w -f filesys PID...` (source_fsusage.c). */
extern const struct source_ops source_fsusage_ops;

/* The JSON "backend" of a source. */
const char *source_backend(const struct source *s);
/* The run's account from the source (its conclude hook); see source_ops. */
int source_conclude(struct source *s, struct run_info *ri, int exit_seen);

/* Find prog in $PATH as execvp would: 0 and its path in out, or -1. */
int source_path_search(const char *prog, char *out, size_t len);
/* After source_path_search failed: s->error and exit status as a shell
 * has them (127 not found, 126 not executable); returns -1. */
int source_command_error(struct source *s, const char *prog);
/* Which source watches this run (options' mode and --backend): the first
 * of source_table whose probe accepts it.  NULL with a one-line error in
 * why when the run cannot start (exit 1); else the ops, and why holds a
 * one-line notice when auto passed over a source (empty otherwise). */
const struct source_ops *source_pick(const struct options *o, char *why, size_t len);

/* New source of the given kind for opt (not yet started). */
struct source *source_new(const struct source_ops *ops, const struct options *opt,
			  struct intern *in);
void source_free(struct source *s);

/* In a forked child about to exec the command: undo what iopstop ignores
 * or blocks, so the command sees a normal world. */
void source_child_signals(void);
/* In the forked child and in the parent after fork: the command (or its
 * tracer, which starts it) in a process group of its own, out of the
 * terminal's reach (jobctl.h), unless it is to read the terminal. */
void source_child_group(const struct source *s);
void source_spawned(struct source *s, pid_t pid);

/* The command's standard streams: while the view is up, output and
 * errors to s->out_fd, so nothing it prints garbles the screen; input
 * from /dev/null when s->in_null.  fds[0] (input) and fds[1] (output) are
 * -1 where the command keeps ours.  0, or -1 with s->error set. */
int source_stdio_open(struct source *s, int fds[2]);
/* In the forked child: put them in place.  In the parent: close them. */
void source_stdio_child(const int fds[2]);
void source_stdio_close(int fds[2]);

/* --ready-fd: write "ready BACKEND" and close it, once; no-op without. */
void source_ready(struct source *s);

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
