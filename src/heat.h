/* heat.h - the one heat scale and the one heatmap renderer.
 *
 * The live view, the --heatmap text report and the SVG all take their
 * rows (log2 sizes or durations, merged to fit; the metadata band, one
 * row per family), their shades (log-spaced from 1 to the largest cell)
 * and their time axis from here.  Pure: bins in, a grid out. */
#ifndef IOPSTOP_HEAT_H
#define IOPSTOP_HEAT_H

#include <stddef.h>
#include <stdint.h>

#include "grid.h"
#include "model.h"

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

/* Row i (0 = bottom) of r as its buckets' lower bounds: "1K", or merged
 * "512-2K" (buckets 512 to 2K, so [512, 4K)).  Sizes in binary units
 * (K = 1024), durations as bucket_fmt_us. */
void heat_row_label(const struct heat_rows *r, int i, int latency, char *buf, size_t len);
/* A time on an axis whose labels are `step` seconds apart, in the unit
 * that step fits: "0s", "2m30", "250ms", "40us". */
void heat_fmt_time(double t, double step, char *buf, size_t len);
/* A column's width, exactly: "1s", "1.6s", "32ms", "500us". */
void heat_fmt_width(double s, char *buf, size_t len);

/* What a heatmap shows. */
enum heat_dir { HEAT_ALL, HEAT_READS, HEAT_WRITES };
struct heat_spec {
	const struct bin *cols;	/* data columns, oldest first */
	int ncols;
	double col_s;		/* seconds a column */
	double t0_s;		/* start of column 0, since the run began */
	int latency;		/* rows are call durations, not sizes */
	int by_bytes;		/* shade by bytes, not ops */
	enum heat_dir dir;
	const uint64_t *span;	/* per bucket, the whole run: the rows to show */
	unsigned band;		/* metadata families (1u << FAM_x) in the band */
	const uint16_t *calls;	/* instead of sizes and band: a row per call (enum sc_id) */
	int ncalls;
	int stretch;		/* fewer columns than cells: widen them to fill */
	int newest;		/* too many columns: keep this one and those before it */
	const char *title;	/* row 0, left */
};

/* What the renderer decided (rows, band, shades), for callers and tests. */
struct heat_plan {
	struct heat_rows r;
	int nband;			/* band rows under the size rows */
	uint8_t band_fam[FAM_COUNT];	/* each band row's family, 0: all in one */
	int calls;			/* the band rows are spec->calls[0..nband) */
	int label_w;			/* label column and axis line */
	uint64_t vmax, th[HEAT_LEVELS];
};

/* The families with calls in the run (the band's rows). */
unsigned heat_band_of(const struct totals *T);
/* Value of one bin in size row bucket k as the spec asks. */
uint64_t heat_bin_value(const struct heat_spec *sp, const struct bin *b, unsigned k);
/* Plan rows for a grid `rows` high (the cells, no title or axis). */
void heat_plan(const struct heat_spec *sp, int rows, struct heat_plan *p);
/* Cell of column c in display row y (0 = top: size rows, then the band). */
uint64_t heat_cell(const struct heat_spec *sp, const struct heat_plan *p, int c, int y);
/* Draw title, legend, labelled rows, cells and time axis into g. */
void heat_draw(struct grid *g, const struct heat_spec *sp, const struct glyphs *gl,
	       struct heat_plan *out);

#endif
