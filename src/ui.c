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
#include "cost.h"
#include "grid.h"
#include "jobctl.h"
#include "log.h"
#include "model.h"
#include "options.h"
#include "proclist.h"
#include "report.h"
#include "run.h"
#include "sampler.h"
#include "source.h"
#include "view.h"

#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
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

/* A terminal that went away while its SIGHUP went elsewhere (it came
 * before our handler, under a disposition that ignores it): getch()
 * then fails at once, forever.  Its input reports a hangup. */
static int ui_term_gone(void)
{
	struct pollfd p = {.fd = 0, .events = POLLIN};
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

int ui_usable(char *why, size_t len)
{
	const char *term = getenv("TERM");
	if (!term || !*term) {
		snprintf(why, len, "TERM is not set");
		return 0;
	}
	if (strcmp(term, "dumb") == 0) {
		snprintf(why, len, "terminal type 'dumb' cannot show the view");
		return 0;
	}
	/* What newterm() would find, asked without touching the screen or
	 * the signal handlers (<term.h> itself clashes with our names). */
	extern int setupterm(const char *, int, int *);
	extern void *set_curterm(void *);	/* TERMINAL *, opaque here */
	extern int del_curterm(void *);
	int err = 0;
	int rc = setupterm(term, 1, &err);
	/* The terminal it loaded is only a question: free it (newterm loads
	 * its own), or LeakSanitizer rightly counts it. */
	void *old = set_curterm(NULL);
	if (old)
		del_curterm(old);
	if (rc != OK || err != 1) {
		snprintf(why, len, "terminal type '%.100s' %s", term,
			 err == 0 ? "unknown" : "unusable");
		return 0;
	}
	return 1;
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
	jobctl_view_before();
	t->scr = newterm(NULL, stdout, stdin);
	jobctl_view_after();
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
	jobctl_view_end();
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

/* The terminal's special keys; printable keys go to view_key() as they
 * are, and view.c's table binds them. */
static const struct binding {
	int key;
	enum action action;
} bindings[] = {
	{KEY_F(10), ACT_QUIT}, {KEY_F(1), ACT_HELP},
	{KEY_LEFT, ACT_LEFT}, {KEY_RIGHT, ACT_RIGHT}, {KEY_UP, ACT_UP}, {KEY_DOWN, ACT_DOWN},
	{KEY_PPAGE, ACT_PGUP}, {KEY_NPAGE, ACT_PGDN}, {KEY_HOME, ACT_HOME}, {KEY_END, ACT_END},
	{27, ACT_BACK}, {'\n', ACT_ENTER}, {'\r', ACT_ENTER}, {KEY_ENTER, ACT_ENTER},
	{KEY_BACKSPACE, ACT_ERASE}, {127, ACT_ERASE}, {8, ACT_ERASE},
};

/* A key as view_key() takes it: the printable character (or ^L) and the
 * action of a special key. */
static enum action key_action(int c, int *printable)
{
	*printable = (c >= 0x20 && c < 0x7f) || c == 12 ? c : 0;
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
		if (bindings[i].key == c)
			return bindings[i].action;
	return ACT_NONE;
}

/* ---- the live view --------------------------------------------------------- */

/* Header facts the model does not hold, from the run's one outcome.  The
 * caller holds m->lock. */
static void run_state(struct view_snapshot *s, const struct app *a, int quitting)
{
	static const enum run_state rs[] = {
		[RUN_RUNNING] = RS_RUNNING, [RUN_EXITED] = RS_EXITED, [RUN_KILLED] = RS_KILLED,
		[RUN_DETACHED] = RS_DETACHED, [RUN_FINISHED] = RS_FINISHED,
		[RUN_LOST] = RS_DETACHED,
	};
	struct run_outcome out = run_outcome(a->run, quitting);
	s->leaving_kills = a->opt->mode == MODE_COMMAND && !a->m->source_done;
	s->state = rs[out.end];
	s->exit_code = out.end == RUN_KILLED ? out.signal : out.status;
}

/* The footer's one line while a question or a notice stands. */
static void footer_say(struct grid *g, const char *keys, const char *text)
{
	struct layout l = view_layout(g->w, g->h);
	if (!l.ok)
		return;
	struct grid sub = grid_sub(g, 0, l.footer_y, g->w, 1);
	grid_fill_row(&sub, 0, ROLE_FOOTER);
	int x = grid_text(&sub, 0, 0, ROLE_FOOTER, text);
	grid_text(&sub, x, 0, ROLE_KEY, keys);
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
	int done = 0, quitting = 0;
	int command = a->opt->mode == MODE_COMMAND;
	int asking = 0;			/* q while the command runs: asked first */
	int ints0 = atomic_load(&jobctl_interrupts), interrupted = 0;
	for (;;) {
		if (atomic_load(&got_hup))
			break;
		/* Ctrl-C went to the command: close as soon as it has ended.
		 * Attached, Ctrl-C (and SIGTERM) detach and quit at once. */
		if (atomic_load(&jobctl_interrupts) != ints0) {
			ints0 = atomic_load(&jobctl_interrupts);
			interrupted = 1;
			asking = 0;
			need |= SNAP_HEADER;
		}
		if (atomic_load(&sampler_signal_stop) && !command) {
			quitting = 1;
			break;
		}
		if ((interrupted || atomic_load(&sampler_signal_stop)) && !done) {
			pthread_mutex_lock(&a->m->lock);
			done = a->m->source_done;
			pthread_mutex_unlock(&a->m->lock);
		}
		if (done && (interrupted || atomic_load(&sampler_signal_stop)))
			break;
		term_fit(&t);
		struct layout l = view_layout(t.grid.w, t.grid.h);
		int ncols = view_heat_cols(t.grid.w);
		if (ncols != s.ncols)
			need |= SNAP_COLS;
		if (need) {
			if (st.paused)	/* frozen: only what scrolling and views need */
				need &= SNAP_HEADER | SNAP_COLS | SNAP_LISTS | SNAP_VIEW;
			if (!(view_table[st.view]->snap & SNAP_LISTS))
				need &= ~SNAP_LISTS;	/* sorting files costs */
			/* The command's CPU time, for the capture's cost (cost.c):
			 * read outside the lock, stored under it. */
			int root = 0;
			double cpu = -1;
			if (need & SNAP_HEADER) {
				pthread_mutex_lock(&a->m->lock);
				/* live only: a replay's pids are another machine's */
				root = a->m->source_done || a->opt->mode == MODE_REPLAY ? 0
				     : a->m->root_pid;
				pthread_mutex_unlock(&a->m->lock);
				if (root > 0)
					cpu = cost_cpu_s(root);
			}
			pthread_mutex_lock(&a->m->lock);
			if (cpu >= 0 && (int64_t)(cpu * 1e6) > a->m->root_cpu_us)
				a->m->root_cpu_us = (int64_t)(cpu * 1e6);
			view_snapshot_take(&s, a->m, &st, ncols, need);
			run_state(&s, a, quitting);
			if (a->m->source_done && !done)
				need = SNAP_ALL;	/* it ended: the whole run, now */
			else
				need = 0;
			done = a->m->source_done;
			pthread_mutex_unlock(&a->m->lock);
			if (need)
				continue;
		}
		if (done && (a->opt->exit_at_end || a->opt->iterations > 0))
			break;
		if (done)
			asking = 0;	/* nothing left to end */
		view_screen_draw(&t.grid, &s, &st, t.gl);
		if (asking)
			footer_say(&t.grid, " q end it (SIGTERM)  Esc keep watching ",
				   " command still running:");
		else if (interrupted && !done)
			footer_say(&t.grid, " q end it (SIGTERM) ", run_ignores_sigint(a->run)
				   ? " the command ignores Ctrl-C (SIGINT):"
				   : " Ctrl-C sent; the command goes on:");
		blit(&t);
		refresh();

		int64_t wait = next - mono_us();
		if (wait < 0)
			wait = 0;
		/* After Ctrl-C, look for the command's end more often. */
		if (interrupted && !done && wait > 100000)
			wait = 100000;
		timeout((int)((wait + 999) / 1000));
		int c = getch();
		if (c == ERR && ui_term_gone())
			atomic_store(&got_hup, 1);
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
		int pc;
		enum action act = key_action(c, &pc);
		int editing = st.list[st.view].editing;
		if (asking) {
			/* The question's answer: q, y or F10 end the command;
			 * any other key (Esc, n) keeps watching. */
			asking = 0;
			if (c == 'q' || c == 'Q' || c == 'y' || c == 'Y' || c == KEY_F(10))
				break;
			continue;
		}
		if (!editing && (act == ACT_QUIT || (pc && act == ACT_NONE &&
						      view_key_action(pc) == ACT_QUIT)) &&
		    command && !done) {
			asking = 1;
			continue;
		}
		unsigned ch = view_key(&st, pc, act, &s, l.main_h - 2);
		if (ch & CH_QUIT)
			break;
		if (c == 12)
			clearok(curscr, TRUE);
		if (ch & CH_SNAPSHOT)
			need |= SNAP_COLS | SNAP_LISTS | SNAP_VIEW | (st.paused ? 0 : SNAP_ALL);
	}

	int hup = atomic_load(&got_hup);
	if (hup && !run_hup_stops(a->opt)) {
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

int ui_pick_process(struct app *a, struct proclist *pl, const char *why)
{
	struct term t;
	if (term_open(&t, a->opt) < 0)
		return -1;
	int64_t iv = (int64_t)(a->opt->delay * 1e6);
	if (iv <= 0)
		iv = 1000000;
	struct view_list l;
	memset(&l, 0, sizeof l);
	int pid = 0, n = 0, nrows = 0, sel_pid = 0, help = 0;
	const struct proc_row *rows = NULL;
	int *idx = NULL;
	int64_t next = 0;
	for (;;) {
		int64_t now = mono_us();
		if (now >= next) {
			proclist_refresh(pl, now);
			rows = proclist_rows(pl, &nrows);
			next = now + iv;
			int *p = realloc(idx, (size_t)(nrows > 0 ? nrows : 1) * sizeof *idx);
			if (!p)
				break;
			idx = p;
		}
		n = 0;
		for (int i = 0; i < nrows; i++)
			if (view_pick_match(&rows[i], l.filter))
				idx[n++] = i;
		/* The selection follows its process through a re-sort. */
		for (int i = 0; i < n && sel_pid; i++)
			if (rows[idx[i]].pid == sel_pid)
				l.sel = i;
		term_fit(&t);
		int page = t.grid.h - 3;
		if (page < 1)
			page = 1;
		if (l.sel >= n)
			l.sel = n > 0 ? n - 1 : 0;
		sel_pid = n > 0 ? rows[idx[l.sel]].pid : 0;
		if (l.sel < l.top)
			l.top = l.sel;
		if (l.sel >= l.top + page)
			l.top = l.sel - page + 1;
		if (t.grid.w < VIEW_MIN_W || t.grid.h < 5) {
			grid_clear(&t.grid, ROLE_DEFAULT);
			grid_text(&t.grid, 0, 0, ROLE_ERROR, "terminal too small");
		} else {
			view_pick_draw(&t.grid, rows, idx, n, &l, help, t.gl);
			if (why && *why) {	/* why the last pick was not watched */
				int y = t.grid.h - 1;
				grid_fill_row(&t.grid, y, ROLE_FOOTER);
				grid_text_untrusted(&t.grid, 0, y, t.grid.w, ROLE_ERROR, why,
						    strlen(why), t.gl);
			}
		}
		blit(&t);
		refresh();
		int64_t wait = next - mono_us();
		timeout(wait > 0 ? (int)((wait + 999) / 1000) : 0);
		int c = getch();
		if (c == ERR && ui_term_gone())
			atomic_store(&got_hup, 1);
		if (c != ERR && c != KEY_RESIZE)
			why = NULL;	/* read: the list is back */
		/* after a watch, Ctrl-C and SIGTERM end it all */
		if (atomic_load(&got_hup) || atomic_load(&sampler_signal_stop))
			break;
		if (c == ERR || c == KEY_RESIZE)
			continue;
		int pc;
		enum action act = key_action(c, &pc);
		if (!l.editing && pc && act == ACT_NONE)
			act = view_key_action(pc);
		unsigned r = view_list_key(&l, pc, act, n, 0, page);
		if (r != CH_PASS) {
			if (r & CH_SNAPSHOT)
				sel_pid = 0;	/* a new filter: start at its busiest */
			else	/* the selection moved: it follows the new row */
				sel_pid = l.sel >= 0 && l.sel < n ? rows[idx[l.sel]].pid : 0;
			continue;
		}
		if (act == ACT_QUIT)
			break;
		if (act == ACT_HELP)
			help = !help;
		if (act == ACT_ENTER && n > 0 && l.sel < n) {
			pid = rows[idx[l.sel]].pid;
			break;
		}
	}
	free(idx);
	term_close(&t, atomic_load(&got_hup));
	return pid;
}
