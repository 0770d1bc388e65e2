/* ui.c - curses: terminal setup, themes, keys, the loop, the blit.
 *
 * The only file that calls curses.  Everything drawn comes from the views
 * (view_*.c) through an off-screen grid; this file maps colour roles to
 * attributes, keys to actions, and sleeps in getch() between intervals,
 * keys and resizes, so an idle view costs next to nothing. */
#include <config.h>

#ifdef HAVE_NCURSESW
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "ui.h"
#include "app.h"
#include "grid.h"
#include "log.h"
#include "model.h"
#include "options.h"
#include "proclist.h"
#include "report.h"
#include "sampler.h"
#include "source.h"
#include "view.h"

#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- themes ---------------------------------------------------------------- */

struct style {
	short fg, bg;		/* -1 = terminal default */
	attr_t attr;
};

static const struct style theme_256[ROLE_COUNT] = {
	[ROLE_DEFAULT] = {-1, -1, 0},
	[ROLE_TITLE] = {231, 24, A_BOLD},
	[ROLE_LABEL] = {110, -1, 0},
	[ROLE_DIM] = {245, -1, 0},
	[ROLE_READ] = {77, -1, A_BOLD},
	[ROLE_WRITE] = {214, -1, A_BOLD},
	[ROLE_META] = {177, -1, A_BOLD},
	[ROLE_ERROR] = {203, -1, A_BOLD},
	[ROLE_RUNNING] = {120, 24, A_BOLD},
	[ROLE_DONE] = {226, 24, A_BOLD},
	[ROLE_PAUSED] = {213, 24, A_BOLD},
	[ROLE_SELECT] = {16, 110, 0},
	[ROLE_KEY] = {231, 236, A_BOLD},
	[ROLE_FOOTER] = {16, 110, 0},
	[ROLE_BAR] = {74, -1, 0},
	[ROLE_HEAT_0] = {-1, -1, 0},
	[ROLE_HEAT_1] = {61, -1, 0},
	[ROLE_HEAT_2] = {32, -1, 0},
	[ROLE_HEAT_3] = {36, -1, 0},
	[ROLE_HEAT_4] = {142, -1, 0},
	[ROLE_HEAT_5] = {208, -1, A_BOLD},
	[ROLE_HEAT_6] = {196, -1, A_BOLD},
};

static const struct style theme_8[ROLE_COUNT] = {
	[ROLE_DEFAULT] = {-1, -1, 0},
	[ROLE_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD},
	[ROLE_LABEL] = {COLOR_CYAN, -1, 0},
	[ROLE_DIM] = {-1, -1, 0},
	[ROLE_READ] = {COLOR_GREEN, -1, A_BOLD},
	[ROLE_WRITE] = {COLOR_YELLOW, -1, A_BOLD},
	[ROLE_META] = {COLOR_MAGENTA, -1, A_BOLD},
	[ROLE_ERROR] = {COLOR_RED, -1, A_BOLD},
	[ROLE_RUNNING] = {COLOR_GREEN, COLOR_BLUE, A_BOLD},
	[ROLE_DONE] = {COLOR_YELLOW, COLOR_BLUE, A_BOLD},
	[ROLE_PAUSED] = {COLOR_MAGENTA, COLOR_BLUE, A_BOLD},
	[ROLE_SELECT] = {COLOR_BLACK, COLOR_CYAN, 0},
	[ROLE_KEY] = {COLOR_WHITE, COLOR_BLACK, A_BOLD},
	[ROLE_FOOTER] = {COLOR_BLACK, COLOR_CYAN, 0},
	[ROLE_BAR] = {COLOR_CYAN, -1, 0},
	[ROLE_HEAT_0] = {-1, -1, 0},
	[ROLE_HEAT_1] = {COLOR_BLUE, -1, 0},
	[ROLE_HEAT_2] = {COLOR_CYAN, -1, 0},
	[ROLE_HEAT_3] = {COLOR_GREEN, -1, 0},
	[ROLE_HEAT_4] = {COLOR_YELLOW, -1, 0},
	[ROLE_HEAT_5] = {COLOR_RED, -1, 0},
	[ROLE_HEAT_6] = {COLOR_RED, -1, A_BOLD},
};

