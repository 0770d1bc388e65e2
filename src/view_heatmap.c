/* view_heatmap.c - time x log2 size (or call duration), coloured by count.
 *
 * x = one column per zoom intervals, newest at the right; y = buckets,
 * largest at the top, merged f to a row when they do not fit.  Shades
 * are on a log scale between 1 and the largest visible cell. */
#include <config.h>

#include "view.h"
#include "heat.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define LABEL_W 6	/* "  16K" + axis line */

void heat_range(const uint64_t *hist, unsigned nb, int rows, unsigned def_lo,
		unsigned def_hi, struct heat_rows *r)
{
	if (rows < 1)
		rows = 1;	/* a degenerate grid: one row, never a division by 0 */
	int lo = -1, hi = -1;
	for (unsigned k = 0; k < nb; k++)
		if (hist[k]) {
			if (lo < 0)
				lo = (int)k;
			hi = (int)k;
		}
	if (lo < 0) {
		lo = (int)def_lo;
		hi = (int)def_hi;
	}
	if (rows < 1)
		rows = 1;
	/* show at least a few neighbours so one size is not the whole axis */
	int want = rows < 12 ? rows : 12;
	while (hi - lo + 1 < want && (hi + 1 < (int)nb || lo > 0)) {
		if (hi + 1 < (int)nb)
			hi++;
		if (hi - lo + 1 < want && lo > 0)
			lo--;
	}
	int span = hi - lo + 1;
	r->merge = (span + rows - 1) / rows;
	if (r->merge < 1)
		r->merge = 1;	/* def_hi < def_lo: still no division by 0 */
	/* Merged, let the biggest size seen start its row, so that its label
	 * is its own (64K ops on the "64K" row, not on "32K"). */
	int lo2 = lo - (r->merge - (hi - lo) % r->merge) % r->merge;
	if ((hi - lo2) / r->merge + 1 <= rows)
		lo = lo2;
	r->lo = lo;
	r->nrows = (hi - lo) / r->merge + 1;
}

void heat_scale(uint64_t vmax, uint64_t th[HEAT_LEVELS])
{
	th[0] = 1;
	for (int i = 1; i < HEAT_LEVELS; i++) {
		double t = vmax > 1 ? pow((double)vmax, (double)i / HEAT_LEVELS) : 1;
		uint64_t v = (uint64_t)ceil(t - 1e-9);
		th[i] = v > th[i - 1] ? v : th[i - 1] + 1;
	}
}

int heat_level(uint64_t v, const uint64_t th[HEAT_LEVELS])
{
	if (v == 0)
		return 0;
	int l = 1;
	for (int i = 1; i < HEAT_LEVELS; i++)
		if (v >= th[i])
			l = i + 1;
	return l;
}

static void fmt_time(double t, double step, char *buf, size_t len)
{
	if (t >= 3600)
		snprintf(buf, len, "%dh%02d", (int)t / 3600, (int)t / 60 % 60);
	else if (t >= 60)
		snprintf(buf, len, "%dm%02d", (int)t / 60, (int)t % 60);
	else if (step < 1)
		snprintf(buf, len, "%.1fs", t);
	else
		snprintf(buf, len, "%.0fs", t);
}

static uint64_t cell(const struct view_snapshot *s, const struct view_state *st, int col,
		     const struct heat_rows *r, int row, int latency)
{
	uint64_t v = 0;
	int k0 = r->lo + row * r->merge;
	for (int k = k0 < 0 ? 0 : k0; k < k0 + r->merge; k++)
		v += view_cell_value(&s->cols[col], (unsigned)k, st, latency);
	return v;
}

