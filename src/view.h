/* view.h - the views of the live screen, their state and their snapshot.
 *
 * A view is a descriptor (struct view_ops) with a draw function that
 * reads a plain snapshot of the model and writes into a grid.  Views
 * never lock, never read the clock and never call curses; ui.c takes the
 * snapshot under the model's lock, asks the views to draw, and blits. */
#ifndef IOPSTOP_VIEW_H
#define IOPSTOP_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "grid.h"
#include "model.h"

/* The views, in footer and help order (the heatmap, first, is home).
 * A new view is its own file view_NAME.c defining
 * `const struct view_ops view_NAME_ops` and one line here:
 * X(ID, NAME) gives VIEW_ID and the table entry. */
#define VIEW_LIST(X) \
	X(HEATMAP, heatmap) \
	X(HELP, help) \
	X(LATENCY, latency) \
	X(HISTOGRAM, histogram) \
	X(FILES, files) \
	X(PROCS, procs) \
	X(META, meta) \
	X(INSIGHTS, insights) \
	X(RANKS, ranks)

enum view_id {
#define VIEW_ENUM(id, name) VIEW_##id,
	VIEW_LIST(VIEW_ENUM)
#undef VIEW_ENUM
	VIEW_COUNT
};
enum color_by { BY_OPS, BY_BYTES };
enum dir_sel { DIR_ALL, DIR_READ, DIR_WRITE };
enum file_sort { SORT_OPS, SORT_BYTES, SORT_LAT, SORT_COUNT };
enum run_state { RS_RUNNING, RS_EXITED, RS_KILLED, RS_DETACHED, RS_FINISHED };

#define ZOOM_MAX 64
#define SNAP_MAX_COLS 512
#define SNAP_MAX_ROWS 1000	/* files and processes kept per snapshot */

/* A list's selection, scroll, sort and filter: the same for every list
 * view (files, processes, the picker, and views to come). */
struct view_list {
	int sel, top;			/* selected row, first row shown */
	int sort;			/* index into the view's sorts */
	char filter[128];		/* substring of the row's name */
	int editing;			/* typing the filter */
};

/* What the user chose: owned by the UI, changed only by view_key() and
 * view_apply(). */
struct view_state {
	enum view_id view, prev;	/* prev: where help returns */
	enum color_by by;
	enum dir_sel dir;
	int zoom;			/* intervals per heatmap column */
	int paused;
	int64_t pause_end;		/* newest interval shown while paused */
	int64_t scroll;			/* columns back from pause_end */
	/* Whole run (z): the run fitted to the width; chosen by z, else
	 * automatic (live while the source runs, whole once it ended). */
	int whole_set, whole;
	int wzoom;			/* whole run: shows 1 / 2^wzoom of it */
	int64_t wscroll;		/* whole run, zoomed: its columns back from the end */
	struct view_list list[VIEW_COUNT];	/* each list view keeps its own */
};

struct snap_file {
	const char *name;		/* interned: never moves */
	size_t len;
	uint64_t ops[OPC_IO_COUNT], bytes[2], errors, dur_us;
};

struct snap_proc {
	int32_t pid;
	const char *comm;
	size_t comm_len;
	uint64_t ops[OPC_IO_COUNT], bytes[2], errors;
	int exit_status;
};

/* One recording (a rank) of a merged replay, its processes summed. */
struct snap_rank {
	char host[64];
	long rank;			/* -1 unknown */
	int32_t pid;			/* its busiest process */
	uint64_t pid_ops;		/* that one's ops */
	int nprocs;
	uint64_t ops[OPC_IO_COUNT], bytes[2], errors, dur_us;
	int state;			/* enum origin_state; -1 live */
};

/* A plain copy of what the views draw, taken under the model's lock. */
struct view_snapshot {
	/* header (filled by the UI from run_info) */
	const char *backend;
	char *const *command;
	int pid;
	const char *comm;		/* name of pid, when attached */
	size_t comm_len;
	const char *output;
	enum run_state state;
	int exit_code;			/* RS_EXITED: status; RS_KILLED: signal */
	int leaving_kills;		/* q ends the command (help says so) */

