/* view.c - snapshot, layout, state changes, header and footer. */
#include <config.h>

#include "view.h"
#include "report.h"
#include "heat.h"
#include "cost.h"
#include "intern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct view_ops *const view_table[VIEW_COUNT] = {
#define VIEW_ENTRY(id, name) [VIEW_##id] = &view_##name##_ops,
	VIEW_LIST(VIEW_ENTRY)
#undef VIEW_ENTRY
};

/* ---- snapshot ------------------------------------------------------------ */

int view_snapshot_init(struct view_snapshot *s)
{
	memset(s, 0, sizeof *s);
	s->cols = calloc(SNAP_MAX_COLS, sizeof *s->cols);
	s->files = calloc(SNAP_MAX_ROWS, sizeof *s->files);
	s->procs = calloc(SNAP_MAX_ROWS, sizeof *s->procs);
	s->zoom = 1;
	if (!s->cols || !s->files || !s->procs) {
		view_snapshot_free(s);
		return -1;
	}
	return 0;
}

void view_snapshot_free(struct view_snapshot *s)
{
	for (int i = 0; i < VIEW_COUNT; i++)
		if (s->priv[i] && view_table[i]->free_priv)
			view_table[i]->free_priv(s->priv[i]);
	memset(s->priv, 0, sizeof s->priv);
	free(s->cols);
	free(s->files);
	free(s->procs);
	free(s->ranks);
	free(s->scratch);
	view_insights_free(s);
	s->ranks = NULL;
	s->cols = NULL;
	s->files = NULL;
	s->procs = NULL;
	s->scratch = NULL;
}

