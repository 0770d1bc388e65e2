/* heat.c - the one heat scale and the one heatmap renderer (see heat.h).
 *
 * x = columns of time, oldest at the left; y = log2 buckets, largest at
 * the top, merged to fit and labelled by the buckets they hold; under
 * them the metadata band, a row per family, on the same scale. */
#include <config.h>

#include "heat.h"
#include "bucket.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- rows and shades ------------------------------------------------------- */

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
	 * is its own (64K ops on the "64K-..." row, not on "32K-..."). */
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

/* ---- labels ---------------------------------------------------------------- */

static void bucket_name(unsigned k, int latency, char *buf, size_t len)
{
	if (latency)
		bucket_fmt_us((double)bucket_lo(k), buf, len);
	else
		bucket_label(k, buf, len);
}

void heat_row_label(const struct heat_rows *r, int i, int latency, char *buf, size_t len)
{
	unsigned nb = latency ? NLAT : NBUCKETS;
	int k0 = r->lo + i * r->merge, k1 = k0 + r->merge - 1;
	if (k0 < 0)
		k0 = 0;
	if (k1 >= (int)nb)
		k1 = (int)nb - 1;
	char a[16], b[16];
	bucket_name((unsigned)k0, latency, a, sizeof a);
	if (k1 <= k0) {
		snprintf(buf, len, "%s", a);
		return;
	}
	bucket_name((unsigned)k1, latency, b, sizeof b);
	snprintf(buf, len, "%s-%s", a, b);
}

void heat_fmt_time(double t, double step, char *buf, size_t len)
{
	if (fabs(t) < 1e-12)
		t = 0;
	if (step >= 1) {
		long s = lround(t);
		if (s >= 3600)
			snprintf(buf, len, "%ldh%02ld", s / 3600, s / 60 % 60);
		else if (s >= 60)
			snprintf(buf, len, "%ldm%02ld", s / 60, s % 60);
		else
			snprintf(buf, len, "%lds", s);
	} else if (step >= 0.1) {
		snprintf(buf, len, t == 0 ? "%.0fs" : "%.1fs", t);
	} else if (step >= 1e-3) {
		snprintf(buf, len, "%.0fms", t * 1e3);
	} else if (step >= 1e-4) {
		snprintf(buf, len, t == 0 ? "%.0fms" : "%.1fms", t * 1e3);
	} else {
		snprintf(buf, len, "%.0fus", t * 1e6);
	}
}

void heat_fmt_width(double s, char *buf, size_t len)
{
	if (s >= 1)
		snprintf(buf, len, "%.4gs", s);
	else if (s >= 1e-3)
		snprintf(buf, len, "%.4gms", s * 1e3);
	else
		snprintf(buf, len, "%.4gus", s * 1e6);
}

/* 1, 2, 5 times a power of ten; minutes and hours past a minute. */
static double nice_step(double min)
{
	static const double big[] = {60, 120, 300, 600, 900, 1800, 3600, 7200, 10800,
				     21600, 43200, 86400};
	if (min >= 30) {
		for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
			if (big[i] >= min)
				return big[i];
		return ceil(min / 86400) * 86400;
	}
	double p = pow(10, floor(log10(min > 0 ? min : 1e-6)));
	for (int m = 1; m <= 10; m = m == 1 ? 2 : m == 2 ? 5 : 10)
		if (m * p >= min * (1 - 1e-9))
			return m * p;
	return 10 * p;
}

/* ---- cells ----------------------------------------------------------------- */

unsigned heat_band_of(const struct totals *T)
{
	unsigned mask = 0;
	for (int id = 0; id < SC_COUNT; id++)
		if (sc_table[id].cls == OPC_META && (T->by_call[id] || T->err_by_call[id])) {
			unsigned f = sc_table[id].fam;
			mask |= 1u << (f ? f : FAM_OTHER);
		}
	return mask;
}

uint64_t heat_bin_value(const struct heat_spec *sp, const struct bin *b, unsigned k)
{
	uint64_t v = 0;
	if (sp->latency) {
		if (k >= NLAT)
			return 0;
		if (sp->dir != HEAT_WRITES)
			v += b->lat[OPC_READ][k];
		if (sp->dir != HEAT_READS)
			v += b->lat[OPC_WRITE][k];
		if (sp->dir == HEAT_ALL)
			v += b->lat[OPC_META][k];
		return v;
	}
	if (k >= NBUCKETS)
		return 0;
	for (int d = 0; d < 2; d++) {
		if ((d == 0 && sp->dir == HEAT_WRITES) || (d == 1 && sp->dir == HEAT_READS))
			continue;
		v += sp->by_bytes ? b->bytes[d][k] : b->ops[d][k];
	}
	return v;
}