	double elapsed_s, interval_s;
	uint64_t events;
	char cost[96];			/* "strace slows this ~40x; ..." or "" */
	struct totals tot;
	struct bin now;			/* the last whole interval */
	int64_t now_idx;		/* interval index of "now" */
	int64_t oldest_idx;		/* oldest interval the ring still holds */

	/* heatmap columns, oldest first.  Live: cols[i] sums intervals of
	 * column group first_group + i, each zoom intervals wide, newest at
	 * the right.  Whole run: the run's whole-run bins re-binned to fit. */
	int ncols, zoom;
	int64_t first_group;
	struct bin *cols;
	int newest;			/* column of "now" (live: later ones are empty) */
	int whole;			/* cols are the whole run's */
	double col_s, t0_s;		/* a column's seconds, column 0's start */
	int64_t wr_used;		/* whole run: bins in use, and per column */
	int wr_per;
	unsigned band;			/* metadata families seen (heat_band_of) */

	struct snap_file *files;
	int nfiles;
	uint64_t files_matching;
	struct snap_proc *procs;
	int nprocs;
	/* the ranks view (view_ranks.c): origins is filled by the UI */
	const struct origins *origins;
	struct snap_rank *ranks;	/* sorted as st->sort asks */
	int nranks;

	void *scratch;
	size_t scratch_cap;
	/* What each view took for itself (its .take), its own allocation. */
	void *priv[VIEW_COUNT];


	struct snap_insights *ins;	/* findings (view_insights.c), or NULL */
};

#define SNAP_HEADER 1u
#define SNAP_TOTALS 2u
#define SNAP_COLS 4u
#define SNAP_LISTS 8u
#define SNAP_VIEW 16u		/* the shown view's own part (its .take) */
#define SNAP_ALL 31u

int view_snapshot_init(struct view_snapshot *s);
void view_snapshot_free(struct view_snapshot *s);
/* Copy from m (the caller holds m->lock) the parts in `what`, with ncols
 * heatmap columns as st asks (zoom, pause, scroll). */
void view_snapshot_take(struct view_snapshot *s, const struct model *m,
			const struct view_state *st, int ncols, unsigned what);

/* Keys turn into actions; actions change the state.  ui.c maps the
 * terminal's special keys (arrows, Enter, F-keys) to actions and hands
 * printable keys over as they are: view.c's table binds those. */
enum action {
	ACT_NONE, ACT_QUIT, ACT_PAUSE, ACT_BY_OPS, ACT_BY_BYTES, ACT_READS, ACT_WRITES, ACT_ALL,
	ACT_HELP, ACT_ZOOM_IN, ACT_ZOOM_OUT,
	ACT_LEFT, ACT_RIGHT, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END, ACT_SORT,
	ACT_FILTER, ACT_BACK, ACT_REDRAW, ACT_ENTER, ACT_ERASE, ACT_WHOLE
};
#define CH_REDRAW 1u		/* draw again from the same snapshot */
#define CH_SNAPSHOT 2u		/* take a new snapshot first */
#define CH_QUIT 4u
#define CH_PASS 0x100u		/* a view's key handler: not mine, go on */

#define VF_TIME 1u		/* a picture over time: scrolls, zooms, pauses */
#define VF_LIST 2u		/* a list: rows(), sorts, the shared list keys */

/* A view, whole: its key, its lines in the footer and the help, what it
 * needs in the snapshot, how it draws and (lists) how long it is. */
struct view_ops {
	const char *name;
	int key;			/* printable key that shows it, 0: none */
	const char *footer;		/* footer label, NULL: not in the footer */
	const char *help;		/* its help line */
	unsigned flags;			/* VF_* */
	unsigned snap;			/* SNAP_* parts it draws (beyond the header) */
	void (*draw)(struct grid *g, const struct view_snapshot *s,
		     const struct view_state *st, const struct glyphs *gl);
	/* VF_LIST: rows in the list now, and the orders `s` cycles through */
	int (*rows)(const struct view_snapshot *s);
	const char *const *sorts;
	int nsorts;
	/* Optional: keys of its own, asked first; c is the printable key or
	 * 0, a the action.  Returns CH_* or CH_PASS. */
	unsigned (*on_key)(struct view_state *st, int c, enum action a,
			   const struct view_snapshot *s, int page);
	/* Optional: copy what it draws beyond the shared snapshot from the
	 * model (the caller holds m->lock) into *priv, allocated on first
	 * use and kept (s->priv[its id]; draw and rows read it there);
	 * free_priv releases it with the snapshot. */
	void (*take)(void **priv, const struct model *m, const struct view_state *st);
	void (*free_priv)(void *priv);
};

