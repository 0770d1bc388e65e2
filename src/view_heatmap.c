/* view_heatmap.c - the size and latency heatmaps of the live view.
 *
 * The drawing is heat.c's (shared with the text and SVG reports); this
 * file says what to draw: the snapshot's columns, the state's choices,
 * the whole run's sizes as the rows, and a title that says it all. */
#include <config.h>

#include "view.h"
#include "heat.h"

#include <stdio.h>
#include <string.h>

static void draw(struct grid *g, const struct view_snapshot *s, const struct view_state *st,
		 const struct glyphs *gl, int latency)
{
	uint64_t span[NBUCKETS] = {0};
	unsigned nb = latency ? NLAT : NBUCKETS;
	for (unsigned k = 0; k < nb; k++)
		span[k] = latency ? s->tot.lat[0][k] + s->tot.lat[1][k] + s->tot.lat[2][k]
				  : s->tot.hist_ops[0][k] + s->tot.hist_ops[1][k];
	struct heat_spec sp;
	view_heat_spec(s, st, latency, &sp);
	sp.span = span;

	static const char *const dirs[] = {"reads+writes", "reads", "writes"};
	const char *what = latency ? "calls" : st->by == BY_BYTES ? "bytes" : "ops";
	char colw[32], title[200];
	heat_fmt_width(sp.col_s, colw, sizeof colw);
	int n = snprintf(title, sizeof title, "%s %s by %s, col %s",
			 latency && st->dir == DIR_ALL ? "all" : dirs[st->dir], what,
			 latency ? "duration" : "size", colw);
	size_t l = n > 0 && (size_t)n < sizeof title ? (size_t)n : strlen(title);
	if (s->whole)
		snprintf(title + l, sizeof title - l, st->wzoom ? ", run x%d" : ", whole run",
			 1 << st->wzoom);
	else if (st->paused)
		snprintf(title + l, sizeof title - l, st->scroll ? ", -%lld cols" : ", paused",
			 (long long)st->scroll);
	sp.title = title;
	heat_draw(g, &sp, gl, NULL);
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