static const attr_t theme_mono[ROLE_COUNT] = {
	[ROLE_TITLE] = A_REVERSE,
	[ROLE_LABEL] = A_BOLD,
	[ROLE_READ] = A_BOLD,
	[ROLE_WRITE] = A_BOLD,
	[ROLE_META] = A_BOLD,
	[ROLE_ERROR] = A_BOLD,
	[ROLE_RUNNING] = A_REVERSE,
	[ROLE_DONE] = A_REVERSE | A_BOLD,
	[ROLE_PAUSED] = A_REVERSE | A_BOLD,
	[ROLE_SELECT] = A_REVERSE,
	[ROLE_KEY] = A_BOLD,
	[ROLE_FOOTER] = A_REVERSE,
	[ROLE_HEAT_5] = A_BOLD,
	[ROLE_HEAT_6] = A_BOLD,
};

struct term {
	SCREEN *scr;
	const struct glyphs *gl;
	attr_t attr[ROLE_COUNT];
	short pair[ROLE_COUNT];
	struct grid grid;
};

static void theme_setup(struct term *t, const struct options *o)
{
	const char *no_color = getenv("NO_COLOR");
	int want = o->color == COLOR_ALWAYS ||
		   (o->color == COLOR_AUTO && !(no_color && *no_color));
	if (want && has_colors() && start_color() == OK) {
		use_default_colors();
		const struct style *th = COLORS >= 256 ? theme_256 : theme_8;
		for (int r = 0; r < ROLE_COUNT; r++) {
			short p = (short)(r + 1);
			if (p >= COLOR_PAIRS) {
				t->attr[r] = theme_mono[r];
				continue;
			}
			init_pair(p, th[r].fg, th[r].bg);
			t->pair[r] = p;
			t->attr[r] = th[r].attr;
		}
	} else {
		for (int r = 0; r < ROLE_COUNT; r++)
			t->attr[r] = theme_mono[r];
	}
}

/* ---- terminal ------------------------------------------------------------- */

static atomic_int got_hup;	/* the handler may run on any thread */

static void on_hup(int sig)
{
	(void)sig;
	atomic_store(&got_hup, 1);
}