uint64_t heat_cell(const struct heat_spec *sp, const struct heat_plan *p, int c, int y)
{
	if (c < 0 || c >= sp->ncols || y < 0)
		return 0;
	const struct bin *b = &sp->cols[c];
	uint64_t v = 0;
	if (y < p->r.nrows) {
		int k0 = p->r.lo + (p->r.nrows - 1 - y) * p->r.merge;
		for (int k = k0 < 0 ? 0 : k0; k < k0 + p->r.merge; k++)
			v += heat_bin_value(sp, b, (unsigned)k);
		return v;
	}
	y -= p->r.nrows;
	if (y >= p->nband)
		return 0;
	if (p->calls)
		return b->calls[sp->calls[y]];
	if (p->band_fam[y])
		return b->fam[p->band_fam[y]];
	for (int f = 1; f < FAM_COUNT; f++)
		v += b->fam[f];
	return v;
}

void heat_plan(const struct heat_spec *sp, int rows, struct heat_plan *p)
{
	memset(p, 0, sizeof *p);
	if (rows < 1)
		rows = 1;
	if (sp->calls) {	/* a row per call, no size rows */
		p->calls = 1;
		p->nband = sp->ncalls < rows ? sp->ncalls : rows;
		size_t w = 5;
		for (int i = 0; i < p->nband; i++)
			if (strlen(sc_table[sp->calls[i]].name) > w)
				w = strlen(sc_table[sp->calls[i]].name);
		p->label_w = (int)w + 1;
		for (int c = 0; c < sp->ncols; c++)
			for (int y = 0; y < p->nband; y++) {
				uint64_t v = heat_cell(sp, p, c, y);
				if (v > p->vmax)
					p->vmax = v;
			}
		heat_scale(p->vmax, p->th);
		return;
	}
	/* The band: a row per family seen, one "meta" row when short. */
	int nfam = 0;
	for (int f = 1; f < FAM_COUNT; f++)
		if (sp->band & (1u << f))
			p->band_fam[nfam++] = (uint8_t)f;
	p->nband = nfam;
	if (nfam && rows - nfam < 3) {
		p->nband = rows >= 4 ? 1 : 0;
		p->band_fam[0] = 0;
	}
	unsigned nb = sp->latency ? NLAT : NBUCKETS;
	uint64_t hist[NBUCKETS] = {0};
	for (unsigned k = 0; k < nb; k++) {
		hist[k] = sp->span ? sp->span[k] : 0;
		for (int c = 0; c < sp->ncols; c++)
			hist[k] += heat_bin_value(sp, &sp->cols[c], k);
	}
	heat_range(hist, nb, rows - p->nband, sp->latency ? 1 : 10, sp->latency ? 14 : 21,
		   &p->r);
	size_t w = 5;		/* "  16K|": the live view's long-standing width */
	char lab[32];
	for (int i = 0; i < p->r.nrows; i++) {
		heat_row_label(&p->r, i, sp->latency, lab, sizeof lab);
		if (strlen(lab) > w)
			w = strlen(lab);
	}
	for (int i = 0; i < p->nband; i++) {
		const char *n = p->band_fam[i] ? syscalls_family_name(p->band_fam[i]) : "meta";
		if (strlen(n) > w)
			w = strlen(n);
	}
	p->label_w = (int)w + 1;
	for (int c = 0; c < sp->ncols; c++)
		for (int y = 0; y < p->r.nrows + p->nband; y++) {
			uint64_t v = heat_cell(sp, p, c, y);
			if (v > p->vmax)
				p->vmax = v;
		}
	heat_scale(p->vmax, p->th);
}

/* ---- drawing --------------------------------------------------------------- */

void heat_draw(struct grid *g, const struct heat_spec *sp, const struct glyphs *gl,
	       struct heat_plan *out)
{
	struct heat_plan p;
	int rows = g->h - 2;
	heat_plan(sp, rows, &p);
	if (out)
		*out = p;
	int lw = p.label_w, pw = g->w - lw;
	if (rows < 1 || pw < 1)
		return;
	/* Columns to cells: the newest that fit, or stretched to fill. */
	int n = sp->ncols, first = 0;
	if (n > pw) {	/* keep the newest, and as much before it as fits */
		int nw = sp->newest >= 0 && sp->newest < n ? sp->newest : n - 1;
		first = nw >= pw ? nw - pw + 1 : 0;
		n = pw;
	}
	int stretch = sp->stretch && n > 0 && n < pw;
#define CELL_X(c) (lw + (stretch ? (int)((int64_t)(c) * pw / n) : (c)))