#define VIEW_EXTERN(id, name) extern const struct view_ops view_##name##_ops;
VIEW_LIST(VIEW_EXTERN)
#undef VIEW_EXTERN
extern const struct view_ops *const view_table[VIEW_COUNT];

/* Parts of the screen that are not views. */
void view_header_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl);
void view_totals_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl);
void view_footer_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl);

/* Screen layout from its size, computed in one place. */
#define VIEW_MIN_W 40
#define VIEW_MIN_H 10
struct layout {
	int ok;				/* big enough */
	int header_h, totals_y, totals_h, main_y, main_h, footer_y;
};
struct layout view_layout(int w, int h);
/* Heatmap columns that fit a main area of width w. */
int view_heat_cols(int w);
/* Draw the whole screen (header, totals, current view, footer). */
void view_screen_draw(struct grid *g, const struct view_snapshot *s,
		      const struct view_state *st, const struct glyphs *gl);

void view_state_init(struct view_state *st);
/* A key: printable c (or 0) and the action ui.c made of a special key.
 * Filter editing, the view's own keys, the list keys, the views' keys and
 * the global keys, in that order.  page: list rows on screen. */
unsigned view_key(struct view_state *st, int c, enum action a, const struct view_snapshot *s,
		  int page);
/* An action alone (what view_key ends in). */
unsigned view_apply(struct view_state *st, enum action a, const struct view_snapshot *s,
		    int page);
/* Show view v (again: back to the heatmap; help: back where it was). */
void view_show(struct view_state *st, enum view_id v);
/* The shared list keys: selection, paging, sort, filter.  n rows, nsorts
 * orders.  Returns CH_* or CH_PASS when a is not a list key. */
unsigned view_list_key(struct view_list *l, int c, enum action a, int n, int nsorts, int page);
/* The global key table, for the help and a collision check:
 * *n entries; a view's key must not be one of them. */
struct view_keydef {
	int key;			/* printable key, 0: a special key (ui.c) */
	enum action action;
	const char *keyname;		/* as shown, NULL: not shown */
	const char *footer;		/* footer label, NULL: not in the footer */
	const char *help;		/* help line, NULL: not in the help */
};
const struct view_keydef *view_global_keys(int *n);
/* The printable key's global action, ACT_NONE if it has none. */
enum action view_key_action(int c);

/* The ranks view's rows (view_ranks.c), called from view_snapshot_take. */
struct origins;
void view_ranks_take(struct view_snapshot *s, const struct model *m,
		     const struct view_state *st);

/* Shared helpers for the views. */
void view_fmt_count(double v, char *buf, size_t len);
/* The heatmap the state asks for over the snapshot's columns. */
struct heat_spec;
void view_heat_spec(const struct view_snapshot *s, const struct view_state *st, int latency,
		    struct heat_spec *sp);
/* Value of size (or latency) bucket k in bin b as the state asks. */
uint64_t view_cell_value(const struct bin *b, unsigned k, const struct view_state *st,
			 int latency);

/* Findings (view_insights.c): copied with the header's part of the
 * snapshot; the worst one drawn in the header from x on row y. */
void view_insights_take(struct view_snapshot *s, const struct model *m);
void view_insights_free(struct view_snapshot *s);
int view_insights_header(struct grid *g, const struct view_snapshot *s, int x, int y,
			 const struct glyphs *gl);

/* The process picker (ui_pick_process). */
struct proc_row;
/* rows[idx[i]] for i < n are the rows that pass l's filter; help: show
 * the keys in full. */
void view_pick_draw(struct grid *g, const struct proc_row *rows, const int *idx, int n,
		    const struct view_list *l, int help, const struct glyphs *gl);
/* Does a process row pass the filter (substring of its command)? */
int view_pick_match(const struct proc_row *r, const char *filter);

#endif