static int term_open(struct term *t, const struct options *o)
{
	memset(t, 0, sizeof *t);
	if (!isatty(0) || !isatty(1))
		return -1;
	const char *term = getenv("TERM");
	if (!term || !*term || strcmp(term, "dumb") == 0)
		return -1;
	/* Glyphs, once: Unicode only with ncursesw in a UTF-8 locale. */
	t->gl = &glyphs_ascii;
#ifdef HAVE_NCURSESW
	const char *cs = nl_langinfo(CODESET);
	if (!o->ascii && cs && strcmp(cs, "UTF-8") == 0)
		t->gl = &glyphs_utf8;
#endif
	t->scr = newterm(NULL, stdout, stdin);
	if (!t->scr)
		return -1;
	set_term(t->scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	theme_setup(t, o);
	log_msg("view: TERM=%s, %dx%d, %d colours, %s glyphs", termname(), COLS, LINES,
		has_colors() ? COLORS : 0, t->gl == &glyphs_ascii ? "ASCII" : "UTF-8");
	if (grid_init(&t->grid, COLS, LINES) < 0) {
		endwin();
		delscreen(t->scr);
		return -1;
	}
	return 0;
}

static void term_close(struct term *t, int quiet)
{
	if (quiet) {
		/* The terminal is gone: let curses write its farewell to
		 * /dev/null, and keep our later reports off the dead tty. */
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	endwin();
	delscreen(t->scr);
	grid_free(&t->grid);
}

static void blit(struct term *t)
{
	const struct grid *g = &t->grid;
	for (int y = 0; y < g->h && y < LINES; y++) {
		for (int x = 0; x < g->w && x < COLS; x++) {
			const struct cell *c = grid_at(g, x, y);
			unsigned r = c->role < ROLE_COUNT ? c->role : 0;
#ifdef HAVE_NCURSESW
			if (t->gl->utf8) {
				cchar_t cc;
				wchar_t wc[2] = {(wchar_t)c->ch, 0};
				setcchar(&cc, wc, t->attr[r], t->pair[r], NULL);
				mvadd_wch(y, x, &cc);
				continue;
			}
#endif
			chtype ch = c->ch < 0x80 && c->ch >= 0x20 ? c->ch : '?';
			mvaddch(y, x, ch | t->attr[r] | (chtype)COLOR_PAIR(t->pair[r]));
		}
	}
}

/* Size the grid to the terminal, one place. */
static void term_fit(struct term *t)
{
	if (t->grid.w != COLS || t->grid.h != LINES) {
		grid_free(&t->grid);
		grid_init(&t->grid, COLS, LINES);
		clearok(curscr, TRUE);
	}
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- keys ------------------------------------------------------------------ */

static const struct binding {
	int key;
	enum action action;
} bindings[] = {
	{'q', ACT_QUIT}, {'Q', ACT_QUIT}, {KEY_F(10), ACT_QUIT},
	{' ', ACT_PAUSE},
	{'c', ACT_BY_OPS}, {'b', ACT_BY_BYTES},
	{'r', ACT_READS}, {'w', ACT_WRITES}, {'a', ACT_ALL},
	{'l', ACT_LATENCY}, {'h', ACT_HISTOGRAM}, {'f', ACT_FILES}, {'p', ACT_PROCS},
	{'R', ACT_RANKS},
	{'?', ACT_HELP}, {KEY_F(1), ACT_HELP},
	{'+', ACT_ZOOM_IN}, {'=', ACT_ZOOM_IN}, {'-', ACT_ZOOM_OUT},
	{KEY_LEFT, ACT_LEFT}, {KEY_RIGHT, ACT_RIGHT},
	{KEY_UP, ACT_UP}, {'k', ACT_UP}, {KEY_DOWN, ACT_DOWN}, {'j', ACT_DOWN},
	{KEY_PPAGE, ACT_PGUP}, {KEY_NPAGE, ACT_PGDN}, {KEY_HOME, ACT_HOME}, {KEY_END, ACT_END},
	{'s', ACT_SORT}, {'/', ACT_FILTER},
	{27, ACT_BACK}, {12, ACT_REDRAW},
};

static enum action key_action(int c)
{
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
		if (bindings[i].key == c)
			return bindings[i].action;
	return ACT_NONE;
}

/* ---- the live view --------------------------------------------------------- */

/* Header facts the model does not hold.  The caller holds m->lock. */
static void run_state(struct view_snapshot *s, const struct app *a, int quitting)
{
	const struct model *m = a->m;
	const struct options *o = a->opt;
	s->state = RS_RUNNING;
	s->leaving_kills = o->mode == MODE_COMMAND && !m->source_done;
	if (!m->source_done)
		return;
	if (o->mode == MODE_REPLAY) {
		s->state = RS_FINISHED;
		return;
	}
	/* Attached, only the target's own exit line counts: the tracer's
	 * status (ended by our SIGINT or -n) says nothing of the target. */
	int st = m->exit_status >= 0 || o->mode == MODE_PID ? m->exit_status
		: a->src->exit_status;
	if (o->mode == MODE_PID && (quitting || st < 0)) {
		s->state = RS_DETACHED;
	} else if (st > 128 && st < 128 + 65) {
		s->state = RS_KILLED;
		s->exit_code = st - 128;
	} else {
		s->state = st >= 0 ? RS_EXITED : RS_DETACHED;
		s->exit_code = st;
	}
}

int ui_run(struct app *a)
{
	struct term t;
	struct view_snapshot s;
	if (view_snapshot_init(&s) < 0)
		return -1;
	if (term_open(&t, a->opt) < 0) {
		view_snapshot_free(&s);
		return -1;
	}
	struct sigaction sa, old_hup;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_hup;
	sigemptyset(&sa.sa_mask);
	atomic_store(&got_hup, 0);
	sigaction(SIGHUP, &sa, &old_hup);

	s.backend = a->ri->backend;
	s.command = a->ri->command;
	s.output = a->ri->output;
	s.origins = a->ri->origins;
	s.pid = a->opt->mode == MODE_PID && a->opt->npids ? a->opt->pids[0] : 0;

	struct view_state st;
	view_state_init(&st);
	int64_t iv = a->m->interval_us;
	int64_t next = mono_us() + iv;
	unsigned need = SNAP_ALL;
	int done = 0;
	for (;;) {
		if (atomic_load(&got_hup))
			break;
		term_fit(&t);
		struct layout l = view_layout(t.grid.w, t.grid.h);
		int ncols = view_heat_cols(t.grid.w);
		if (ncols != s.ncols)
			need |= SNAP_COLS;
		if (need) {
			if (st.paused)	/* frozen: only what scrolling and views need */
				need &= SNAP_HEADER | SNAP_COLS | SNAP_LISTS;
			if (st.view != VIEW_FILES && st.view != VIEW_PROCS && st.view != VIEW_RANKS)
				need &= ~SNAP_LISTS;	/* sorting files costs */
			pthread_mutex_lock(&a->m->lock);
			view_snapshot_take(&s, a->m, &st, ncols, need);
			run_state(&s, a, 0);
			done = a->m->source_done;
			pthread_mutex_unlock(&a->m->lock);
			need = 0;
		}
		if (done && (a->opt->exit_at_end || a->opt->iterations > 0))
			break;
		view_screen_draw(&t.grid, &s, &st, t.gl);
		blit(&t);
		refresh();

		int64_t wait = next - mono_us();
		if (wait < 0)
			wait = 0;
		timeout((int)((wait + 999) / 1000));
		int c = getch();
		if (c == ERR) {
			int64_t now = mono_us();
			if (now >= next) {
				next += iv;
				if (next <= now)
					next = now + iv;
				need = st.paused ? SNAP_HEADER : SNAP_ALL;
			}
			continue;
		}
		if (c == KEY_RESIZE) {
			log_msg("view: resized to %dx%d", COLS, LINES);
			need |= SNAP_COLS;
			continue;
		}
		unsigned ch;
		if (st.editing) {
			ch = view_filter_key(&st, c == KEY_BACKSPACE || c == 127 || c == 8 ? -1
					   : c == '\n' || c == '\r' || c == KEY_ENTER ? -2
					   : c == 27 ? -3 : c < 256 ? c : 0);
		} else {
			ch = view_apply(&st, key_action(c), &s, l.main_h - 2);
		}
		if (ch & CH_QUIT)
			break;
		if (c == 12)
			clearok(curscr, TRUE);
		if (ch & CH_SNAPSHOT)
			need |= SNAP_COLS | SNAP_LISTS | (st.paused ? 0 : SNAP_ALL);
	}

	int hup = atomic_load(&got_hup);
	if (hup && a->opt->mode == MODE_COMMAND) {
		/* The command goes on; we wait for it headless. */
	} else {
		pthread_mutex_lock(&a->m->lock);
		done = a->m->source_done;
		pthread_mutex_unlock(&a->m->lock);
		if (!done)
			sampler_stop(a->smp);
	}
	term_close(&t, hup);
	sigaction(SIGHUP, &old_hup, NULL);
	view_snapshot_free(&s);
	return 0;
}

/* ---- the process picker ----------------------------------------------------- */

int ui_pick_process(struct app *a, struct proclist *pl)
{
	struct term t;
	if (term_open(&t, a->opt) < 0)
		return -1;
	int64_t iv = (int64_t)(a->opt->delay * 1e6);
	if (iv <= 0)
		iv = 1000000;
	int sel = 0, top = 0, pid = 0, n = 0, sel_pid = 0;
	const struct proc_row *rows = NULL;
	int64_t next = 0;
	for (;;) {
		int64_t now = mono_us();
		if (now >= next) {
			proclist_refresh(pl, now);
			rows = proclist_rows(pl, &n);
			next = now + iv;
			/* The selection follows its process through a re-sort. */
			for (int i = 0; i < n; i++)
				if (rows[i].pid == sel_pid)
					sel = i;
		}
		term_fit(&t);
		int page = t.grid.h - 3;
		if (page < 1)
			page = 1;
		if (sel >= n)
			sel = n > 0 ? n - 1 : 0;
		sel_pid = n > 0 ? rows[sel].pid : 0;
		if (sel < top)
			top = sel;
		if (sel >= top + page)
			top = sel - page + 1;
		if (t.grid.w < VIEW_MIN_W || t.grid.h < 5) {
			grid_clear(&t.grid, ROLE_DEFAULT);
			grid_text(&t.grid, 0, 0, ROLE_ERROR, "terminal too small");
		} else {
			view_pick_draw(&t.grid, rows, n, sel, top, t.gl);
		}
		blit(&t);
		refresh();
		int64_t wait = next - mono_us();
		timeout(wait > 0 ? (int)((wait + 999) / 1000) : 0);
		int c = getch();
		if (atomic_load(&got_hup) || c == 'q' || c == 'Q' || c == KEY_F(10))
			break;
		if (c == KEY_UP || c == 'k')
			sel--;
		else if (c == KEY_DOWN || c == 'j')
			sel++;
		else if (c == KEY_PPAGE)
			sel -= page;
		else if (c == KEY_NPAGE)
			sel += page;
		else if (c == KEY_HOME)
			sel = 0;
		else if (c == KEY_END)
			sel = n - 1;
		else if ((c == '\n' || c == '\r' || c == KEY_ENTER) && n > 0 && sel < n) {
			pid = rows[sel].pid;
			break;
		}
		if (sel < 0)
			sel = 0;
	}
	term_close(&t, atomic_load(&got_hup));
	return pid;
}
