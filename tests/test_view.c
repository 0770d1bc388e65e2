/* test_view.c - render each view into the off-screen grid from a synthetic
 * model and read it back as text. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grid.h"
#include "heat.h"
#include "cost.h"
#include "intern.h"
#include "model.h"
#include "proclist.h"
#include "syscalls.h"
#include "view.h"

#define W 80
#define H 17	/* the main area at 80x24 */

struct fix {
	struct intern *in;
	struct model m;
	struct view_snapshot s;
	struct view_state st;
	struct grid g;
	uint32_t file, hostile;
};

static struct io_event ev(int64_t t_us, int cls, int call, int64_t bytes, uint32_t file)
{
	struct io_event e;
	memset(&e, 0, sizeof e);
	e.t_us = t_us;
	e.cls = (uint8_t)cls;
	e.call = (uint16_t)call;
	e.bytes = bytes;
	e.file = file;
	e.pid = e.tid = 42;
	e.dur_us = 10;
	return e;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof *f);
	f->in = intern_new();
	model_init(&f->m, f->in, 1000000);
	model_set_start(&f->m, 0);
	const char *bad = "/tmp/\033[2Jevil\x9b.dat";
	f->file = intern_get(f->in, "/data/x.dat", 11, 0);
	f->hostile = intern_get(f->in, bad, strlen(bad), 0);
	uint32_t comm = intern_get(f->in, "demo", 4, 0);
	struct io_event e[32];
	size_t n = 0;
	e[n++] = ev(0, OPC_PROC, SC_execve, 0, comm);
	/* interval 0: ten 1 KiB writes; interval 2: three 1 MiB reads */
	for (int i = 0; i < 10; i++)
		e[n++] = ev(500000 + i, OPC_WRITE, SC_write, 1024, f->file);
	for (int i = 0; i < 3; i++)
		e[n++] = ev(2500000 + i, OPC_READ, SC_read, 1 << 20, f->hostile);
	e[n++] = ev(2600000, OPC_META, SC_openat, 0, f->file);
	model_add(&f->m, e, n);
	view_snapshot_init(&f->s);
	view_state_init(&f->st);
	grid_init(&f->g, W, H);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	grid_free(&f->g);
	view_snapshot_free(&f->s);
	model_destroy(&f->m);
	intern_free(f->in);
	free(f);
	return 0;
}

static void take(struct fix *f)
{
	view_snapshot_take(&f->s, &f->m, &f->st, view_heat_cols(W), SNAP_ALL);
}

static char rowbuf[4096];
static const char *row(struct fix *f, int y)
{
	return grid_row_text(&f->g, y, rowbuf, sizeof rowbuf);
}

/* The row whose axis label is lab, -1 if none. */
static int label_row(struct fix *f, const char *lab)
{
	char want[16];
	snprintf(want, sizeof want, "%5s|", lab);
	for (int y = 0; y < f->g.h; y++)
		if (strncmp(row(f, y), want, 6) == 0)
			return y;
	return -1;
}

static void dump(const struct grid *g)
{
	char buf[1024];
	if (getenv("VIEW_DUMP"))
		for (int y = 0; y < g->h; y++)
			fprintf(stderr, "%2d %s|\n", y, grid_row_text(g, y, buf, sizeof buf));
}

static void draw(struct fix *f, const struct view_ops *v)
{
	grid_clear(&f->g, ROLE_DEFAULT);
	v->draw(&f->g, &f->s, &f->st, &glyphs_ascii);
	dump(&f->g);
}

