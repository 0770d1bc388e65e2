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
	int y = 1;
	grid_text_right(g, 8, y, ROLE_LABEL, "pid");
	grid_text_right(g, 16, y, ROLE_READ, "rd ops");
	grid_text_right(g, 24, y, ROLE_WRITE, "wr ops");
	grid_text_right(g, 31, y, ROLE_META, "meta");
	grid_text_right(g, 38, y, ROLE_READ, "read");
	grid_text_right(g, 45, y, ROLE_WRITE, "write");
	grid_text_right(g, 51, y, ROLE_ERROR, "err");
	grid_text(g, 52, y, ROLE_LABEL, "status");
	grid_text(g, 61, y, ROLE_LABEL, "command");
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
		char pid[16], a[16], b[16], c[16], d[16], e[16], er[16], stt[16];
		snprintf(pid, sizeof pid, "%d", p->pid);
		view_fmt_count((double)p->ops[0], a, sizeof a);
		view_fmt_count((double)p->ops[1], b, sizeof b);
		view_fmt_count((double)p->ops[2], c, sizeof c);
		bucket_fmt_bytes((double)p->bytes[0], d, sizeof d);
		bucket_fmt_bytes((double)p->bytes[1], e, sizeof e);
		view_fmt_count((double)p->errors, er, sizeof er);
		if (p->exit_status < 0)
			snprintf(stt, sizeof stt, "running");
		else
			snprintf(stt, sizeof stt, "exit %d", p->exit_status);
		grid_text_right(g, 8, yy, r, pid);
		grid_text_right(g, 16, yy, r, a);
		grid_text_right(g, 24, yy, r, b);
		grid_text_right(g, 31, yy, r, c);
		grid_text_right(g, 38, yy, r, d);
		grid_text_right(g, 45, yy, r, e);
		grid_text_right(g, 51, yy, r, er);
		grid_text(g, 52, yy, r == ROLE_SELECT ? r : p->exit_status < 0 ? ROLE_RUNNING
								       : ROLE_DIM, stt);
		if (p->comm)
			grid_text_untrusted(g, 61, yy, g->w - 61, r, p->comm, p->comm_len, gl);
		else
			grid_text(g, 61, yy, ROLE_DIM, "?");
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
