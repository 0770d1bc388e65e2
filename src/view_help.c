/* view_help.c - every key, and what quitting does to the command. */
#include <config.h>

#include "view.h"

#include <string.h>

static void help_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl)
{
	(void)st;
	(void)gl;
	/* The global keys, then each view's key: from the tables, so the
	 * help cannot miss a view. */
	const char *help[64][2];
	char vk[VIEW_COUNT][2];
	int ng, n = 0;
	const struct view_keydef *k = view_global_keys(&ng);
	for (int i = 0; i < ng && n < 64; i++)
		if (k[i].keyname && k[i].help) {
			help[n][0] = k[i].keyname;
			help[n++][1] = k[i].help;
		}
	for (int i = 0; i < VIEW_COUNT && n < 64; i++)
		if (view_table[i]->key && view_table[i]->help) {
			vk[i][0] = (char)view_table[i]->key;
			vk[i][1] = 0;
			help[n][0] = vk[i];
			help[n++][1] = view_table[i]->help;
		}
	int rows = g->h - 4;
	if (rows < 1)
		rows = 1;
	int two = n > rows && g->w >= 100;
	int per = two ? (n + 1) / 2 : n;
	grid_text(g, 0, 0, ROLE_LABEL, "Keys");
	for (int i = 0; i < n; i++) {
		int col = two && i >= per, y = 1 + (col ? i - per : i);
		int x = col ? g->w / 2 : 0;
		if (y >= g->h - 3 && !two)
			break;
		grid_text(g, x + 1, y, ROLE_KEY, help[i][0]);
		grid_text(g, x + 8, y, ROLE_DEFAULT, help[i][1]);
	}
	int y = g->h - 3;
	if (y < 1)
		return;
	const char *q = s->leaving_kills
		? "q while the command runs asks, then ends it (SIGTERM); Ctrl-C is the command's."
		: s->command ? "q leaves the view; the summary follows."
			     : "q detaches: the processes go on; the summary follows.";
	grid_text(g, 0, y, ROLE_DIM, q);
	grid_text(g, 0, y + 1, ROLE_DIM, "Shades: log scale, the legend gives each one's lower "
		  "bound. Sizes, bytes: K = 1024.");
}

const struct view_ops view_help_ops = {
	.name = "help", .snap = SNAP_TOTALS, .draw = help_draw,
};
