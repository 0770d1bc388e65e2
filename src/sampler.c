/* sampler.c - poll the source, aggregate per batch under one lock. */
#include <config.h>

#include "sampler.h"
#include "model.h"
#include "source.h"

#include <stdlib.h>
#include <time.h>

#define BATCH 4096
#define POLL_MS 50
/* An idle live source is polled at most this far apart (and at each
 * interval's end): every wakeup costs, and an idle watch must cost ~0. */
#define IDLE_POLL_MS 250

atomic_int sampler_signal_stop;

static void sampler_pace(struct sampler *s, int64_t t_rel, int64_t wall0)
{
	/* Replay at `speed` times the recorded pace. */
	int64_t due = wall0 + (int64_t)((double)t_rel / s->speed);
	int64_t now = source_wall_us();
	if (due > now) {
		int64_t w = due - now;
		struct timespec ts = {(time_t)(w / 1000000), (long)(w % 1000000) * 1000};
		nanosleep(&ts, NULL);
	}
}

static void *sampler_run(void *arg)
{
	struct sampler *s = arg;
	struct model *m = s->m;
	struct source *src = s->src;
	struct io_event *ev = malloc(BATCH * sizeof *ev);
	int stopped = 0, done = 0;
	int64_t wall0 = source_wall_us();
	int64_t limit_us = s->iterations > 0 ? s->iterations * m->interval_us : 0;

	int timeout = POLL_MS;
	while (!done) {
		int n = ev ? src->ops->poll(src, ev, BATCH, timeout) : -1;
		if (n > 0 && !src->live && s->speed > 0 && m->started)
			sampler_pace(s, ev[0].t_us - m->start_us, wall0);

		size_t keep = 0;
		pthread_mutex_lock(&m->lock);
		if (n > 0) {
			keep = (size_t)n;
			if (limit_us && !src->live) {
				if (!m->started)
					model_set_start(m, ev[0].t_us);
				for (keep = 0; keep < (size_t)n; keep++)
					if (ev[keep].t_us - m->start_us >= limit_us)
						break;
				if (keep < (size_t)n && !stopped) {
					src->ops->stop(src);
					stopped = 1;
				}
			}
			model_add(m, ev, keep);
		}
		if (src->live)
			m->now_us = source_wall_us() - m->start_us;
		else if (s->speed > 0)
			m->now_us = (int64_t)((double)(source_wall_us() - wall0) * s->speed);
		m->lines = src->lines;
		m->unparsed = src->unparsed;
		m->unfinished = src->unfinished;
		if (n < 0) {
			done = 1;
			m->source_done = 1;
			if (!src->live && m->now_us > m->last_us)
				m->now_us = m->last_us;
			if (!src->live && src->end_us > m->now_us)
				m->now_us = src->end_us;	/* a recording's end */
		}
		if (!stopped && (s->stop_requested || atomic_load(&sampler_signal_stop) ||
				 (limit_us && src->live && m->now_us >= limit_us))) {
			stopped = 1;
			src->ops->stop(src);
		}
		/* Nothing came: wait longer next time, up to the end of the
		 * current interval (its batch line is due then). */
		timeout = POLL_MS;
		if (n == 0 && src->live) {
			int64_t iv = m->interval_us;
			int64_t left_ms = (iv - (m->now_us > 0 ? m->now_us % iv : 0)) / 1000 + 1;
			if (left_ms > IDLE_POLL_MS)
				left_ms = IDLE_POLL_MS;
			if (left_ms > timeout)
				timeout = (int)left_ms;
		}
		if (s->on_tick)
			s->on_tick(s->ctx, m, done);
		pthread_mutex_unlock(&m->lock);
		if (s->on_batch)
			s->on_batch(s->batch_ctx, m, ev, keep, done);
	}
	free(ev);
	return NULL;
}

int sampler_start(struct sampler *s)
{
	if (pthread_create(&s->thread, NULL, sampler_run, s) != 0)
		return -1;
	s->started = 1;
	return 0;
}

void sampler_stop(struct sampler *s)
{
	pthread_mutex_lock(&s->m->lock);
	s->stop_requested = 1;
	pthread_mutex_unlock(&s->m->lock);
}

void sampler_join(struct sampler *s)
{
	if (s->started)
		pthread_join(s->thread, NULL);
	s->started = 0;
}
