/* view_histogram.c - ops and bytes per size bucket over the whole run. */
#include <config.h>

#include "view.h"
#include "heat.h"

#include <stdio.h>
#include <string.h>

static void histogram_draw(struct grid *g, const struct view_snapshot *s,
			   const struct view_state *st, const struct glyphs *gl)
{
	const struct totals *T = &s->tot;
	uint64_t hist[NBUCKETS];
	for (unsigned k = 0; k < NBUCKETS; k++)
		hist[k] = T->hist_ops[0][k] + T->hist_ops[1][k];
	int rows = g->h - 2;
	if (rows < 1)
		return;
	struct heat_rows r;
	heat_range(hist, NBUCKETS, rows, 10, 21, &r);
	static const char *const dirs[] = {"reads+writes", "reads", "writes"};
	grid_textf(g, 0, 0, ROLE_LABEL, "Size histogram, whole run: bar = %s %s%s",
		   dirs[st->dir], st->by == BY_BYTES ? "bytes" : "ops",
		   r.merge > 1 ? " (rows: bucket ranges, K=1024)" : " (K=1024)");
	/* Narrow, the bars stay: the byte columns go first, then the ops. */
	int lw = 7;
	for (int i = 0; i < r.nrows; i++) {
		char lab[32];
		heat_row_label(&r, i, 0, lab, sizeof lab);
		if ((int)strlen(lab) + 1 > lw)
			lw = (int)strlen(lab) + 1;
	}
	int ncol = g->w - lw - 38 >= 20 ? 4 : g->w - lw - 20 >= 20 ? 2 : 0;
	int y = 1;
	grid_text_right(g, lw - 1, y, ROLE_LABEL, "size");
	if (ncol >= 2) {
		grid_text_right(g, lw + 9, y, ROLE_READ, "read ops");
		grid_text_right(g, lw + 19, y, ROLE_WRITE, "write ops");
	}
	if (ncol >= 4) {
		grid_text_right(g, lw + 27, y, ROLE_READ, "read B");
		grid_text_right(g, lw + 35, y, ROLE_WRITE, "write B");
	}
	uint64_t v[NBUCKETS] = {0}, vmax = 0;
	uint64_t ro[NBUCKETS] = {0}, wo[NBUCKETS] = {0}, rb[NBUCKETS] = {0}, wb[NBUCKETS] = {0};
	for (int i = 0; i < r.nrows && i < NBUCKETS; i++) {
		for (int j = 0; j < r.merge; j++) {
			int kk = r.lo + i * r.merge + j;
			if (kk < 0)
				continue;
			unsigned k = (unsigned)kk;
			if (k >= NBUCKETS)
				break;
			ro[i] += T->hist_ops[0][k];
			wo[i] += T->hist_ops[1][k];
			rb[i] += T->hist_bytes[0][k];
			wb[i] += T->hist_bytes[1][k];
		}
		uint64_t o = st->dir == DIR_READ ? ro[i] : st->dir == DIR_WRITE ? wo[i] : ro[i] + wo[i];
		uint64_t b = st->dir == DIR_READ ? rb[i] : st->dir == DIR_WRITE ? wb[i] : rb[i] + wb[i];
		v[i] = st->by == BY_BYTES ? b : o;
		if (v[i] > vmax)
			vmax = v[i];
	}
	int barx = lw + (ncol >= 4 ? 37 : ncol >= 2 ? 21 : 1), barw = g->w - barx - 1;
	for (int i = 0; i < r.nrows && i < rows; i++) {
		int yy = 2 + (r.nrows - 1 - i);
		if (yy >= g->h)
			continue;
		char lab[32], a[16], b[16], c[16], d[16];
		heat_row_label(&r, i, 0, lab, sizeof lab);
		view_fmt_count((double)ro[i], a, sizeof a);
		view_fmt_count((double)wo[i], b, sizeof b);
		bucket_fmt_bytes((double)rb[i], c, sizeof c);
		bucket_fmt_bytes((double)wb[i], d, sizeof d);
		grid_text_right(g, lw - 1, yy, ROLE_LABEL, lab);
		if (ncol >= 2) {
			grid_text_right(g, lw + 9, yy, ROLE_DEFAULT, a);
			grid_text_right(g, lw + 19, yy, ROLE_DEFAULT, b);
		}
		if (ncol >= 4) {
			grid_text_right(g, lw + 27, yy, ROLE_DEFAULT, c);
			grid_text_right(g, lw + 35, yy, ROLE_DEFAULT, d);
		}
		if (barw > 0 && vmax) {
			/* half cells: twice the resolution */
			uint64_t halves = (v[i] * (uint64_t)barw * 2 + vmax - 1) / vmax;
			int x = barx;
			for (uint64_t h = 0; h + 1 < halves; h += 2)
				grid_put(g, x++, yy, gl->bar, ROLE_BAR);
			if (halves % 2)
				grid_put(g, x, yy, gl->bar_half, ROLE_BAR);
		}
	}
}

const struct view_ops view_histogram_ops = {
	.name = "histogram", .key = 'h', .footer = "hist", .help = "size histogram, whole run",
	.snap = SNAP_TOTALS, .draw = histogram_draw,
};
