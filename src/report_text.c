/* report_text.c - the whole-run heatmap and the size histogram as text. */
#include <config.h>

#include "report_text.h"
#include "bucket.h"
#include "model.h"

#include <math.h>
#include <string.h>

#define TEXT_COLS 64	/* heatmap cells across: label 6 + 2 + 64 + 1 < 80 */

static const char ramp[] = " .:-=+*#%@";	/* by log count, 9 levels */

int report_wr_cols(const struct model *m)
{
	int64_t now = model_now(m);
	int used = (int)(now / m->wr_width_us) + 1;
	for (int c = WR_COLS - 1; c >= used; c--) {
		const struct bin *b = &m->wr[c];
		if (b->nops[0] || b->nops[1] || b->nops[2] || b->errors) {
			used = c + 1;
			break;
		}
	}
	return used < 1 ? 1 : used > WR_COLS ? WR_COLS : used;
}

static char glyph(uint64_t v, uint64_t max)
{
	if (!v)
		return ' ';
	if (max <= 1)
		return ramp[9];
	double x = log((double)v) / log((double)max);	/* 0..1 */
	int g = 1 + (int)(x * 8.0 + 0.5);
	return ramp[g > 9 ? 9 : g];
}

void report_text_heatmap(FILE *f, const struct model *m)
{
	int used = report_wr_cols(m);
	int per = (used + TEXT_COLS - 1) / TEXT_COLS;	/* wr columns per char */
	int ncols = (used + per - 1) / per;
	static uint64_t cell[NBUCKETS + 1][TEXT_COLS];	/* [NBUCKETS] = meta */
	memset(cell, 0, sizeof cell);
	uint64_t max = 0;
	int lo = NBUCKETS, hi = -1;
	for (int c = 0; c < used; c++) {
		const struct bin *b = &m->wr[c];
		int x = c / per;
		for (int k = 0; k < NBUCKETS; k++) {
			uint64_t v = (uint64_t)b->ops[0][k] + b->ops[1][k];
			if (!v)
				continue;
			cell[k][x] += v;
			if (k < lo)
				lo = k;
			if (k > hi)
				hi = k;
		}
		cell[NBUCKETS][x] += b->nops[2];
	}
	for (int k = 0; k <= NBUCKETS; k++)
		for (int x = 0; x < ncols; x++)
			if (cell[k][x] > max)
				max = cell[k][x];
	double col_s = (double)m->wr_width_us * per / 1e6;
	fprintf(f, "\nheatmap: read+write ops by size (rows) over time (columns, "
		"%.3g s each)\n", col_s);
	if (hi < 0)
		fputs("  (no read or write operations)\n", f);
	for (int k = hi; k >= lo && hi >= 0; k--) {
		char lbl[16];
		bucket_label((unsigned)k, lbl, sizeof lbl);
		fprintf(f, "%6s |", lbl);
		for (int x = 0; x < ncols; x++)
			fputc(glyph(cell[k][x], max), f);
		fputs("|\n", f);
	}
	fprintf(f, "%6s |", "meta");
	for (int x = 0; x < ncols; x++)
		fputc(glyph(cell[NBUCKETS][x], max), f);
	fputs("|\n", f);
	char end[32];
	snprintf(end, sizeof end, "%.3gs", col_s * ncols);
	fprintf(f, "%6s  0s%*s\n", "", ncols - 2 > (int)strlen(end) ? ncols - 2 : (int)strlen(end), end);
	fprintf(f, "  scale (ops per cell, log): ' ' 0  '.' 1 ... '@' %llu\n",
		(unsigned long long)max);
}

void report_text_histogram(FILE *f, const struct model *m)
{
	const struct totals *T = &m->tot;
	uint64_t max = 0;
	for (int k = 0; k < NBUCKETS; k++) {
		uint64_t v = T->hist_ops[0][k] + T->hist_ops[1][k];
		if (v > max)
			max = v;
	}
	fputs("\nsize histogram (ops; R = reads, W = writes)\n", f);
	if (!max) {
		fputs("  (no read or write operations)\n", f);
		return;
	}
	fprintf(f, "%6s %10s %10s  %s\n", "size", "reads", "writes", "");
	const int width = 48;
	for (int k = 0; k < NBUCKETS; k++) {
		uint64_t r = T->hist_ops[0][k], w = T->hist_ops[1][k];
		if (!r && !w)
			continue;
		char lbl[16];
		bucket_label((unsigned)k, lbl, sizeof lbl);
		int nr = (int)((double)r * width / (double)max + 0.5);
		int nw = (int)((double)w * width / (double)max + 0.5);
		if (r && !nr)
			nr = 1;
		if (w && !nw)
			nw = 1;
		if (nr + nw > width + 1)
			nw = width + 1 - nr;
		fprintf(f, "%6s %10llu %10llu  ", lbl, (unsigned long long)r,
			(unsigned long long)w);
		for (int i = 0; i < nr; i++)
			fputc('R', f);
		for (int i = 0; i < nw; i++)
			fputc('W', f);
		fputc('\n', f);
	}
}
