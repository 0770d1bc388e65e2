/* sampler.h - the thread that owns the source and feeds the model. */
#ifndef IOPSTOP_SAMPLER_H
#define IOPSTOP_SAMPLER_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct io_event;
struct model;
struct source;

struct sampler {
	struct source *src;
	struct model *m;
	double speed;		/* replay pacing; 0 = as fast as possible */
	long iterations;	/* stop after this many intervals; 0 = never */
	/* Called with m->lock held after each batch and each idle wakeup;
	 * batch mode prints finished intervals from here. */
	void (*on_tick)(void *ctx, struct model *m, int done);
	void *ctx;
	/* Called after each batch (n may be 0) and at the end (done), outside
	 * the lock, with the events the model was given: the recorder. */
	void (*on_batch)(void *ctx, const struct model *m,
			 const struct io_event *ev, size_t n, int done);
	void *batch_ctx;

	pthread_t thread;
	int stop_requested;	/* under m->lock */
	int started;
};

int sampler_start(struct sampler *s);
/* Ask the source to stop (detach, or end the command); safe from any
 * thread but not from a signal handler. */
void sampler_stop(struct sampler *s);
void sampler_join(struct sampler *s);

/* Set from signal handlers, polled by the sampler thread: an atomic, as
 * volatile sig_atomic_t only orders a handler against its own thread.
 * Lock-free atomics are async-signal-safe. */
extern atomic_int sampler_signal_stop;

#endif