static void test_heat_cells(void **state)
{
	struct fix *f = *state;
	take(f);
	draw(f, &view_heatmap_ops);
	/* the canvas fills from the left: interval 0 in the first column */
	int x0 = 6, x2 = 8;
	assert_int_equal(f->s.first_group, 0);
	int y1k = label_row(f, "1K"), y1m = label_row(f, "1M");
	assert_true(y1k > 0);
	assert_true(y1m > 0 && y1m < y1k);	/* bigger sizes higher */
	/* the ten writes: the largest cell, the top shade */
	assert_int_equal(grid_at(&f->g, x0, y1k)->ch, glyphs_ascii.heat[HEAT_LEVELS]);
	assert_int_equal(grid_at(&f->g, x0, y1k)->role, ROLE_HEAT_0 + HEAT_LEVELS);
	assert_int_equal(grid_at(&f->g, x2, y1k)->ch, ' ');
	assert_int_not_equal(grid_at(&f->g, x2, y1m)->ch, ' ');
	assert_int_equal(grid_at(&f->g, x0, y1m)->ch, ' ');
	assert_int_equal(grid_at(&f->g, x0 + 1, y1k)->ch, ' ');
	/* the openat: in the metadata band, on the same scale */
	int yo = label_row(f, "open");
	assert_true(yo > y1k);
	assert_int_equal(grid_at(&f->g, x2, yo)->ch, glyphs_ascii.heat[1]);
	assert_int_equal(grid_at(&f->g, x2, yo)->role, ROLE_HEAT_1);
	/* nothing else is lit */
	int lit = 0;
	for (int y = 1; y < H - 1; y++)
		for (int x = 6; x < W; x++)
			lit += grid_at(&f->g, x, y)->ch != ' ';
	assert_int_equal(lit, 3);
	/* writes only: the reads vanish */
	f->st.dir = DIR_WRITE;
	draw(f, &view_heatmap_ops);
	assert_int_equal(grid_at(&f->g, x2, label_row(f, "1M"))->ch, ' ');
	assert_non_null(strstr(row(f, 0), "writes ops by size"));
}

static void test_legend(void **state)
{
	struct fix *f = *state;
	take(f);
	draw(f, &view_heatmap_ops);
	/* log scale from 1 to the largest cell (10) in six shades */
	assert_non_null(strstr(row(f, 0), ".1 :2 +3 *4 #5 @7"));
	assert_non_null(strstr(row(f, 0), "reads+writes ops by size, col 1s"));
	assert_null(strstr(row(f, 0), "sizes/row"));
	/* by bytes: the 3 MiB cell is the top */
	f->st.by = BY_BYTES;
	draw(f, &view_heatmap_ops);
	assert_non_null(strstr(row(f, 0), "bytes by size"));
	assert_non_null(strstr(row(f, 0), "@254K"));
	/* the time axis: 0s under interval 0 */
	const char *axis = row(f, H - 1);
	assert_int_equal(axis[6], '|');
	assert_memory_equal(axis + 7, "0s", 2);
	/* Later, the canvas moves a quarter of its width at a time, never a
	 * column an interval: the same first column for a quarter's worth. */
	int ncols = view_heat_cols(W), step = ncols / 4;
	int64_t firsts[3];
	for (int i = 0; i < 3; i++) {
		struct io_event e = ev((int64_t)(ncols + 3 + i) * 1000000, OPC_WRITE, SC_write, 1,
				       f->file);
		model_add(&f->m, &e, 1);
		take(f);
		firsts[i] = f->s.first_group;
		assert_int_equal(firsts[i] % step, 0);
		assert_true(f->s.now_idx >= firsts[i] && f->s.now_idx < firsts[i] + ncols);
	}
	assert_true(firsts[0] == firsts[2]);
}

