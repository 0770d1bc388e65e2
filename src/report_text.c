/* report_text.c - the whole-run heatmap and the size histogram as text. */
#include <config.h>

#include "report_text.h"
#include "bucket.h"
#include "model.h"
#include "grid.h"
#include "heat.h"

#include <math.h>
#include <string.h>

#define TEXT_COLS 72	/* whole-run columns at most, stretched to 80 */

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

/* The whole run as the view's renderer draws it (heat.c), into a grid
 * 80 columns wide, printed as ASCII. */
void report_text_heatmap(FILE *f, const struct model *m)
{
	int used = report_wr_cols(m);
	int per = (used + TEXT_COLS - 1) / TEXT_COLS;	/* whole-run bins a column */
	int ncols = (used + per - 1) / per;
	static struct bin cols[TEXT_COLS];
	memset(cols, 0, sizeof cols);
	for (int c = 0; c < used; c++)
		bin_merge(&cols[c / per], &m->wr[c]);
	uint64_t span[NBUCKETS];
	for (int k = 0; k < NBUCKETS; k++)
		span[k] = m->tot.hist_ops[0][k] + m->tot.hist_ops[1][k];
	char colw[32], title[96];
	double col_s = (double)m->wr_width_us * per / 1e6;
	heat_fmt_width(col_s, colw, sizeof colw);
	snprintf(title, sizeof title, "heatmap: read+write ops by size, col %s", colw);
	struct heat_spec sp = {
		.cols = cols, .ncols = ncols, .col_s = col_s, .span = span,
		.band = heat_band_of(&m->tot), .stretch = 1, .title = title,
	};
	/* as tall as the sizes seen need, unmerged */
	struct heat_plan p;
	heat_plan(&sp, NBUCKETS + FAM_COUNT, &p);
	struct grid g;
	if (grid_init(&g, 80, p.r.nrows + p.nband + 2) < 0)
		return;
	grid_clear(&g, ROLE_DEFAULT);
	heat_draw(&g, &sp, &glyphs_ascii, NULL);
	fputc('\n', f);
	char line[512];
	for (int y = 0; y < g.h; y++) {
		grid_row_text(&g, y, line, sizeof line);
		size_t l = strlen(line);
		while (l && line[l - 1] == ' ')
			line[--l] = 0;
		fprintf(f, "%s\n", line);
	}
	grid_free(&g);
	fprintf(f, "  rows: sizes (K = 1024) and metadata calls by family; shades: "
		"ops per cell, log\n");
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
