/* view_pick.c - the process picker: this user's processes by I/O rate. */
#include <config.h>

#include "view.h"
#include "proclist.h"

#include <stdio.h>
#include <string.h>

int view_pick_match(const struct proc_row *r, const char *filter)
{
	if (!filter[0])
		return 1;
	const char *cmd = r->cmd[0] ? r->cmd : r->comm;
	size_t len = strnlen(cmd, r->cmd[0] ? sizeof r->cmd : sizeof r->comm);
	size_t fl = strlen(filter);
	for (size_t i = 0; i + fl <= len; i++)
		if (memcmp(cmd + i, filter, fl) == 0)
			return 1;
	return 0;
}

void view_pick_draw(struct grid *g, const struct proc_row *rows, const int *idx, int n,
		    const struct view_list *l, int help, const struct glyphs *gl)
{
	int sel = l->sel, top = l->top;
	grid_clear(g, ROLE_DEFAULT);
	grid_fill_row(g, 0, ROLE_TITLE);
	grid_text(g, 1, 0, ROLE_TITLE, "iopstop: your processes by I/O rate");
	grid_text_right(g, g->w - 1, 0, ROLE_TITLE, "Enter: watch  q: quit");
	int y = 1;
	grid_text_right(g, 7, y, ROLE_LABEL, "PID");
	grid_text_right(g, 16, y, ROLE_READ, "rd ops/s");
	grid_text_right(g, 25, y, ROLE_WRITE, "wr ops/s");
	grid_text_right(g, 33, y, ROLE_READ, "read/s");
	grid_text_right(g, 41, y, ROLE_WRITE, "write/s");
	grid_text(g, 42, y, ROLE_LABEL, "command");
	int page = g->h - 3;
	for (int i = 0; i < page && top + i < n; i++) {
		const struct proc_row *p = &rows[idx[top + i]];
		int yy = 2 + i;
		enum role r = top + i == sel ? ROLE_SELECT : ROLE_DEFAULT;
		if (r == ROLE_SELECT)
			grid_fill_row(g, yy, r);
		grid_textf(g, 1, yy, r, "%6d", p->pid);
		if (p->no_perm) {
			grid_text_right(g, 41, yy, r == ROLE_SELECT ? r : ROLE_DIM, "no permission");
		} else {
			char a[16], b[16], c[16], d[16];
			view_fmt_count(p->read_ops_s, a, sizeof a);
			view_fmt_count(p->write_ops_s, b, sizeof b);
			bucket_fmt_bytes(p->read_bytes_s, c, sizeof c);
			bucket_fmt_bytes(p->write_bytes_s, d, sizeof d);
			grid_text_right(g, 16, yy, r, a);
			grid_text_right(g, 25, yy, r, b);
			grid_text_right(g, 33, yy, r, c);
			grid_text_right(g, 41, yy, r, d);
		}
		const char *cmd = p->cmd[0] ? p->cmd : p->comm;
		size_t len = strnlen(cmd, p->cmd[0] ? sizeof p->cmd : sizeof p->comm);
		grid_text_untrusted(g, 42, yy, g->w - 42, r, cmd, len, gl);
	}
	if (n == 0)
		grid_text(g, 2, 2, ROLE_DIM, l->filter[0] ? "no process matches the filter"
			  : "no processes to show (process list not available)");
	int yf = g->h - 1;
	grid_fill_row(g, yf, ROLE_FOOTER);
	if (l->editing) {
		int x = grid_text(g, 0, yf, ROLE_KEY, "filter: ");
		x = grid_text(g, x, yf, ROLE_FOOTER, l->filter);
		grid_put(g, x, yf, '_', ROLE_KEY);
		grid_text_right(g, g->w, yf, ROLE_FOOTER, "Enter accept  Esc clear ");
		return;
	}
	if (help && g->h > 8) {
		static const char *const keys[] = {
			"Up Down k j   select (PgUp PgDn Home End)",
			"/             filter by command (Enter keeps, Esc clears)",
			"Enter         watch the selected process (q there comes back)",
			"q F10         quit",
			"?             this help (again: hide)",
		};
		int nk = (int)(sizeof keys / sizeof keys[0]), y0 = g->h - 2 - nk;
		for (int i = 0; i < nk; i++) {
			grid_fill_row(g, y0 + i, ROLE_DEFAULT);
			grid_text(g, 2, y0 + i, ROLE_LABEL, keys[i]);
		}
	}
	int x = grid_text(g, 0, yf, ROLE_FOOTER,
			  "Up/Down select  / filter  Enter watch  ? help  q quit");
	if (l->filter[0]) {
		x = grid_text(g, x + 2, yf, ROLE_FOOTER, "filter: ");
		grid_text_untrusted(g, x, yf, g->w - x, ROLE_FOOTER, l->filter, strlen(l->filter),
				    gl);
	}
}
