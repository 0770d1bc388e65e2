/* cost.c - strace's slow-down, estimated from the run itself.
 *
 * strace stops the command twice at every traced call; on this machine
 * that costs some microseconds a call, whatever the call does.  The
 * cheapest cycles of a thread's back-to-back calls (the 10th percentile,
 * end to end) measure it: they are the stop plus the least work a call
 * and its caller can do.  A program that paces its calls has no cheap
 * cycles, so the cost is capped at COST_CALL_MAX_US (strace's per-call
 * cost measured here under load, bench/README.md).  With R traced calls a
 * second, a fraction f = R x cost of the run was stops, and the command
 * alone would have taken (1 - f) of the time: slow-down 1 / (1 - f).  f
 * near 1 is ill-conditioned (a tight dd bs=512 loop, ~200x slower, reads
 * ~4x), so the estimate is a floor and says so: "at least".
 */
#include <config.h>

#include "cost.h"
#include "bucket.h"
#include "model.h"

#include <stdio.h>
#include <string.h>

#define COST_CALL_MAX_US 30.0

void cost_estimate(uint64_t calls, double elapsed_s, const uint64_t *cycle_us,
		   struct cost *c)
{
	memset(c, 0, sizeof *c);
	c->slowdown = 1;
	if (elapsed_s <= 0 || calls < 100)
		return;
	c->calls_s = (double)calls / elapsed_s;
	double q = bucket_lat_quantile(cycle_us, 0.1);
	if (q <= 0)
		return;
	if (q > COST_CALL_MAX_US)
		q = COST_CALL_MAX_US;
	c->call_us = q;
	double f = c->calls_s * q / 1e6;
	if (f > 0.99)
		f = 0.99;
	c->slowdown = 1 / (1 - f);
}

void cost_of_model(const struct model *m, struct cost *c)
{
	cost_estimate(m->events, model_elapsed_s(m), m->cycle_us, c);
}

char *cost_line(const struct cost *c, const char *backend, char *buf, size_t len)
{
	buf[0] = 0;
	if (!backend || strcmp(backend, "strace") != 0 || c->slowdown < 2)
		return buf;
	snprintf(buf, len, "strace slows this at least ~%.0fx; try --backend=preload", c->slowdown);
	return buf;
}
