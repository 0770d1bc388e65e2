/* run.h - one run: set up, watched to its end, concluded, reported.
 *
 * The options are read-only once parsed; what a run computes lives here:
 * whether the view is up, the interval (a replayed recording's own), the
 * command's output file, and how the run ended.  run_outcome_of() is the
 * one place that decides the outcome; the view's header and the exit
 * status both ask it. */
#ifndef IOPSTOP_RUN_H
#define IOPSTOP_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "report.h"
#include "sampler.h"

struct intern;
struct model;
struct options;
struct recorder;
struct source;

enum run_end {
	RUN_RUNNING,	/* the source goes on */
	RUN_EXITED,	/* the command (or an attached target) exited */
	RUN_KILLED,	/* ... was killed by a signal */
	RUN_DETACHED,	/* attached and left, or the target's end unseen */
	RUN_FINISHED,	/* a replay reached its end */
	RUN_LOST,	/* the tracer died first: the command's end is unknown */
};

/* What decides an outcome, gathered under the model's lock (run_facts). */
struct run_facts {
	int mode;		/* enum run_mode */
	int done;		/* the source has ended */
	int quitting;		/* the user left the view */
	int trace_status;	/* the root's exit as the trace saw it, -1 unknown */
	int trace_signaled;	/* ... killed by a signal (EVF_SIGNALED) */
	int wait_status;	/* as the source's waitpid saw it, -1 unknown */
	int wait_signal;	/* ... the signal that killed it, 0 none */
	int trace_cut;		/* the tracer died before the command ended */
};

struct run_outcome {
	enum run_end end;
	int status;		/* exit status as a shell has it, 128+N when
				 * killed by N; -1 none (attached, replay) */
	int signal;		/* RUN_KILLED: N */
};

/* Pure: how a run with these facts ended. */
struct run_outcome run_outcome_of(const struct run_facts *f);

struct run {
	const struct options *opt;
	struct intern *in;
	struct model *m;
	struct source *src;
	struct recorder *rec;
	struct sampler smp;
	struct batch batch;
	struct run_info ri;
	char **target_cmd;	/* attached: the first target's, from /proc */
	int view;		/* the full-screen view is to open */
	int64_t interval_us;	/* -d, or a replayed recording's own */
	int status;		/* the exit status so far */
	int nothing;		/* nothing was watched: no summary */
	/* The command's output while the view is up. */
	int out_fd;		/* -1: none */
	int out_ours;		/* we created it: removed at exit if empty */
	char out_path[4096];
	char out_dir[4096];	/* a private directory we made, "" none */
	char error[512];	/* why set-up failed (also on stderr) */
};

/* The whole run; its exit status.  When why is given, a set-up failure's
 * reason is also copied there (the process list shows it). */
int run_watch(const struct options *o, char *why, size_t len);

/* The facts and outcome now; the caller holds r->m->lock (or the sampler
 * has ended).  quitting: the user is leaving the view. */
struct run_facts run_facts(const struct run *r, int quitting);
struct run_outcome run_outcome(const struct run *r, int quitting);

/* Does a hangup end this run (attached, with no report due), or does it
 * go on headless to its natural end? */
int run_hup_stops(const struct options *o);
/* The command ignores SIGINT (its /proc status says so). */
int run_ignores_sigint(const struct run *r);

/* Can pid be watched?  0, or -1 and one line naming the reason ("pid 12
 * is a zombie", "no process with PID 12", another user's, iopstop's). */
int run_check_pid(int pid, char *why, size_t len);

#endif
