/* view_pick.c - the process picker: this user's processes by I/O rate. */
#include <config.h>

#include "view.h"
#include "proclist.h"

#include <stdio.h>
#include <string.h>

void view_pick_draw(struct grid *g, const struct proc_row *rows, int n, int sel, int top,
		    const struct glyphs *gl)
{
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
		const struct proc_row *p = &rows[top + i];
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
		grid_text(g, 2, 2, ROLE_DIM, "no processes to show (process list not available)");
	grid_fill_row(g, g->h - 1, ROLE_FOOTER);
	grid_text(g, 0, g->h - 1, ROLE_FOOTER, "Up/Down select  Enter watch  q quit");
}
