/* view_ranks.c - the ranks of a job: one row per merged recording (host,
 * rank, its processes summed), with the slowest and the busiest marked and
 * the imbalance between them (findings_imbalance, Drishti's straggler
 * rule, as the rank-imbalance finding has it). */
#include <config.h>

#include "view.h"
#include "findings.h"
#include "origins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANKS_MAX 4096

static enum file_sort sort_by;
static const char *const ranks_sorts[] = {"ops", "bytes", "time in I/O"};
_Static_assert(sizeof ranks_sorts / sizeof ranks_sorts[0] == SORT_COUNT, "a name per sort");

static uint64_t rank_key(const struct snap_rank *r)
{
	switch (sort_by) {
	case SORT_BYTES: return r->bytes[0] + r->bytes[1];
	case SORT_LAT: return r->dur_us;
	default: return r->ops[0] + r->ops[1] + r->ops[2];
	}
}

static int rank_cmp(const void *a, const void *b)
{
	const struct snap_rank *x = a, *y = b;
	uint64_t kx = rank_key(x), ky = rank_key(y);
	if (kx != ky)
		return kx < ky ? 1 : -1;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

void view_ranks_take(struct view_snapshot *s, const struct model *m,
		     const struct view_state *st)
{
	uint32_t n = origins_count(s->origins);
	uint32_t rows = n ? n : 1;	/* a live run is one "rank" */
	if (rows > RANKS_MAX)
		rows = RANKS_MAX;
	s->nranks = 0;
	if (!s->ranks && !(s->ranks = calloc(RANKS_MAX, sizeof *s->ranks)))
		return;
	memset(s->ranks, 0, rows * sizeof *s->ranks);
	for (uint32_t i = 0; i < rows; i++) {
		struct snap_rank *r = &s->ranks[i];
		struct origin g;
		r->rank = -1;
		r->state = -1;
		if (n && origins_get(s->origins, (uint16_t)(i + 1), &g) == 0) {
			snprintf(r->host, sizeof r->host, "%.63s", g.host[0] ? g.host : "?");
			r->rank = g.rank;
			r->state = (int)g.state;
		} else {
			snprintf(r->host, sizeof r->host, "this run");
		}
	}
	for (uint32_t i = 0; i < m->nprocs; i++) {
		const struct proc_stats *p = &m->procs[i];
		uint32_t at = n ? (uint32_t)p->origin - 1 : 0;
		if (n && (p->origin == 0 || at >= rows))
			continue;
		struct snap_rank *r = &s->ranks[at];
		uint64_t ops = p->ops[0] + p->ops[1] + p->ops[2];
		if (!r->pid || ops > r->pid_ops) {
			r->pid = p->pid;
			r->pid_ops = ops;
		}
		for (int c = 0; c < OPC_IO_COUNT; c++)
			r->ops[c] += p->ops[c];
		r->bytes[0] += p->bytes[0];
		r->bytes[1] += p->bytes[1];
		r->errors += p->errors;
		r->dur_us += p->dur_us;
		r->nprocs++;
	}
	s->nranks = (int)rows;
	sort_by = (enum file_sort)st->list[VIEW_RANKS].sort;	/* qsort has no context argument */
	qsort(s->ranks, rows, sizeof *s->ranks, rank_cmp);
}

static void ranks_draw(struct grid *g, const struct view_snapshot *s,
		       const struct view_state *st, const struct glyphs *gl)
{
	(void)gl;
	/* The slowest (most time in I/O) and the busiest (most bytes), and
	 * the imbalance the rank-imbalance finding judges by. */
	static struct rank_load load[RANKS_MAX];	/* the UI thread's */
	int n = s->nranks < RANKS_MAX ? s->nranks : RANKS_MAX;
	for (int i = 0; i < n; i++)
		load[i] = (struct rank_load){.dur_us = s->ranks[i].dur_us,
					     .bytes = s->ranks[i].bytes[0] + s->ranks[i].bytes[1]};
	struct imbalance im;
	findings_imbalance(load, n, &im);
	int slow = im.slow, busy = im.heavy;
	int x = grid_textf(g, 0, 0, ROLE_LABEL, "Ranks: %d, by %s (s: sort)", s->nranks,
			   ranks_sorts[st->list[VIEW_RANKS].sort < SORT_COUNT ? st->list[VIEW_RANKS].sort : 0]);
	if (n > 1 && im.dur_us) {
		int pct = (int)(100.0 * im.time_share + 0.5);
		int bad = im.time_share > IMBALANCE_SHARE || im.bytes_share > IMBALANCE_SHARE;
		grid_textf(g, x + 2, 0, bad ? ROLE_ERROR : ROLE_DIM,
			   "slowest - fastest: %d%% of I/O time, %d%% of bytes%s", pct,
			   (int)(100.0 * im.bytes_share + 0.5), bad ? " (imbalance)" : "");
	}
	int y = 1;
	grid_text(g, 0, y, ROLE_LABEL, "host");
	grid_text_right(g, 22, y, ROLE_LABEL, "rank");
	grid_text_right(g, 30, y, ROLE_LABEL, "pid");
	grid_text_right(g, 37, y, ROLE_READ, "ops");
	grid_text_right(g, 44, y, ROLE_READ, "read");
	grid_text_right(g, 51, y, ROLE_WRITE, "write");
	grid_text_right(g, 59, y, ROLE_META, "in I/O");
	grid_text(g, 60, y, ROLE_LABEL, "state");
	int page = g->h - 2;
	const struct view_list *l = &st->list[VIEW_RANKS];
	int top = l->top;
	if (l->sel >= top + page)
		top = l->sel - page + 1;
	for (int i = 0; i < page && top + i < s->nranks; i++) {
		const struct snap_rank *r = &s->ranks[top + i];
		int yy = 2 + i;
		enum role role = top + i == l->sel ? ROLE_SELECT : ROLE_DEFAULT;
		if (role == ROLE_SELECT)
			grid_fill_row(g, yy, role);
		char rk[16], pid[16], a[16], d[16], e[16], t[16], stt[40];
		snprintf(rk, sizeof rk, r->rank >= 0 ? "%ld" : "?", r->rank);
		snprintf(pid, sizeof pid, r->pid ? "%d" : "-", (int)r->pid);
		view_fmt_count((double)(r->ops[0] + r->ops[1] + r->ops[2]), a, sizeof a);
		bucket_fmt_bytes((double)r->bytes[0], d, sizeof d);
		bucket_fmt_bytes((double)r->bytes[1], e, sizeof e);
		bucket_fmt_us((double)r->dur_us, t, sizeof t);
		snprintf(stt, sizeof stt, "%s%s%s", r->state < 0 ? "live"
			 : origins_state_name((enum origin_state)r->state),
			 top + i == slow && s->nranks > 1 ? " slowest" : "",
			 top + i == busy && s->nranks > 1 ? " busiest" : "");
		grid_text_untrusted(g, 0, yy, 17, role, r->host, strlen(r->host), gl);
		grid_text_right(g, 22, yy, role, rk);
		grid_text_right(g, 30, yy, role, pid);
		grid_text_right(g, 37, yy, role, a);
		grid_text_right(g, 44, yy, role, d);
		grid_text_right(g, 51, yy, role, e);
		grid_text_right(g, 59, yy, top + i == slow && role != ROLE_SELECT && s->nranks > 1
				? ROLE_ERROR : role, t);
		grid_text(g, 60, yy, role == ROLE_SELECT ? role
			  : r->state == ORIGIN_FINISHED ? ROLE_DIM : ROLE_RUNNING, stt);
	}
}

static int ranks_rows(const struct view_snapshot *s)
{
	return s->nranks;
}

const struct view_ops view_ranks_ops = {
	.name = "ranks", .key = 'R', .footer = "ranks",
	.help = "ranks (merged recordings): s sort, Up/Down",
	.flags = VF_LIST, .snap = SNAP_TOTALS | SNAP_LISTS, .draw = ranks_draw,
	.rows = ranks_rows, .sorts = ranks_sorts, .nsorts = SORT_COUNT,
};
