/* cost.h - what the capture costs the command: strace's slow-down,
 * estimated from the run itself. */
#ifndef IOPSTOP_COST_H
#define IOPSTOP_COST_H

#include <stddef.h>
#include <stdint.h>

struct model;

struct cost {
	double calls_s;		/* traced calls a second */
	double call_us;		/* measured cost of one traced call */
	double slowdown;	/* estimated: the command runs this many times slower */
};

/* Estimate from calls traced over elapsed_s and the cycle-time histogram
 * of back-to-back calls (NLAT log2 buckets of us).  Pure. */
void cost_estimate(uint64_t calls, double elapsed_s, const uint64_t *cycle_us,
		   struct cost *c);
/* The model's (the caller holds its lock). */
void cost_of_model(const struct model *m, struct cost *c);
/* "strace slows this at least ~40x; try --backend=preload" when the slow-down is
 * worth a word (>= 2x), else "" .  Returns buf. */
char *cost_line(const struct cost *c, const char *backend, char *buf, size_t len);

#endif
