/* view_meta.c - metadata by call over time: a heat row per call, the
 * busiest of the run at the top, failed calls included (a storm of failed
 * lookups is still a storm).  Drawn by heat.c on the heatmap's columns. */
#include <config.h>

#include "view.h"
#include "heat.h"

#include <stdio.h>
#include <string.h>

static void meta_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl)
{
	/* rows: the calls made, busiest first (ties: table order) */
	uint16_t calls[SC_COUNT];
	uint64_t n[SC_COUNT];
	int nc = 0;
	for (int id = 0; id < SC_COUNT; id++) {
		uint64_t v = s->tot.by_call[id] + s->tot.err_by_call[id];
		if (sc_table[id].cls != OPC_META || !v)
			continue;
		int i = nc++;
		while (i > 0 && n[i - 1] < v) {
			calls[i] = calls[i - 1];
			n[i] = n[i - 1];
			i--;
		}
		calls[i] = (uint16_t)id;
		n[i] = v;
	}
	struct heat_spec sp;
	view_heat_spec(s, st, 0, &sp);
	sp.calls = calls;
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
};