static void test_merged_rows_keep_totals(void **state)
{
	struct fix *f = *state;
	struct io_event e[64];
	size_t n = 0;
	uint64_t total = 0;
	for (int k = 0; k < 24; k++, n++) {	/* one op in each size 1..8M */
		e[n] = ev(3100000 + k, OPC_WRITE, SC_write, (int64_t)1 << k, f->file);
		total++;
	}
	pthread_mutex_lock(&f->m.lock);
	model_add(&f->m, e, n);
	pthread_mutex_unlock(&f->m.lock);
	total += 13;	/* the fixture's ops */
	take(f);
	struct grid small;
	grid_init(&small, W, 8);	/* six rows for 24 sizes */
	view_heatmap_ops.draw(&small, &f->s, &f->st, &glyphs_ascii);
	dump(&small);
	char buf[256];
	assert_null(strstr(grid_row_text(&small, 0, buf, sizeof buf), "sizes/row"));
	/* labels name the buckets each merged row holds, bottom up; the
	 * band takes the last row */
	assert_memory_equal(grid_row_text(&small, 6, buf, sizeof buf), "    open|", 9);
	assert_memory_equal(grid_row_text(&small, 5, buf, sizeof buf), "    1-16|", 9);
	assert_memory_equal(grid_row_text(&small, 4, buf, sizeof buf), "  32-512|", 9);
	assert_memory_equal(grid_row_text(&small, 1, buf, sizeof buf), "  1M-16M|", 9);
	grid_free(&small);

	uint64_t hist[NBUCKETS];
	for (unsigned k = 0; k < NBUCKETS; k++)
		hist[k] = f->s.tot.hist_ops[0][k] + f->s.tot.hist_ops[1][k];
	struct heat_rows r;
	heat_range(hist, NBUCKETS, 6, 10, 21, &r);
	assert_int_equal(r.merge, 4);
	char lab[32];
	heat_row_label(&r, 0, 0, lab, sizeof lab);
	assert_string_equal(lab, "1-8");
	uint64_t sum = 0;
	for (int c = 0; c < f->s.ncols; c++)
		for (int i = 0; i < r.nrows; i++)
			for (int j = 0; j < r.merge; j++)
				if (r.lo + i * r.merge + j >= 0)
					sum += view_cell_value(&f->s.cols[c],
							       (unsigned)(r.lo + i * r.merge + j),
							       &f->st, 0);
	assert_int_equal(sum, total);

	/* merged columns keep them too */
	for (int z = 1; z <= 8; z *= 2) {
		f->st.zoom = z;
		take(f);
		uint64_t ops = 0;
		for (int c = 0; c < f->s.ncols; c++)
			ops += f->s.cols[c].nops[0] + f->s.cols[c].nops[1];
		assert_int_equal(ops, total);
	}
}

static void test_totals(void **state)
{
	struct fix *f = *state;
	take(f);
	struct grid g;
	grid_init(&g, W, 4);
	view_totals_draw(&g, &f->s, &f->st, &glyphs_ascii);
	dump(&g);
	char buf[256];
	const char *w = grid_row_text(&g, 2, buf, sizeof buf);
	assert_memory_equal(w, " write", 6);
	/* ops/s now, peak/s, ops, bytes/s, bytes, avg size */
	assert_non_null(strstr(w, "     0      10       10      0/s     10K     1.0K"));
	const char *r = grid_row_text(&g, 1, buf, sizeof buf);
	assert_non_null(strstr(r, "     3        3      0/s    3.0M     1.0M"));
	assert_non_null(strstr(grid_row_text(&g, 0, buf, sizeof buf), "p99"));
	/* the fixture's calls all took 10us: p50 in the 8..15us bucket */
	assert_non_null(strstr(grid_row_text(&g, 3, buf, sizeof buf), "meta"));
	grid_free(&g);
}

static void test_histogram(void **state)
{
	struct fix *f = *state;
	take(f);
	draw(f, &view_histogram_ops);
	int y = -1;
	for (int i = 0; i < H; i++)
		if (strncmp(row(f, i), "    1K", 6) == 0)
			y = i;
	assert_true(y > 0);
	assert_non_null(strstr(row(f, y), "    1K         0        10       0     10K  #"));
}

static void test_files_hostile(void **state)
{
	struct fix *f = *state;
	take(f);
	draw(f, &view_files_ops);
	assert_non_null(strstr(row(f, 0), "Files: 2, by ops"));
	assert_non_null(strstr(row(f, 2), "/data/x.dat"));
	assert_non_null(strstr(row(f, 3), "/tmp/\\033[2Jevil\\x9b.dat"));
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			uint32_t c = grid_at(&f->g, x, y)->ch;
			assert_true(c >= 0x20 && c < 0x7f);
		}
	/* the filter */
	strcpy(f->st.list[VIEW_FILES].filter, "evil");
	take(f);
	draw(f, &view_files_ops);
	assert_non_null(strstr(row(f, 0), "Files: 1"));
	assert_non_null(strstr(row(f, 2), "evil"));
	/* sort by bytes: the 3 MiB file first */
	f->st.list[VIEW_FILES].filter[0] = 0;
	f->st.list[VIEW_FILES].sort = SORT_BYTES;
	take(f);
	draw(f, &view_files_ops);
	assert_non_null(strstr(row(f, 2), "evil"));
}

