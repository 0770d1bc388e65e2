/* view_help.c - every key, and what quitting does to the command. */
#include <config.h>

#include "view.h"

#include <string.h>

static const char *const help[][2] = {
	{"q F10", "quit (see below)"},
	{"space", "pause the view (capture goes on)"},
	{"<- ->", "scroll back/forward in time (pauses)"},
	{"+ -", "zoom time: fewer/more intervals a column"},
	{"c b", "colour heatmap by ops / by bytes"},
	{"r w a", "reads / writes / all"},
	{"l", "latency heatmap (call duration)"},
	{"h", "size histogram, whole run"},
	{"f", "files: s sort, / filter, Up/Down"},
	{"p", "processes"},
	{"R", "ranks (merged recordings): s sort"},
	{"? F1", "this help (again: back)"},
	{"Esc", "back to the heatmap, unpause"},
	{"^L", "redraw"},
};

static void help_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl)
{
	(void)st;
	(void)gl;
	int n = (int)(sizeof help / sizeof help[0]);
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
		? "q while the command runs ends it (SIGTERM via strace) and prints the summary."
		: s->command ? "q leaves the view; the summary follows."
			     : "q detaches: the processes go on; the summary follows.";
	grid_text(g, 0, y, ROLE_DIM, q);
	grid_text(g, 0, y + 1, ROLE_DIM, "Heat shades are log-scaled; the legend gives each "
		  "shade's lower bound.");
}

const struct view_ops view_help_ops = {"help", '?', help_draw};
