/* cost.h - what the capture costs the command: strace's slow-down,
 * estimated from the run itself. */
#ifndef IOPSTOP_COST_H
#define IOPSTOP_COST_H

#include <stddef.h>
#include <stdint.h>

struct model;

struct cost {
	double calls_s;		/* traced calls a second */
	double call_us;		/* cost of one traced call, at most */
	double stopped_s;	/* time the command was stopped, estimated */
	double slowdown;	/* estimated: the command runs this many times slower */
};

/* Estimate from calls traced over span_s, the command's CPU time (cpu_s,
 * < 0: unknown) and the cycle-time histogram of back-to-back calls (NLAT
 * log2 buckets of us, used without cpu_s).  Pure. */
void cost_estimate(uint64_t calls, double span_s, double cpu_s, const uint64_t *cycle_us,
		   struct cost *c);
/* CPU seconds of pid and its waited-for children (/proc/PID/stat), -1 if
 * unreadable. */
double cost_cpu_s(int pid);
/* The model's (the caller holds its lock). */
void cost_of_model(const struct model *m, struct cost *c);
/* "strace slows this at least ~40x; try --backend=preload" when the slow-down is
 * worth a word (>= 2x), else "" .  Returns buf. */
char *cost_line(const struct cost *c, const char *backend, char *buf, size_t len);

#endif