/* m: a row per metadata call, from the view's own part of the snapshot. */
static void test_meta_view(void **state)
{
	struct fix *f = *state;
	view_key(&f->st, 'm', ACT_NONE, &f->s, 10);
	assert_int_equal(f->st.view, VIEW_META);
	take(f);
	assert_non_null(f->s.priv[VIEW_META]);
	draw(f, &view_meta_ops);
	assert_non_null(strstr(row(f, 0), "metadata calls by call"));
	int y = -1;
	for (int i = 0; i < H; i++)
		if (strncmp(row(f, i), "openat|", 7) == 0)
			y = i;
	assert_true(y > 0);
	assert_int_equal(row(f, y)[7 + 2], glyphs_ascii.heat[1]);	/* interval 2 */
	assert_non_null(strstr(row(f, H - 1), "+|0s"));
}

/* Narrow terminals keep the path (cut from the left) and drop numbers. */
static void test_files_narrow(void **state)
{
	struct fix *f = *state;
	take(f);
	char buf[256];
	struct grid g;
	grid_init(&g, 40, 12);
	view_state_init(&f->st);
	view_key(&f->st, 'f', ACT_NONE, &f->s, 10);
	view_screen_draw(&g, &f->s, &f->st, &glyphs_ascii);
	int named = 0, cut = 0;
	for (int y = 0; y < g.h; y++) {
		const char *r = grid_row_text(&g, y, buf, sizeof buf);
		named += strstr(r, "/data/x.dat") != NULL;
		cut += strstr(r, "~") && strstr(r, "9b.dat");
		if (strstr(r, "rd ops"))
			assert_non_null(strstr(r, "path"));
	}
	assert_int_equal(named, 1);
	assert_int_equal(cut, 1);	/* the long one keeps its tail */
	/* the processes keep their command */
	view_key(&f->st, 'p', ACT_NONE, &f->s, 10);
	grid_clear(&g, ROLE_DEFAULT);
	view_screen_draw(&g, &f->s, &f->st, &glyphs_ascii);
	int demo = 0;
	for (int y = 0; y < g.h; y++) {
		const char *r = grid_row_text(&g, y, buf, sizeof buf);
		demo += strstr(r, "      42") == r && strstr(r, " demo") != NULL;
	}
	assert_int_equal(demo, 1);
	grid_free(&g);
}

/* The capture's cost: a floor from CPU time, near 1 for calm programs. */
static void test_cost(void **state)
{
	(void)state;
	struct cost c;
	cost_estimate(200000, 5.0, 0.6, NULL, &c);	/* dd bs=512 under strace */
	assert_true(c.slowdown > 8 && c.slowdown < 8.5);
	char buf[128];
	assert_string_equal(cost_line(&c, "strace", buf, sizeof buf),
			    "strace slows this at least ~8x; try --backend=preload");
	assert_string_equal(cost_line(&c, "preload", buf, sizeof buf), "");
	cost_estimate(10000, 10.0, 0.1, NULL, &c);	/* a call a millisecond */
	assert_true(c.slowdown < 1.05);
	cost_estimate(150, 10.0, 0.0, NULL, &c);	/* sleep 10 */
	assert_true(c.slowdown < 1.01);
	uint64_t cyc[NLAT] = {0};
	cyc[bucket_lat_of(20)] = 1000;			/* no CPU sample: cycles */
	cost_estimate(100000, 4.0, -1, cyc, &c);
	assert_true(c.slowdown > 1.5);
	assert_true(cost_cpu_s(getpid()) >= 0);
}

