/* view_procs.c - the processes (and threads' groups) of the run. */
#include <config.h>

#include "view.h"

#include <stdio.h>

static void procs_draw(struct grid *g, const struct view_snapshot *s,
		       const struct view_state *st, const struct glyphs *gl)
{
	const struct view_list *l = &st->list[VIEW_PROCS];
	grid_textf(g, 0, 0, ROLE_LABEL, "Processes: %d, by %s (s: sort)", s->nprocs,
		   l->sort ? "bytes" : "ops");
	/* pid and command always; narrow, the numbers go first, the least
	 * telling first (as the files view). */
	enum { C_PID, C_RD, C_WR, C_META, C_RB, C_WB, C_ERR, C_ST, NC };
	static const struct {
		const char *head;
		int w;
		enum role role;
	} cols[NC] = {
		[C_PID] = {"pid", 8, ROLE_LABEL}, [C_RD] = {"rd ops", 8, ROLE_READ},
		[C_WR] = {"wr ops", 8, ROLE_WRITE}, [C_META] = {"meta", 7, ROLE_META},
		[C_RB] = {"read", 7, ROLE_READ}, [C_WB] = {"write", 7, ROLE_WRITE},
		[C_ERR] = {"err", 6, ROLE_ERROR}, [C_ST] = {"status", 9, ROLE_LABEL},
	};
	static const int keep_order[NC] = {C_PID, C_RD, C_WR, C_RB, C_WB, C_ST, C_META, C_ERR};
	const int CMD_MIN = g->w < 60 ? 12 : 18;
	int on[NC] = {0}, used = 0;
	for (int i = 0; i < NC; i++) {
		int c = keep_order[i];
		if (c == C_PID || used + cols[c].w + CMD_MIN <= g->w) {
			on[c] = 1;
			used += cols[c].w;
		}
	}
	int right[NC], xr = 0;
	for (int c = 0; c < NC; c++)
		if (on[c]) {
			xr += cols[c].w;
			right[c] = xr;
		}
	int cx = xr + 1;	/* the command column */
	int y = 1;
	for (int c = 0; c < NC; c++)
		if (!on[c])
			continue;
		else if (c == C_ST)
			grid_text(g, right[c] - cols[c].w + 1, y, cols[c].role, cols[c].head);
		else
			grid_text_right(g, right[c], y, cols[c].role, cols[c].head);
	grid_text(g, cx, y, ROLE_LABEL, "command");
	int page = g->h - 2;
	int top = l->top;
	if (l->sel >= top + page)
		top = l->sel - page + 1;
	for (int i = 0; i < page && top + i < s->nprocs; i++) {
		const struct snap_proc *p = &s->procs[top + i];
		int yy = 2 + i;
		enum role r = top + i == l->sel ? ROLE_SELECT : ROLE_DEFAULT;
		if (r == ROLE_SELECT)
			grid_fill_row(g, yy, r);
		char v[NC][16];
		snprintf(v[C_PID], sizeof v[0], "%d", p->pid);
		view_fmt_count((double)p->ops[0], v[C_RD], sizeof v[0]);
		view_fmt_count((double)p->ops[1], v[C_WR], sizeof v[0]);
		view_fmt_count((double)p->ops[2], v[C_META], sizeof v[0]);
		bucket_fmt_bytes((double)p->bytes[0], v[C_RB], sizeof v[0]);
		bucket_fmt_bytes((double)p->bytes[1], v[C_WB], sizeof v[0]);
		view_fmt_count((double)p->errors, v[C_ERR], sizeof v[0]);
		if (p->exit_status < 0)
			snprintf(v[C_ST], sizeof v[0], "running");
		else
			snprintf(v[C_ST], sizeof v[0], "exit %d", p->exit_status);
		for (int c = 0; c < NC; c++)
			if (!on[c])
				continue;
			else if (c == C_ST)
				grid_text(g, right[c] - cols[c].w + 1, yy, r == ROLE_SELECT ? r
					  : p->exit_status < 0 ? ROLE_RUNNING : ROLE_DIM, v[c]);
			else
				grid_text_right(g, right[c], yy, r, v[c]);
		if (p->comm)
			grid_text_untrusted(g, cx, yy, g->w - cx, r, p->comm, p->comm_len, gl);
		else
			grid_text(g, cx, yy, ROLE_DIM, "?");
	}
	if (s->nprocs == 0)
		grid_text(g, 2, 2, ROLE_DIM, "no process seen yet");
}

static int procs_rows(const struct view_snapshot *s)
{
	return s->nprocs;
}

static const char *const procs_sorts[] = {"ops", "bytes"};

const struct view_ops view_procs_ops = {
	.name = "processes", .key = 'p', .footer = "procs", .help = "processes: s sort, Up/Down",
	.flags = VF_LIST, .snap = SNAP_TOTALS | SNAP_LISTS, .draw = procs_draw,
	.rows = procs_rows, .sorts = procs_sorts, .nsorts = 2,
};
