/* view_meta.c - metadata by call over time: a heat row per call, the
 * busiest of the run at the top, failed calls included (a storm of failed
 * lookups is still a storm).  Drawn by heat.c on the heatmap's columns. */
#include <config.h>

#include "view.h"
#include "heat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Its own part of the snapshot: the calls made, busiest first. */
struct meta_rows {
	uint16_t calls[SC_COUNT];
	int n;
};

static void meta_take(void **priv, const struct model *m, const struct view_state *st)
{
	(void)st;
	struct meta_rows *r = *priv ? *priv : (*priv = calloc(1, sizeof *r));
	if (!r)
		return;
	uint64_t n[SC_COUNT];
	r->n = 0;
	for (int id = 0; id < SC_COUNT; id++) {
		uint64_t v = m->tot.by_call[id] + m->tot.err_by_call[id];
		if (sc_table[id].cls != OPC_META || !v)
			continue;
		int i = r->n++;
		while (i > 0 && n[i - 1] < v) {	/* ties keep table order */
			r->calls[i] = r->calls[i - 1];
			n[i] = n[i - 1];
			i--;
		}
		r->calls[i] = (uint16_t)id;
		n[i] = v;
	}
}

static void meta_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl)
{
	static const struct meta_rows none;
	const struct meta_rows *r = s->priv[VIEW_META] ? s->priv[VIEW_META] : &none;
	int nc = r->n;
	struct heat_spec sp;
	view_heat_spec(s, st, 0, &sp);
	sp.calls = r->calls;
	sp.ncalls = nc;
	char colw[32], title[160];
	heat_fmt_width(sp.col_s, colw, sizeof colw);
	snprintf(title, sizeof title, "metadata calls by call, col %s%s", colw,
		 s->whole ? ", whole run" : st->paused ? ", paused" : "");
	sp.title = title;
	heat_draw(g, &sp, gl, NULL);
	if (!nc)
		grid_text(g, 2, 2, ROLE_DIM, "no metadata calls seen yet");
}

const struct view_ops view_meta_ops = {
	.name = "metadata", .key = 'm', .footer = "meta", .help = "metadata by call over time",
	.flags = VF_TIME, .snap = SNAP_TOTALS | SNAP_COLS, .draw = meta_draw,
	.take = meta_take, .free_priv = free,
};