	/* title and legend: shades' lower bounds, the unit named once */
	int tx = grid_text(g, 0, 0, ROLE_LABEL, sp->title ? sp->title : "");
	char leg[HEAT_LEVELS][16];
	int legw = 0;
	for (int i = 0; i < HEAT_LEVELS; i++) {
		if (!sp->latency && sp->by_bytes)
			bucket_fmt_bytes((double)p.th[i], leg[i], sizeof leg[i]);
		else
			bucket_fmt_scaled((double)p.th[i], 1000.0, " KMGTPE", leg[i],
					  sizeof leg[i]);
		legw += (int)strlen(leg[i]) + 2;
	}
	const char *unit = sp->latency || sp->calls ? " calls" : sp->by_bytes ? " bytes, K=1024"
			 : " ops";
	if (p.vmax == 0) {
		grid_text_right(g, g->w, 0, ROLE_DIM, "no ops in view");
	} else {
		int withunit = g->w - legw - (int)strlen(unit) > tx;
		int x = g->w - legw - (withunit ? (int)strlen(unit) : 0);
		if (x < tx + 1)
			x = tx + 1;
		for (int i = 0; i < HEAT_LEVELS && x < g->w; i++) {
			grid_put(g, x++, 0, gl->heat[i + 1], ROLE_HEAT_1 + i);
			x = grid_text(g, x, 0, ROLE_DIM, leg[i]);
			if (i + 1 < HEAT_LEVELS)
				x++;
		}
		if (withunit)
			grid_text(g, x, 0, ROLE_DIM, unit);
	}

	/* rows, largest size at the top, the band under them */
	int total = p.r.nrows + p.nband;
	int top = rows - total;	/* blank rows above the biggest bucket */
	if (top < 0)
		top = 0;
	for (int yr = 0; yr < total && yr < rows; yr++) {
		int y = 1 + top + yr;
		char lab[32];
		enum role lr = ROLE_LABEL;
		if (yr < p.r.nrows) {
			heat_row_label(&p.r, p.r.nrows - 1 - yr, sp->latency, lab, sizeof lab);
		} else {
			int b = yr - p.r.nrows;
			snprintf(lab, sizeof lab, "%s", p.calls ? sc_table[sp->calls[b]].name
				 : p.band_fam[b] ? syscalls_family_name(p.band_fam[b]) : "meta");
			lr = ROLE_META;
		}
		grid_text_right(g, lw - 1, y, lr, lab);
		grid_put(g, lw - 1, y, gl->vline, ROLE_DIM);
		for (int c = 0; c < n; c++) {
			int lv = heat_level(heat_cell(sp, &p, first + c, yr), p.th);
			uint32_t ch = lv ? gl->heat[lv] : ' ';
			for (int x = CELL_X(c); x < CELL_X(c + 1); x++)
				grid_put(g, x, y, ch, ROLE_HEAT_0 + lv);
		}
	}
	for (int y = 1; y < 1 + top; y++)
		grid_put(g, lw - 1, y, gl->vline, ROLE_DIM);

	/* time axis: labels at round times in the unit their spacing fits,
	 * at every zoom */
	int ya = g->h - 1;
	grid_put(g, lw - 1, ya, '+', ROLE_DIM);
	int xend = CELL_X(n);
	for (int x = lw; x < xend; x++)
		grid_put(g, x, ya, gl->hline, ROLE_DIM);
	if (n < 1 || sp->col_s <= 0)
		return;
	double t_first = sp->t0_s + first * sp->col_s, t_end = t_first + n * sp->col_s;
	double cell_s = (t_end - t_first) / (xend - lw);
	double step = nice_step(9 * cell_s);
	int next_free = lw;
	for (double k = ceil(t_first / step - 1e-9); k * step < t_end - 1e-12; k++) {
		double t = k * step;
		if (t < -1e-12)
			continue;
		int c = (int)floor((t - t_first) / sp->col_s + 1e-6);
		if (c < 0 || c >= n)
			continue;
		int xx = CELL_X(c);
		char lab[24];
		heat_fmt_time(t, step, lab, sizeof lab);
		int need = (int)strlen(lab) + 1;
		if (xx < next_free || xx + need > g->w)
			continue;
		grid_put(g, xx, ya, '|', ROLE_DIM);
		grid_text(g, xx + 1, ya, ROLE_LABEL, lab);
		next_free = xx + need + 1;
	}
#undef CELL_X
}
