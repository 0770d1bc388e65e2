/* view_totals.c - the running totals panel: reads, writes, metadata. */
#include <config.h>

#include "view.h"

#include <stdio.h>
#include <string.h>

/* Column: heading and right edge (exclusive) at a width of 80. */
static const struct {
	const char *head;
	int right;
} cols[] = {
	{"ops/s", 14}, {"peak/s", 22}, {"ops", 31}, {"bytes/s", 40}, {"bytes", 48},
	{"avg size", 57}, {"p50", 65}, {"p99", 73}, {"errors", 80},
};
#define NCOLS (int)(sizeof cols / sizeof cols[0])

void view_totals_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl)
{
	(void)st;
	(void)gl;
	static const char *const names[] = {"read", "write", "meta"};
	static const enum role roles[] = {ROLE_READ, ROLE_WRITE, ROLE_META};
	/* Stretch wide, drop columns from the right when narrow. */
	double scale = g->w > 80 ? (double)g->w / 80.0 : 1.0;
	if (scale > 1.5)
		scale = 1.5;
	int ncols = NCOLS;
	while (ncols > 1 && (int)(cols[ncols - 1].right * scale) > g->w)
		ncols--;
	for (int i = 0; i < ncols; i++)
		grid_text_right(g, (int)(cols[i].right * scale), 0, ROLE_LABEL, cols[i].head);
	double iv = s->interval_s > 0 ? s->interval_s : 1;
	for (int c = 0; c < OPC_IO_COUNT && c + 1 < g->h; c++) {
		const struct totals *T = &s->tot;
		char f[NCOLS][32];
		view_fmt_count((double)s->now.nops[c] / iv, f[0], 32);
		view_fmt_count((double)T->peak_ops[c] / iv, f[1], 32);
		view_fmt_count((double)T->ops[c], f[2], 32);
		if (c < 2) {
			bucket_fmt_bytes((double)s->now.nbytes[c] / iv, f[3], 32);
			size_t l3 = strlen(f[3]);
			snprintf(f[3] + l3, 32 - l3, "/s");
			bucket_fmt_bytes((double)T->bytes[c], f[4], 32);
			if (T->ops[c])
				bucket_fmt_bytes((double)T->bytes[c] / (double)T->ops[c], f[5], 32);
			else
				strcpy(f[5], "-");
		} else {
			strcpy(f[3], "-");
			strcpy(f[4], "-");
			strcpy(f[5], "-");
		}
		bucket_fmt_us(bucket_lat_quantile(T->lat[c], 0.5), f[6], 32);
		bucket_fmt_us(bucket_lat_quantile(T->lat[c], 0.99), f[7], 32);
		view_fmt_count((double)T->errors[c], f[8], 32);
		int y = c + 1;
		grid_text(g, 1, y, roles[c], names[c]);
		for (int i = 0; i < ncols; i++)
			grid_text_right(g, (int)(cols[i].right * scale), y,
					i == 8 && T->errors[c] ? ROLE_ERROR : ROLE_DEFAULT, f[i]);
	}
}
