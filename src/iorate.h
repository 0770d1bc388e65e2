/* iorate.h - /proc/PID/io counters and the rates between two readings,
 * as pure functions (no clock, no /proc): unit-tested without sleeping. */
#ifndef IOPSTOP_IORATE_H
#define IOPSTOP_IORATE_H

#include <stdint.h>

struct io_counters {
	uint64_t syscr, syscw;		/* read and write calls */
	uint64_t rchar, wchar;		/* bytes they moved */
	uint64_t read_bytes, write_bytes;	/* bytes that reached storage */
};

struct io_rates {
	double read_ops_s, write_ops_s, read_bytes_s, write_bytes_s;
};

/* Per-second rates of cur over prev, dt_us apart.  A counter that went
 * backwards (a reused pid) or dt_us <= 0 gives 0 for it. */
void iorate_compute(const struct io_counters *cur, const struct io_counters *prev,
		    int64_t dt_us, struct io_rates *out);

/* cur - prev, 0 when it went backwards. */
uint64_t iorate_delta(uint64_t cur, uint64_t prev);

#endif