static void test_procs_help_small(void **state)
{
	struct fix *f = *state;
	take(f);
	draw(f, &view_procs_ops);
	assert_non_null(strstr(row(f, 2), "      42"));
	assert_non_null(strstr(row(f, 2), "demo"));
	draw(f, &view_help_ops);
	assert_non_null(strstr(row(f, 1), "quit"));
	draw(f, &view_latency_ops);
	assert_non_null(strstr(row(f, 0), "by duration"));
	assert_true(label_row(f, "8us") > 0);

	struct grid g;
	grid_init(&g, 20, 5);
	view_screen_draw(&g, &f->s, &f->st, &glyphs_ascii);
	char buf[64];
	assert_string_equal(grid_row_text(&g, 0, buf, sizeof buf), "too small           ");
	grid_free(&g);
	grid_init(&g, 80, 24);
	f->s.command = (char *[]){"dd", "if=/dev/\033]0;x", NULL};
	f->s.backend = "strace";
	f->s.state = RS_KILLED;
	f->s.exit_code = 9;
	view_screen_draw(&g, &f->s, &f->st, &glyphs_ascii);
	const char *h = grid_row_text(&g, 0, buf, sizeof buf);
	assert_non_null(strstr(h, " dd if=/dev/\\033]0;x"));
	assert_non_null(strstr(h, "[killed by SIGKILL]"));
	grid_free(&g);
}

static void test_keys(void **state)
{
	struct fix *f = *state;
	take(f);
	struct view_state *st = &f->st;
	assert_int_equal(view_apply(st, ACT_LEFT, &f->s, 10) & CH_SNAPSHOT, CH_SNAPSHOT);
	assert_true(st->paused);
	assert_int_equal(st->pause_end, 2);
	view_apply(st, ACT_LEFT, &f->s, 10);
	view_apply(st, ACT_LEFT, &f->s, 10);	/* cannot go before interval 0 */
	assert_int_equal(st->scroll, 2);
	view_apply(st, ACT_RIGHT, &f->s, 10);
	assert_int_equal(st->scroll, 1);
	view_apply(st, ACT_PAUSE, &f->s, 10);
	assert_false(st->paused);
	view_apply(st, ACT_ZOOM_OUT, &f->s, 10);
	assert_int_equal(st->zoom, 2);
	view_apply(st, ACT_ZOOM_IN, &f->s, 10);
	view_apply(st, ACT_ZOOM_IN, &f->s, 10);
	assert_int_equal(st->zoom, 1);
	view_key(st, 'f', ACT_NONE, &f->s, 10);
	assert_int_equal(st->view, VIEW_FILES);
	view_key(st, '?', ACT_NONE, &f->s, 10);
	assert_int_equal(st->view, VIEW_HELP);
	view_key(st, 0, ACT_HELP, &f->s, 10);	/* F1 */
	assert_int_equal(st->view, VIEW_FILES);
	view_key(st, 0, ACT_DOWN, &f->s, 10);
	view_key(st, 'j', ACT_NONE, &f->s, 10);
	struct view_list *l = &st->list[VIEW_FILES];
	assert_int_equal(l->sel, 1);	/* two files */
	view_key(st, '/', ACT_NONE, &f->s, 10);
	view_key(st, 'x', ACT_NONE, &f->s, 10);
	view_key(st, 'q', ACT_NONE, &f->s, 10);	/* typed, not quit */
	view_key(st, 0, ACT_ERASE, &f->s, 10);
	view_key(st, 0, ACT_ENTER, &f->s, 10);
	assert_string_equal(l->filter, "x");
	assert_false(l->editing);
	view_key(st, 0, ACT_BACK, &f->s, 10);	/* Esc clears the filter first */
	assert_string_equal(l->filter, "");
	assert_int_equal(st->view, VIEW_FILES);
	view_key(st, 'f', ACT_NONE, &f->s, 10);
	assert_int_equal(st->view, VIEW_HEATMAP);
	assert_int_equal(view_key(st, 'q', ACT_NONE, &f->s, 10), CH_QUIT);
}

/* The descriptors are whole: every key reaches its view, no view's key
 * shadows a global one, the footer and the help name every view. */