struct keyed {
	uint64_t key;
	uint32_t id;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void *scratch(struct view_snapshot *s, size_t need)
{
	if (need > s->scratch_cap) {
		void *p = realloc(s->scratch, need);
		if (!p)
			return NULL;
		s->scratch = p;
		s->scratch_cap = need;
	}
	return s->scratch;
}

static int contains(const char *h, size_t hl, const char *n)
{
	size_t nl = strlen(n);
	if (nl == 0)
		return 1;
	for (size_t i = 0; i + nl <= hl; i++)
		if (memcmp(h + i, n, nl) == 0)
			return 1;
	return 0;
}

static void take_files(struct view_snapshot *s, const struct model *m,
		       const struct view_state *st)
{
	const struct view_list *l = &st->list[VIEW_FILES];
	/* Only ids the model has seen: their names were interned before the
	 * batch that brought them, so reading them under m->lock is safe
	 * while the sampler interns new ones. */
	uint32_t n = m->files_cap;
	struct keyed *k = scratch(s, (size_t)(n ? n : 1) * sizeof *k);
	s->nfiles = 0;
	s->files_matching = 0;
	if (!k)
		return;
	uint32_t nk = 0;
	for (uint32_t id = 0; id < n; id++) {
		const struct file_stats *f = &m->files[id];
		uint64_t ops = f->ops[0] + f->ops[1] + f->ops[2];
		if (!f->seen || f->filtered == 2 || (ops == 0 && f->errors == 0))
			continue;
		size_t len = 0;
		const char *name = id == INTERN_NONE ? "[unknown]" : intern_name(m->in, id, &len);
		if (id == INTERN_NONE)
			len = strlen(name);
		if (!name || !contains(name, len, l->filter))
			continue;
		uint64_t key = l->sort == SORT_BYTES ? f->bytes[0] + f->bytes[1]
			     : l->sort == SORT_LAT ? f->dur_us : ops;
		k[nk++] = (struct keyed){key, id};
	}
	qsort(k, nk, sizeof *k, keyed_cmp);
	s->files_matching = nk;
	for (uint32_t i = 0; i < nk && i < SNAP_MAX_ROWS; i++) {
		const struct file_stats *f = &m->files[k[i].id];
		struct snap_file *o = &s->files[s->nfiles++];
		if (k[i].id == INTERN_NONE) {
			o->name = "[unknown]";
			o->len = 9;
		} else {
			o->name = intern_name(m->in, k[i].id, &o->len);
		}
		memcpy(o->ops, f->ops, sizeof o->ops);
		memcpy(o->bytes, f->bytes, sizeof o->bytes);
		o->errors = f->errors;
		o->dur_us = f->dur_us;
	}
}

static void take_procs(struct view_snapshot *s, const struct model *m,
		       const struct view_state *st)
{
	struct keyed *k = scratch(s, (size_t)(m->nprocs ? m->nprocs : 1) * sizeof *k);
	s->nprocs = 0;
	if (!k)
		return;
	int by_bytes = st->list[VIEW_PROCS].sort == 1;
	for (uint32_t i = 0; i < m->nprocs; i++) {
		const struct proc_stats *p = &m->procs[i];
		k[i] = (struct keyed){by_bytes ? p->bytes[0] + p->bytes[1]
				      : p->ops[0] + p->ops[1] + p->ops[2], i};
	}
	qsort(k, m->nprocs, sizeof *k, keyed_cmp);
	for (uint32_t i = 0; i < m->nprocs && i < SNAP_MAX_ROWS; i++) {
		const struct proc_stats *p = &m->procs[k[i].id];
		struct snap_proc *o = &s->procs[s->nprocs++];
		o->pid = p->pid;
		o->comm = p->comm ? intern_name(m->in, p->comm, &o->comm_len) : NULL;
		if (!o->comm)
			o->comm_len = 0;
		memcpy(o->ops, p->ops, sizeof o->ops);
		memcpy(o->bytes, p->bytes, sizeof o->bytes);
		o->errors = p->errors;
		o->exit_status = p->exit_status;
	}
}

static int64_t wr_used(const struct model *m)
{
	int64_t used = model_now(m) / m->wr_width_us + 1;
	for (int c = WR_COLS - 1; c >= used; c--) {
		const struct bin *b = &m->wr[c];
		if (b->nops[0] || b->nops[1] || b->nops[2] || b->errors) {
			used = c + 1;
			break;
		}
	}
	return used < 1 ? 1 : used > WR_COLS ? WR_COLS : used;
}

/* One column per zoom intervals from the ring, newest at the right. */
static void take_live(struct view_snapshot *s, const struct model *m,
		      const struct view_state *st, int ncols)
{
	int zoom = st->zoom > 0 ? st->zoom : 1;
	int64_t end = st->paused ? st->pause_end - st->scroll * zoom : s->now_idx;
	if (end < 0)
		end = 0;
	int64_t end_group = end / zoom;
	s->ncols = ncols;
	s->zoom = zoom;
	s->first_group = end_group - ncols + 1;
	if (!st->scroll) {
		/* Not scrolled back: fill the canvas left to right and move it a
		 * quarter of its width at a time, not a column every interval,
		 * so a frame redraws one column and not the whole heatmap
		 * (bytes per frame over a slow link, bench/README.md). */
		int64_t step = ncols >= 8 ? ncols / 4 : 1;
		int64_t f = s->first_group <= 0 ? 0 : (s->first_group + step - 1) / step * step;
		s->first_group = f;
	}
	s->col_s = s->interval_s * zoom;
	s->t0_s = (double)s->first_group * s->col_s;
	s->newest = (int)(end_group - s->first_group);
	for (int i = 0; i < ncols; i++) {
		struct bin *c = &s->cols[i];
		memset(c, 0, sizeof *c);
		int64_t g = s->first_group + i;
		for (int64_t j = g * zoom; g >= 0 && j < (g + 1) * zoom && j <= end; j++) {
			const struct bin *b = model_ring_bin(m, j);
			if (b)
				bin_merge(c, b);
		}
	}
}

/* The whole run (or, zoomed, a 1/2^wzoom window of it) in at most ncols
 * columns, each a whole number of the model's whole-run bins: exact
 * widths, drawn stretched to fill the screen. */
static void take_whole(struct view_snapshot *s, const struct model *m,
		       const struct view_state *st, int ncols)
{
	int64_t used = wr_used(m);
	int64_t win = used >> st->wzoom;
	if (win < 1)
		win = 1;
	int64_t end = used - st->wscroll;
	if (end > used)
		end = used;
	if (end < win)
		end = win;
	int per = (int)((win + ncols - 1) / ncols);
	int n = (int)((win + per - 1) / per);
	int64_t start = end - (int64_t)n * per;
	if (start < 0)
		start = 0;
	s->wr_used = used;
	s->wr_per = per;
	s->ncols = n;
	s->newest = n - 1;
	s->zoom = 1;
	s->first_group = 0;
	s->col_s = (double)m->wr_width_us * per / 1e6;
	s->t0_s = (double)start * m->wr_width_us / 1e6;
	for (int i = 0; i < n; i++) {
		struct bin *c = &s->cols[i];
		memset(c, 0, sizeof *c);
		for (int64_t j = start + (int64_t)i * per; j < start + (int64_t)(i + 1) * per; j++)
			if (j < used)
				bin_merge(c, &m->wr[j]);
	}
}

void view_snapshot_take(struct view_snapshot *s, const struct model *m,
			const struct view_state *st, int ncols, unsigned what)
{
	s->interval_s = (double)m->interval_us / 1e6;
	s->now_idx = model_now(m) / m->interval_us;
	s->oldest_idx = m->ring_last - RING_BINS + 1;
	if (s->oldest_idx < 0)
		s->oldest_idx = 0;
	if (what & SNAP_HEADER) {
		s->elapsed_s = model_elapsed_s(m);
		s->events = m->events;
		struct cost c;
		cost_of_model(m, &c);
		cost_line(&c, s->backend, s->cost, sizeof s->cost);
		/* The preload backend's live check: what it missed, at once,
		 * where strace's cost would show (the two never both apply). */
		struct unseen un;
		if (s->backend && strcmp(s->backend, "preload") == 0 && report_unseen(m, &un))
			snprintf(s->cost, sizeof s->cost,
				 "preload missed %llu calls the kernel counted: try --backend=strace",
				 (unsigned long long)(un.ops[0] + un.ops[1]));
		s->comm = NULL;
		s->comm_len = 0;
		/* attached: the target's name; a raw log replayed: its first
		 * program's, as its execve named it */
		int32_t who = s->pid ? s->pid : !s->command ? m->root_pid : 0;
		const struct proc_stats *p = who ? model_proc(m, who) : NULL;
		if (p && p->comm)
			s->comm = intern_name(m->in, p->comm, &s->comm_len);
		view_insights_take(s, m);
	}
	if (what & SNAP_TOTALS) {
		s->tot = m->tot;
		int64_t idx = m->source_done ? s->now_idx : s->now_idx - 1;
		const struct bin *b = model_ring_bin(m, idx);
		if (b)
			s->now = *b;
		else
			memset(&s->now, 0, sizeof s->now);
	}
	if (what & SNAP_COLS) {
		if (ncols > SNAP_MAX_COLS)
			ncols = SNAP_MAX_COLS;
		if (ncols < 1)
			ncols = 1;
		s->whole = st->whole_set ? st->whole : m->source_done;
		s->band = heat_band_of(&m->tot);
		if (s->whole)	/* room for labels up to 18 wide: then stretched to fit */
			take_whole(s, m, st, ncols > 24 ? ncols - 12 : ncols);
		else
			take_live(s, m, st, ncols);
	}
	if (what & SNAP_LISTS) {
		take_files(s, m, st);
		take_procs(s, m, st);
		view_ranks_take(s, m, st);
	}
	if ((what & SNAP_VIEW) && view_table[st->view]->take)
		view_table[st->view]->take(&s->priv[st->view], m, st);
}

/* ---- helpers -------------------------------------------------------------- */

void view_fmt_count(double v, char *buf, size_t len)
{
	bucket_fmt_scaled(v, 1000.0, " KMGTPE", buf, len);
}

void view_heat_spec(const struct view_snapshot *s, const struct view_state *st, int latency,
		    struct heat_spec *sp)
{
	memset(sp, 0, sizeof *sp);
	sp->cols = s->cols;
	sp->ncols = s->ncols;
	sp->col_s = s->col_s > 0 ? s->col_s : s->interval_s * s->zoom;
	sp->t0_s = s->col_s > 0 ? s->t0_s : (double)s->first_group * sp->col_s;
	sp->latency = latency;
	sp->by_bytes = !latency && st->by == BY_BYTES;
	sp->dir = st->dir == DIR_READ ? HEAT_READS : st->dir == DIR_WRITE ? HEAT_WRITES : HEAT_ALL;
	sp->stretch = s->whole;
	sp->newest = s->newest;
	/* the band counts calls: beside ops only, and only with all calls */
	if (!latency && !sp->by_bytes && sp->dir == HEAT_ALL)
		sp->band = s->band;
}

uint64_t view_cell_value(const struct bin *b, unsigned k, const struct view_state *st,
			 int latency)
{
	struct heat_spec sp;
	memset(&sp, 0, sizeof sp);
	sp.latency = latency;
	sp.by_bytes = st->by == BY_BYTES;
	sp.dir = st->dir == DIR_READ ? HEAT_READS : st->dir == DIR_WRITE ? HEAT_WRITES : HEAT_ALL;
	return heat_bin_value(&sp, b, k);
}

/* ---- keys and state --------------------------------------------------------- */

/* The keys every view shares.  A view's own key (its descriptor) must be
 * none of these (test_view checks). */
static const struct view_keydef global_keys[] = {
	{'q', ACT_QUIT, "q F10", "q:quit", "quit (see below)"},
	{'Q', ACT_QUIT, NULL, NULL, NULL},
	{'?', ACT_HELP, "? F1", "?:help", "this help (again: back)"},
	{' ', ACT_PAUSE, "space", "spc:pause", "pause the view (capture goes on)"},
	{0, ACT_LEFT, "<- ->", NULL, "scroll back/forward in time (pauses)"},
	{'+', ACT_ZOOM_IN, "+ -", "+/-:zoom", "zoom time: fewer/more intervals a column"},
	{'=', ACT_ZOOM_IN, NULL, NULL, NULL},
	{'-', ACT_ZOOM_OUT, NULL, NULL, NULL},
	{'z', ACT_WHOLE, "z", "z:whole", "whole run fitted to the width / live intervals"},
	{'c', ACT_BY_OPS, "c b", "c/b:colour", "colour heatmap by ops / by bytes"},
	{'b', ACT_BY_BYTES, NULL, NULL, NULL},
	{'r', ACT_READS, "r w a", "r/w/a", "reads / writes / all"},
	{'w', ACT_WRITES, NULL, NULL, NULL},
	{'a', ACT_ALL, NULL, NULL, NULL},
	{'k', ACT_UP, "Up Dn", NULL, "lists: select (also k j, PgUp PgDn Home End)"},
	{'j', ACT_DOWN, NULL, NULL, NULL},
	{'s', ACT_SORT, "s /", NULL, "lists: sort / filter by name"},
	{'/', ACT_FILTER, NULL, NULL, NULL},
	{0, ACT_BACK, "Esc", NULL, "back to the heatmap, unpause"},
	{12, ACT_REDRAW, "^L", NULL, "redraw"},
};
#define NGLOBAL (int)(sizeof global_keys / sizeof global_keys[0])

const struct view_keydef *view_global_keys(int *n)
{
	*n = NGLOBAL;
	return global_keys;
}

enum action view_key_action(int c)
{
	for (int i = 0; i < NGLOBAL; i++)
		if (global_keys[i].key && global_keys[i].key == c)
			return global_keys[i].action;
	return ACT_NONE;
}

void view_state_init(struct view_state *st)
{
	memset(st, 0, sizeof *st);
	st->zoom = 1;
}

void view_show(struct view_state *st, enum view_id v)
{
	if (v == VIEW_HELP && st->view != VIEW_HELP)
		st->prev = st->view;
	st->view = st->view == v ? (v == VIEW_HELP ? st->prev : VIEW_HEATMAP) : v;
	st->list[st->view].editing = 0;
}

unsigned view_list_key(struct view_list *l, int c, enum action a, int n, int nsorts, int page)
{
	if (l->editing) {
		size_t len = strlen(l->filter);
		if (a == ACT_ERASE) {
			if (len)
				l->filter[len - 1] = 0;
		} else if (a == ACT_ENTER) {
			l->editing = 0;
		} else if (a == ACT_BACK) {
			l->filter[0] = 0;
			l->editing = 0;
		} else if (c >= 0x20 && c < 0x7f && len + 1 < sizeof l->filter) {
			l->filter[len] = (char)c;
			l->filter[len + 1] = 0;
		} else {
			return 0;	/* editing swallows every other key */
		}
		l->sel = l->top = 0;
		return CH_SNAPSHOT | CH_REDRAW;
	}
	if (page < 1)
		page = 1;
	switch (a) {
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PGUP:
	case ACT_PGDN:
	case ACT_HOME:
	case ACT_END:
		if (!n)
			return 0;
		l->sel += a == ACT_UP ? -1 : a == ACT_DOWN ? 1 : a == ACT_PGUP ? -page
			: a == ACT_PGDN ? page : a == ACT_HOME ? -n : n;
		if (l->sel >= n)
			l->sel = n - 1;
		if (l->sel < 0)
			l->sel = 0;
		if (l->sel < l->top)
			l->top = l->sel;
		if (l->sel >= l->top + page)
			l->top = l->sel - page + 1;
		return CH_REDRAW;
	case ACT_SORT:
		if (nsorts < 2)
			return 0;
		l->sort = (l->sort + 1) % nsorts;
		l->sel = l->top = 0;
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_FILTER:
		l->editing = 1;
		return CH_REDRAW;
	case ACT_BACK:
		if (!l->filter[0])
			return CH_PASS;
		l->filter[0] = 0;	/* Esc first clears a filter, then leaves */
		l->sel = l->top = 0;
		return CH_SNAPSHOT | CH_REDRAW;
	default:
		return CH_PASS;
	}
}

unsigned view_key(struct view_state *st, int c, enum action a, const struct view_snapshot *s,
		  int page)
{
	const struct view_ops *v = view_table[st->view];
	struct view_list *l = &st->list[st->view];
	if (c && a == ACT_NONE && !l->editing)
		a = view_key_action(c);
	if (v->on_key) {
		unsigned r = v->on_key(st, c, a, s, page);
		if (r != CH_PASS)
			return r;
	}
	if ((v->flags & VF_LIST) || l->editing) {
		unsigned r = view_list_key(l, c, a, v->rows ? v->rows(s) : 0, v->nsorts, page);
		if (r != CH_PASS)
			return r;
	}
	if (c && a == ACT_NONE)
		for (int i = 0; i < VIEW_COUNT; i++)
			if (view_table[i]->key == c) {
				view_show(st, (enum view_id)i);
				return CH_SNAPSHOT | CH_REDRAW;
			}
	return view_apply(st, a, s, page);
}

unsigned view_apply(struct view_state *st, enum action a, const struct view_snapshot *s,
		    int page)
{
	(void)page;
	int heat = (view_table[st->view]->flags & VF_TIME) != 0;
	switch (a) {
	case ACT_QUIT:
		return CH_QUIT;
	case ACT_PAUSE:
		st->paused = !st->paused;
		st->pause_end = s->now_idx;
		st->scroll = 0;
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_BY_OPS:
	case ACT_BY_BYTES:
		st->by = a == ACT_BY_OPS ? BY_OPS : BY_BYTES;
		return CH_REDRAW;
	case ACT_READS:
		st->dir = DIR_READ;
		return CH_REDRAW;
	case ACT_WRITES:
		st->dir = DIR_WRITE;
		return CH_REDRAW;
	case ACT_ALL:
		st->dir = DIR_ALL;
		return CH_REDRAW;
	case ACT_HELP:
		view_show(st, VIEW_HELP);
		return CH_REDRAW;
	case ACT_WHOLE:
		st->whole = !s->whole;
		st->whole_set = 1;
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_ZOOM_IN:
	case ACT_ZOOM_OUT:
		if (s->whole) {
			int z = st->wzoom + (a == ACT_ZOOM_IN ? 1 : -1);
			if (z < 0 || (a == ACT_ZOOM_IN && (s->wr_used >> z) < 8))
				return 0;
			st->wzoom = z;
			if (!z)
				st->wscroll = 0;
			return CH_SNAPSHOT | CH_REDRAW;
		} else {
		int z = a == ACT_ZOOM_IN ? st->zoom / 2 : st->zoom * 2;
		if (z < 1 || z > ZOOM_MAX)
			return 0;
		/* keep the newest shown interval where it was */
		st->scroll = st->scroll * st->zoom / z;
		st->zoom = z;
		return CH_SNAPSHOT | CH_REDRAW;
		}
	case ACT_LEFT:
		if (!heat)
			return 0;
		if (s->whole) {	/* a zoomed window moves by a quarter of itself */
			int64_t win = s->wr_used >> st->wzoom, d = win / 4 > 0 ? win / 4 : 1;
			if (!st->wzoom || st->wscroll + win >= s->wr_used)
				return 0;
			st->wscroll += d;
			if (st->wscroll > s->wr_used - win)
				st->wscroll = s->wr_used - win;
			return CH_SNAPSHOT | CH_REDRAW;
		}
		if (!st->paused) {
			st->paused = 1;
			st->pause_end = s->now_idx;
			st->scroll = 0;
		}
		if (st->pause_end - (st->scroll + 1) * st->zoom >= s->oldest_idx)
			st->scroll++;
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_RIGHT:
		if (heat && s->whole) {
			int64_t win = s->wr_used >> st->wzoom, d = win / 4 > 0 ? win / 4 : 1;
			if (!st->wscroll)
				return 0;
			st->wscroll = st->wscroll > d ? st->wscroll - d : 0;
			return CH_SNAPSHOT | CH_REDRAW;
		}
		if (!heat || st->scroll == 0)
			return 0;
		st->scroll--;
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_BACK:
		if (st->view == VIEW_HEATMAP && st->paused) {
			st->paused = 0;
			st->scroll = 0;
		}
		st->view = VIEW_HEATMAP;
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_REDRAW:
		return CH_SNAPSHOT | CH_REDRAW;
	default:
		return 0;
	}
}

/* ---- layout --------------------------------------------------------------- */

struct layout view_layout(int w, int h)
{
	struct layout l = {0};
	l.ok = w >= VIEW_MIN_W && h >= VIEW_MIN_H;
	l.header_h = h >= 16 ? 2 : 1;
	l.totals_y = l.header_h;
	l.totals_h = h >= 18 ? 4 : 0;
	l.main_y = l.totals_y + l.totals_h;
	l.footer_y = h - 1;
	l.main_h = l.footer_y - l.main_y;
	return l;
}

#define HEAT_LABEL_W 6

int view_heat_cols(int w)
{
	int n = w - HEAT_LABEL_W;
	return n < 1 ? 1 : n > SNAP_MAX_COLS ? SNAP_MAX_COLS : n;
}

static const char *sig_name(int sig)
{
	static const char *const names[] = {
		[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP",
		[6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1",
		[11] = "SIGSEGV", [12] = "SIGUSR2", [13] = "SIGPIPE", [14] = "SIGALRM",
		[15] = "SIGTERM", [24] = "SIGXCPU", [25] = "SIGXFSZ",
	};
	static char buf[16];
	if (sig > 0 && sig < (int)(sizeof names / sizeof names[0]) && names[sig])
		return names[sig];
	snprintf(buf, sizeof buf, "signal %d", sig);
	return buf;
}

static void fmt_elapsed(double s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%.1fs", s);
	else if (s < 3600)
		snprintf(buf, len, "%d:%02d", (int)s / 60, (int)s % 60);
	else
		snprintf(buf, len, "%d:%02d:%02d", (int)s / 3600, (int)s / 60 % 60, (int)s % 60);
}

void view_header_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl)
{
	char el[32], state[48], iv[32], right[160];
	grid_fill_row(g, 0, ROLE_TITLE);
	fmt_elapsed(s->elapsed_s, el, sizeof el);
	enum role sr = ROLE_RUNNING;
	switch (s->state) {
	case RS_RUNNING:
		snprintf(state, sizeof state, "running");
		break;
	case RS_EXITED:
		snprintf(state, sizeof state, "exited %d", s->exit_code);
		sr = ROLE_DONE;
		break;
	case RS_KILLED:
		snprintf(state, sizeof state, "killed by %s", sig_name(s->exit_code));
		sr = ROLE_DONE;
		break;
	case RS_DETACHED:
		snprintf(state, sizeof state, "detached");
		sr = ROLE_DONE;
		break;
	case RS_FINISHED:
		snprintf(state, sizeof state, "finished");
		sr = ROLE_DONE;
		break;
	}
	if (st->paused) {
		size_t l = strlen(state);
		snprintf(state + l, sizeof state - l, ", paused");
		sr = ROLE_PAUSED;
	}
	if (s->interval_s >= 1)
		snprintf(iv, sizeof iv, "%gs", s->interval_s);
	else
		snprintf(iv, sizeof iv, "%gms", s->interval_s * 1000);
	snprintf(right, sizeof right, " %s  %s  every %s ", s->backend ? s->backend : "?",
		 el, iv);
	int rw = (int)strlen(right) + (int)strlen(state) + 2;
	if (g->w - rw < 20) {	/* narrow: the command matters more */
		snprintf(right, sizeof right, " %s ", el);
		rw = (int)strlen(right) + (int)strlen(state) + 2;
	}
	int x = grid_text(g, 0, 0, ROLE_TITLE, " ");
	int room = g->w - rw - 1;
	if (s->command) {
		for (char *const *a = s->command; *a && x < room; a++) {
			if (a != s->command)
				x = grid_text(g, x, 0, ROLE_TITLE, " ");
			x = grid_text_untrusted(g, x, 0, room - x, ROLE_TITLE, *a, strlen(*a), gl);
		}
	} else if (s->pid) {
		x = grid_textf(g, x, 0, ROLE_TITLE, "pid %d ", s->pid);
		if (s->comm)
			x = grid_text_untrusted(g, x, 0, room - x, ROLE_TITLE, s->comm,
						s->comm_len, gl);
	} else if (s->comm) {
		x = grid_text_untrusted(g, x, 0, room - x, ROLE_TITLE, s->comm, s->comm_len, gl);
	}
	int xr = g->w - (int)strlen(right);
	if (xr < x + 1)
		xr = x + 1;
	grid_text(g, xr, 0, ROLE_TITLE, right);
	grid_put(g, xr - (int)strlen(state) - 2, 0, '[', ROLE_TITLE);
	grid_text(g, xr - (int)strlen(state) - 1, 0, sr, state);
	grid_put(g, xr - 1, 0, ']', ROLE_TITLE);
	if (g->h > 1) {
		grid_fill_row(g, 1, ROLE_DEFAULT);
		int y = 1, x1 = 1, lw = g->w;
		int cw = (int)strlen(s->cost);
		if (cw && cw + 2 < g->w) {	/* the capture's cost: right, in sight */
			grid_text_right(g, g->w - 1, y, ROLE_ERROR, s->cost);
			lw = g->w - cw - 2;
		}
		struct grid left = grid_sub(g, 0, 0, lw, g->h);
		if (s->output) {
			x1 = grid_text(&left, x1, y, ROLE_DIM, "output: ");
			x1 = grid_text_untrusted(&left, x1, y, left.w - x1 - 1, ROLE_DEFAULT,
						 s->output, strlen(s->output), gl);
		} else {
			char ev[32];
			view_fmt_count((double)s->events, ev, sizeof ev);
			x1 = grid_textf(&left, x1, y, ROLE_DIM, "%s events", ev);
		}
		view_insights_header(&left, s, x1 + 2, y, gl);
	}
}

/* "key:label", the key part drawn as a key; -1 when it does not fit. */
static int footer_item(struct grid *g, int x, const char *item)
{
	int need = (int)strlen(item) + 1;
	if (x + need > g->w)
		return -1;
	const char *colon = strchr(item, ':');
	size_t kl = colon ? (size_t)(colon - item) : strlen(item);
	for (size_t i = 0; i < kl; i++)
		grid_put(g, x++, 0, (unsigned char)item[i], ROLE_KEY);
	x = grid_text(g, x, 0, ROLE_FOOTER, item + kl);
	return grid_text(g, x, 0, ROLE_FOOTER, " ");
}

void view_footer_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl)
{
	(void)s;
	(void)gl;
	grid_fill_row(g, 0, ROLE_FOOTER);
	const struct view_list *l = &st->list[st->view];
	if (l->editing) {
		int x = grid_text(g, 0, 0, ROLE_KEY, "filter: ");
		x = grid_text(g, x, 0, ROLE_FOOTER, l->filter);
		grid_put(g, x, 0, '_', ROLE_KEY);
		grid_text_right(g, g->w, 0, ROLE_FOOTER, "Enter accept  Esc clear ");
		return;
	}
	/* The first three global keys, the views, then the other globals. */
	int x = 0, gi = 0, shown = 0;
	for (; gi < NGLOBAL && shown < 3 && x >= 0; gi++)
		if (global_keys[gi].footer) {
			x = footer_item(g, x, global_keys[gi].footer);
			shown++;
		}
	for (int i = 0; i < VIEW_COUNT && x >= 0; i++)
		if (view_table[i]->footer && view_table[i]->key) {
			char item[32];
			snprintf(item, sizeof item, "%c:%s", view_table[i]->key,
				 view_table[i]->footer);
			x = footer_item(g, x, item);
		}
	for (; gi < NGLOBAL && x >= 0; gi++)
		if (global_keys[gi].footer)
			x = footer_item(g, x, global_keys[gi].footer);
}

void view_screen_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl)
{
	struct layout l = view_layout(g->w, g->h);
	grid_clear(g, ROLE_DEFAULT);
	if (!l.ok) {
		char msg[64];
		snprintf(msg, sizeof msg, "terminal too small (%dx%d, need %dx%d)", g->w, g->h,
			 VIEW_MIN_W, VIEW_MIN_H);
		grid_text(g, 0, 0, ROLE_ERROR, g->w >= (int)strlen(msg) ? msg : "too small");
		return;
	}
	struct grid sub = grid_sub(g, 0, 0, g->w, l.header_h);
	view_header_draw(&sub, s, st, gl);
	if (l.totals_h) {
		sub = grid_sub(g, 0, l.totals_y, g->w, l.totals_h);
		view_totals_draw(&sub, s, st, gl);
	}
	sub = grid_sub(g, 0, l.main_y, g->w, l.main_h);
	view_table[st->view]->draw(&sub, s, st, gl);
	sub = grid_sub(g, 0, l.footer_y, g->w, 1);
	view_footer_draw(&sub, s, st, gl);
}
