/* cost.c - strace's slow-down, estimated from the run itself.
 *
 * strace stops the command twice at every traced call.  The time the
 * command was stopped is at most the time it did not run (the span of the
 * trace less the CPU time /proc gives for it and its waited-for children)
 * and at most COST_CALL_MAX_US a traced call (strace's per-call cost
 * measured on this machine under load, bench/README.md); the smaller
 * bound is the estimate, and the command alone would have taken the rest:
 * slow-down = span / (span - stopped).  A program that sleeps or waits
 * has few calls, so the call bound keeps it near 1x; a tight loop of
 * small calls is nearly all stops.  The kernel's own cost of each ptrace
 * stop is charged to the command's system time, so the estimate is a
 * floor (dd bs=512: ~8x estimated, ~170x measured): "at least".
 * Without a CPU sample (no view, or /proc unreadable) the cheapest cycles
 * of back-to-back calls stand in for the per-call cost. */
#include <config.h>

#include "cost.h"
#include "bucket.h"
#include "model.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define COST_CALL_MAX_US 30.0

void cost_estimate(uint64_t calls, double span_s, double cpu_s, const uint64_t *cycle_us,
		   struct cost *c)
{
	memset(c, 0, sizeof *c);
	c->slowdown = 1;
	if (span_s <= 0 || calls < 100)
		return;
	c->calls_s = (double)calls / span_s;
	double stopped;
	if (cpu_s >= 0) {
		c->call_us = COST_CALL_MAX_US;
		stopped = (double)calls * COST_CALL_MAX_US / 1e6;
		if (span_s - cpu_s < stopped)
			stopped = span_s - cpu_s > 0 ? span_s - cpu_s : 0;
	} else {
		double q = bucket_lat_quantile(cycle_us, 0.1);
		if (q <= 0)
			return;
		c->call_us = q < COST_CALL_MAX_US ? q : COST_CALL_MAX_US;
		stopped = (double)calls * c->call_us / 1e6;
	}
	if (stopped > span_s * 0.999)
		stopped = span_s * 0.999;
	c->stopped_s = stopped;
	c->slowdown = span_s / (span_s - stopped);
}

double cost_cpu_s(int pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	const char *p = strrchr(buf, ')');	/* the name may hold anything */
	if (!p)
		return -1;
	/* after ") ": state(3) ... utime(14) stime(15) cutime(16) cstime(17) */
	unsigned long long v[4];
	int field = 2;
	for (p++; *p && field < 13; p++)
		if (*p == ' ')
			field++;
	if (sscanf(p, "%llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]) != 4)
		return -1;
	long hz = sysconf(_SC_CLK_TCK);
	return hz > 0 ? (double)(v[0] + v[1] + v[2] + v[3]) / (double)hz : -1;
}

void cost_of_model(const struct model *m, struct cost *c)
{
	/* over the span the events cover: a view left open after the
	 * command ended must not dilute the rate */
	double span = m->last_us > 0 ? (double)m->last_us / 1e6 : model_elapsed_s(m);
	cost_estimate(m->events, span, m->root_cpu_us >= 0 ? (double)m->root_cpu_us / 1e6 : -1,
		      m->cycle_us, c);
}

char *cost_line(const struct cost *c, const char *backend, char *buf, size_t len)
{
	buf[0] = 0;
	if (!backend || strcmp(backend, "strace") != 0 || c->slowdown < 2)
		return buf;
	snprintf(buf, len, "strace slows this at least ~%.0fx; try --backend=preload", c->slowdown);
	return buf;
}