static void test_view_table(void **state)
{
	struct fix *f = *state;
	take(f);
	int ng;
	const struct view_keydef *k = view_global_keys(&ng);
	struct grid g;
	grid_init(&g, 200, 40);
	view_state_init(&f->st);
	view_key(&f->st, '?', ACT_NONE, &f->s, 10);
	view_screen_draw(&g, &f->s, &f->st, &glyphs_ascii);
	char buf[512], screen[200 * 41] = "";
	for (int y = 0; y < g.h; y++)
		strcat(screen, grid_row_text(&g, y, buf, sizeof buf));
	for (int i = 0; i < VIEW_COUNT; i++) {
		const struct view_ops *v = view_table[i];
		assert_non_null(v->name);
		assert_non_null(v->draw);
		if (v->flags & VF_LIST)
			assert_non_null(v->rows);
		if (!v->key)
			continue;
		for (int j = 0; j < ng; j++)
			assert_int_not_equal(v->key, k[j].key);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(v->key, view_table[j]->key);
		assert_non_null(strstr(screen, v->help));
		if (v->footer) {
			char item[32];
			snprintf(item, sizeof item, "%c:%s", v->key, v->footer);
			assert_non_null(strstr(screen, item));
		}
		struct view_state st;
		view_state_init(&st);
		view_key(&st, v->key, ACT_NONE, &f->s, 10);
		assert_int_equal(st.view, i);
		grid_clear(&g, ROLE_DEFAULT);
		view_screen_draw(&g, &f->s, &st, &glyphs_ascii);
	}
	grid_free(&g);
}

static void test_grid_escape(void **state)
{
	(void)state;
	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "en_US.UTF-8"))
		skip();
	struct grid g;
	grid_init(&g, 30, 1);
	char buf[128];
	const char s[] = "a\\b\x01\x7f\xc3\xa9\xe2\x80";
	grid_text_untrusted(&g, 0, 0, 30, ROLE_DEFAULT, s, sizeof s - 1, &glyphs_utf8);
	assert_string_equal(grid_row_text(&g, 0, buf, sizeof buf),
			    "a\\\\b\\001\\177\xc3\xa9\\xe2\\x80         ");
	grid_clear(&g, ROLE_DEFAULT);
	grid_text_untrusted(&g, 0, 0, 8, ROLE_DEFAULT, s, sizeof s - 1, &glyphs_ascii);
	assert_string_equal(grid_row_text(&g, 0, buf, sizeof buf),
			    "a\\\\b~                         ");
	grid_free(&g);
}

static void test_pick(void **state)
{
	(void)state;
	struct proc_row rows[2];
	memset(rows, 0, sizeof rows);
	rows[0].pid = 4242;
	strcpy(rows[0].comm, "dd");
	strcpy(rows[0].cmd, "dd if=/dev/zero \033[2J");
	rows[0].write_ops_s = 1500;
	rows[0].write_bytes_s = 3.0 * 1024 * 1024;
	rows[1].pid = 1;
	strcpy(rows[1].comm, "init");
	rows[1].no_perm = 1;
	struct grid g;
	grid_init(&g, 80, 8);
	struct view_list l = {.sel = 1};
	int idx[] = {0, 1};
	view_pick_draw(&g, rows, idx, 2, &l, 0, &glyphs_ascii);
	dump(&g);
	char buf[256];
	const char *r0 = grid_row_text(&g, 2, buf, sizeof buf);
	assert_non_null(strstr(r0, "  4242"));
	assert_non_null(strstr(r0, "1.5K"));
	assert_non_null(strstr(r0, "3.0M"));
	assert_non_null(strstr(r0, "dd if=/dev/zero \\033[2J"));
	const char *r1 = grid_row_text(&g, 3, buf, sizeof buf);
	assert_non_null(strstr(r1, "no permission"));
	assert_null(strstr(r1, " 0 "));
	assert_int_equal(grid_at(&g, 0, 3)->role, ROLE_SELECT);
	grid_free(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_heat_cells, setup, teardown),
		cmocka_unit_test_setup_teardown(test_view_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_narrow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_view, setup, teardown),
		cmocka_unit_test(test_cost),
		cmocka_unit_test_setup_teardown(test_legend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merged_rows_keep_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_histogram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_procs_help_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test(test_grid_escape),
		cmocka_unit_test(test_pick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
