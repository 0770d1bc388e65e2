/* iorate.c - rates from counter readings. */
#include <config.h>

#include "iorate.h"

uint64_t iorate_delta(uint64_t cur, uint64_t prev)
{
	return cur >= prev ? cur - prev : 0;
}

void iorate_compute(const struct io_counters *cur, const struct io_counters *prev,
		    int64_t dt_us, struct io_rates *out)
{
	if (dt_us <= 0) {
		*out = (struct io_rates){0, 0, 0, 0};
		return;
	}
	double s = (double)dt_us / 1e6;
	out->read_ops_s = (double)iorate_delta(cur->syscr, prev->syscr) / s;
	out->write_ops_s = (double)iorate_delta(cur->syscw, prev->syscw) / s;
	out->read_bytes_s = (double)iorate_delta(cur->rchar, prev->rchar) / s;
	out->write_bytes_s = (double)iorate_delta(cur->wchar, prev->wchar) / s;
}
