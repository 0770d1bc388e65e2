/* heat.h - the heatmap's axis and colour scale, shared with the histogram
 * and exposed for the unit tests. */
#ifndef IOPSTOP_HEAT_H
#define IOPSTOP_HEAT_H

#include <stdint.h>

#include "grid.h"

struct heat_rows {
	int lo;		/* first bucket of the bottom row (may be < 0: a partial row) */
	int merge;	/* buckets per row */
	int nrows;
};

/* Rows for the non-empty span of hist (or [def_lo, def_hi] if empty),
 * widened to a few buckets, merged to fit `rows`. */
void heat_range(const uint64_t *hist, unsigned nb, int rows, unsigned def_lo,
		unsigned def_hi, struct heat_rows *r);
/* Lower bounds of the HEAT_LEVELS shades, log-spaced from 1 to vmax. */
void heat_scale(uint64_t vmax, uint64_t th[HEAT_LEVELS]);
/* Shade of v: 0 empty, 1..HEAT_LEVELS. */
int heat_level(uint64_t v, const uint64_t th[HEAT_LEVELS]);

#endif