static void draw(struct grid *g, const struct view_snapshot *s, const struct view_state *st,
		 const struct glyphs *gl, int latency)
{
	int ncols = s->ncols < g->w - LABEL_W ? s->ncols : g->w - LABEL_W;
	int first = s->ncols - ncols;	/* columns not shown (too narrow) */
	int rows = g->h - 2;
	if (rows < 1 || ncols < 1)
		return;

	/* rows: the buckets seen in the whole run */
	uint64_t hist[NBUCKETS] = {0};
	unsigned nb = latency ? NLAT : NBUCKETS;
	for (unsigned k = 0; k < nb; k++) {
		if (latency)
			hist[k] = s->tot.lat[0][k] + s->tot.lat[1][k] + s->tot.lat[2][k];
		else
			hist[k] = s->tot.hist_ops[0][k] + s->tot.hist_ops[1][k];
	}
	for (int c = 0; c < s->ncols; c++)	/* and whatever the columns hold */
		for (unsigned k = 0; k < nb; k++)
			hist[k] += view_cell_value(&s->cols[c], k, st, latency);
	struct heat_rows r;
	heat_range(hist, nb, rows, latency ? 1 : 10, latency ? 14 : 21, &r);

	uint64_t vmax = 0;
	for (int c = first; c < s->ncols; c++)
		for (int i = 0; i < r.nrows; i++) {
			uint64_t v = cell(s, st, c, &r, i, latency);
			if (v > vmax)
				vmax = v;
		}
	uint64_t th[HEAT_LEVELS];
	heat_scale(vmax, th);

	/* title and legend */
	static const char *const dirs[] = {"reads+writes", "reads", "writes"};
	const char *what = latency ? "calls" : st->by == BY_BYTES ? "bytes" : "ops";
	char colw[32], title[160];
	fmt_time(s->interval_s * s->zoom, s->interval_s * s->zoom, colw, sizeof colw);
	if (s->interval_s * s->zoom < 1)
		snprintf(colw, sizeof colw, "%gms", s->interval_s * s->zoom * 1000);
	snprintf(title, sizeof title, "%s %s by %s, col %s", latency && st->dir == DIR_ALL ?
		 "all" : dirs[st->dir], what, latency ? "duration" : "size", colw);
	if (r.merge > 1) {
		size_t l = strlen(title);
		snprintf(title + l, sizeof title - l, ", %d sizes/row", r.merge);
	}
	if (st->paused) {
		size_t l = strlen(title);
		snprintf(title + l, sizeof title - l, st->scroll ? ", -%lld cols" : ", paused",
			 (long long)st->scroll);
	}
	grid_text(g, 0, 0, ROLE_LABEL, title);
	char leg[HEAT_LEVELS][16];
	int legw = 0;
	for (int i = 0; i < HEAT_LEVELS; i++) {
		if (!latency && st->by == BY_BYTES)
			bucket_fmt_bytes((double)th[i], leg[i], sizeof leg[i]);
		else
			view_fmt_count((double)th[i], leg[i], sizeof leg[i]);
		legw += (int)strlen(leg[i]) + 2;
	}
	int x = g->w - legw;
	if (x < (int)strlen(title) + 1)
		x = (int)strlen(title) + 1;
	if (vmax == 0) {
		grid_text_right(g, g->w, 0, ROLE_DIM, "no ops in view");
	} else {
		for (int i = 0; i < HEAT_LEVELS && x < g->w; i++) {
			grid_put(g, x++, 0, gl->heat[i + 1], ROLE_HEAT_1 + i);
			x = grid_text(g, x, 0, ROLE_DIM, leg[i]);
			x++;
		}
	}

	/* rows, largest at the top */
	int top = rows - r.nrows;	/* blank rows above the biggest bucket */
	if (top < 0)
		top = 0;
	for (int i = 0; i < r.nrows && i < rows; i++) {
		int y = 1 + top + (r.nrows - 1 - i);
		char lab[16];
		int k0 = r.lo + i * r.merge;
		unsigned k = k0 < 0 ? 0 : (unsigned)k0;
		if (latency)
			bucket_fmt_us((double)bucket_lo(k), lab, sizeof lab);
		else
			bucket_label(k, lab, sizeof lab);
		grid_text_right(g, LABEL_W - 1, y, ROLE_LABEL, lab);
		grid_put(g, LABEL_W - 1, y, gl->vline, ROLE_DIM);
		for (int c = first; c < s->ncols; c++) {
			int lv = heat_level(cell(s, st, c, &r, i, latency), th);
			uint32_t ch = lv ? gl->heat[lv] : ' ';
			grid_put(g, LABEL_W + c - first, y, ch, ROLE_HEAT_0 + lv);
		}
	}
	for (int y = 1; y < 1 + top; y++)
		grid_put(g, LABEL_W - 1, y, gl->vline, ROLE_DIM);

	/* time axis: labels anchored to column groups, so they scroll */
	int ya = g->h - 1;
	grid_put(g, LABEL_W - 1, ya, '+', ROLE_DIM);
	int every = 10;
	int next_free = LABEL_W;
	for (int c = first; c < s->ncols; c++) {
		int xx = LABEL_W + c - first;
		grid_put(g, xx, ya, gl->hline, ROLE_DIM);
	}
	for (int c = first; c < s->ncols; c++) {
		int64_t grp = s->first_group + c;
		int xx = LABEL_W + c - first;
		if (grp < 0 || grp % every)
			continue;
		char t[16];
		fmt_time((double)grp * s->zoom * s->interval_s, s->interval_s * s->zoom * every,
			 t, sizeof t);
		int need = (int)strlen(t) + 1;
		if (xx < next_free || xx + need > g->w)
			continue;
		grid_put(g, xx, ya, '|', ROLE_DIM);
		grid_text(g, xx + 1, ya, ROLE_LABEL, t);
		next_free = xx + need + 1;
	}
}

static void heatmap_draw(struct grid *g, const struct view_snapshot *s,
			 const struct view_state *st, const struct glyphs *gl)
{
	draw(g, s, st, gl, 0);
}

static void latency_draw(struct grid *g, const struct view_snapshot *s,
			 const struct view_state *st, const struct glyphs *gl)
{
	draw(g, s, st, gl, 1);
}

const struct view_ops view_heatmap_ops = {
	.name = "heatmap", .help = "Esc: the size heatmap (home)", .flags = VF_TIME,
	.snap = SNAP_TOTALS | SNAP_COLS, .draw = heatmap_draw,
};
const struct view_ops view_latency_ops = {
	.name = "latency", .key = 'l', .footer = "lat", .help = "latency heatmap (call duration)",
	.flags = VF_TIME, .snap = SNAP_TOTALS | SNAP_COLS, .draw = latency_draw,
};
