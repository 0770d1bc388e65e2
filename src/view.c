/* view.c - snapshot, layout, state changes, header and footer. */
#include <config.h>

#include "view.h"
#include "intern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct view_ops *const view_table[VIEW_COUNT] = {
	[VIEW_HEATMAP] = &view_heatmap_ops,
	[VIEW_LATENCY] = &view_latency_ops,
	[VIEW_HISTOGRAM] = &view_histogram_ops,
	[VIEW_FILES] = &view_files_ops,
	[VIEW_PROCS] = &view_procs_ops,
	[VIEW_RANKS] = &view_ranks_ops,
	[VIEW_HELP] = &view_help_ops,
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
	free(s->cols);
	free(s->files);
	free(s->procs);
	free(s->ranks);
	free(s->scratch);
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
		if (!name || !contains(name, len, st->filter))
			continue;
		uint64_t key = st->sort == SORT_BYTES ? f->bytes[0] + f->bytes[1]
			     : st->sort == SORT_LAT ? f->dur_us : ops;
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

static void take_procs(struct view_snapshot *s, const struct model *m)
{
	struct keyed *k = scratch(s, (size_t)(m->nprocs ? m->nprocs : 1) * sizeof *k);
	s->nprocs = 0;
	if (!k)
		return;
	for (uint32_t i = 0; i < m->nprocs; i++) {
		const struct proc_stats *p = &m->procs[i];
		k[i] = (struct keyed){p->ops[0] + p->ops[1] + p->ops[2], i};
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
		s->comm = NULL;
		s->comm_len = 0;
		const struct proc_stats *p = s->pid ? model_proc(m, s->pid) : NULL;
		if (p && p->comm)
			s->comm = intern_name(m->in, p->comm, &s->comm_len);
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
		if (ncols < 0)
			ncols = 0;
		int zoom = st->zoom > 0 ? st->zoom : 1;
		int64_t end = st->paused ? st->pause_end - st->scroll * zoom : s->now_idx;
		if (end < 0)
			end = 0;
		int64_t end_group = end / zoom;
		s->ncols = ncols;
		s->zoom = zoom;
		s->first_group = end_group - ncols + 1;
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
	if (what & SNAP_LISTS) {
		take_files(s, m, st);
		take_procs(s, m);
		view_ranks_take(s, m, st);
	}
}

/* ---- helpers -------------------------------------------------------------- */

void view_fmt_count(double v, char *buf, size_t len)
{
	bucket_fmt_scaled(v, 1000.0, " KMGTPE", buf, len);
}

uint64_t view_cell_value(const struct bin *b, unsigned k, const struct view_state *st,
			 int latency)
{
	uint64_t v = 0;
	if (latency) {
		if (k >= NLAT)
			return 0;
		if (st->dir != DIR_WRITE)
			v += b->lat[OPC_READ][k];
		if (st->dir != DIR_READ)
			v += b->lat[OPC_WRITE][k];
		if (st->dir == DIR_ALL)
			v += b->lat[OPC_META][k];
		return v;
	}
	if (k >= NBUCKETS)
		return 0;
	for (int d = 0; d < 2; d++) {
		if ((d == 0 && st->dir == DIR_WRITE) || (d == 1 && st->dir == DIR_READ))
			continue;
		v += st->by == BY_BYTES ? b->bytes[d][k] : b->ops[d][k];
	}
	return v;
}

/* ---- state ---------------------------------------------------------------- */

void view_state_init(struct view_state *st)
{
	memset(st, 0, sizeof *st);
	st->zoom = 1;
}

static void show(struct view_state *st, enum view_id v)
{
	if (v == VIEW_HELP && st->view != VIEW_HELP)
		st->prev = st->view;
	st->view = st->view == v ? (v == VIEW_HELP ? st->prev : VIEW_HEATMAP) : v;
	st->sel = st->top = 0;
	st->editing = 0;
}

static int list_len(const struct view_state *st, const struct view_snapshot *s)
{
	return st->view == VIEW_FILES ? s->nfiles : st->view == VIEW_PROCS ? s->nprocs
		: st->view == VIEW_RANKS ? s->nranks : 0;
}

unsigned view_apply(struct view_state *st, enum action a, const struct view_snapshot *s,
		    int page)
{
	int heat = st->view == VIEW_HEATMAP || st->view == VIEW_LATENCY;
	int n = list_len(st, s);
	if (page < 1)
		page = 1;
	switch (a) {
	case ACT_NONE:
		return 0;
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
	case ACT_LATENCY:
		show(st, VIEW_LATENCY);
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_HISTOGRAM:
		show(st, VIEW_HISTOGRAM);
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_FILES:
		show(st, VIEW_FILES);
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_PROCS:
		show(st, VIEW_PROCS);
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_RANKS:
		show(st, VIEW_RANKS);
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_HELP:
		show(st, VIEW_HELP);
		return CH_REDRAW;
	case ACT_ZOOM_IN:
	case ACT_ZOOM_OUT: {
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
		if (!st->paused) {
			st->paused = 1;
			st->pause_end = s->now_idx;
			st->scroll = 0;
		}
		if (st->pause_end - (st->scroll + 1) * st->zoom >= s->oldest_idx)
			st->scroll++;
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_RIGHT:
		if (!heat || st->scroll == 0)
			return 0;
		st->scroll--;
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PGUP:
	case ACT_PGDN:
	case ACT_HOME:
	case ACT_END:
		if (!n)
			return 0;
		st->sel += a == ACT_UP ? -1 : a == ACT_DOWN ? 1 : a == ACT_PGUP ? -page
			 : a == ACT_PGDN ? page : a == ACT_HOME ? -n : n;
		if (st->sel >= n)
			st->sel = n - 1;
		if (st->sel < 0)
			st->sel = 0;
		if (st->sel < st->top)
			st->top = st->sel;
		if (st->sel >= st->top + page)
			st->top = st->sel - page + 1;
		return CH_REDRAW;
	case ACT_SORT:
		if (st->view != VIEW_FILES && st->view != VIEW_RANKS)
			return 0;
		st->sort = (st->sort + 1) % SORT_COUNT;
		st->sel = st->top = 0;
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_FILTER:
		if (st->view != VIEW_FILES)
			return 0;
		st->editing = 1;
		return CH_REDRAW;
	case ACT_BACK:
		if (st->view == VIEW_HEATMAP && st->paused) {
			st->paused = 0;
			st->scroll = 0;
		}
		st->view = VIEW_HEATMAP;
		st->sel = st->top = 0;
		return CH_SNAPSHOT | CH_REDRAW;
	case ACT_REDRAW:
		return CH_SNAPSHOT | CH_REDRAW;
	}
	return 0;
}

unsigned view_filter_key(struct view_state *st, int c)
{
	size_t len = strlen(st->filter);
	if (c == -1) {
		if (len)
			st->filter[len - 1] = 0;
	} else if (c == -2) {
		st->editing = 0;
	} else if (c == -3) {
		st->filter[0] = 0;
		st->editing = 0;
	} else if (c >= 0x20 && c < 0x7f && len + 1 < sizeof st->filter) {
		st->filter[len] = (char)c;
		st->filter[len + 1] = 0;
	} else {
		return 0;
	}
	st->sel = st->top = 0;
	return CH_SNAPSHOT | CH_REDRAW;
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
		int y = 1, x1 = 1;
		if (s->output) {
			x1 = grid_text(g, x1, y, ROLE_DIM, "output: ");
			grid_text_untrusted(g, x1, y, g->w - x1 - 1, ROLE_DEFAULT, s->output,
					    strlen(s->output), gl);
		} else {
			char ev[32];
			view_fmt_count((double)s->events, ev, sizeof ev);
			grid_textf(g, x1, y, ROLE_DIM, "%s events", ev);
		}
	}
}

void view_footer_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl)
{
	(void)s;
	(void)gl;
	static const char *const keys[][2] = {
		{"q", "quit"}, {"?", "help"}, {"spc", "pause"}, {"c/b", "colour"},
		{"r/w/a", ""}, {"l", "lat"}, {"h", "hist"}, {"f", "files"},
		{"p", "procs"}, {"+/-", "zoom"},
	};
	grid_fill_row(g, 0, ROLE_FOOTER);
	if (st->editing) {
		int x = grid_text(g, 0, 0, ROLE_KEY, "filter: ");
		x = grid_text(g, x, 0, ROLE_FOOTER, st->filter);
		grid_put(g, x, 0, '_', ROLE_KEY);
		grid_text_right(g, g->w, 0, ROLE_FOOTER, "Enter accept  Esc clear ");
		return;
	}
	int x = 0;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		int need = (int)(strlen(keys[i][0]) + strlen(keys[i][1])) + 1 + !!keys[i][1][0];
		if (x + need > g->w)
			break;
		x = grid_text(g, x, 0, ROLE_KEY, keys[i][0]);
		if (keys[i][1][0])
			x = grid_text(g, x, 0, ROLE_FOOTER, ":");
		x = grid_text(g, x, 0, ROLE_FOOTER, keys[i][1]);
		x = grid_text(g, x, 0, ROLE_FOOTER, " ");
	}
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
