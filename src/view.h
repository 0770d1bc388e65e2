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

enum view_id {
	VIEW_HEATMAP, VIEW_LATENCY, VIEW_HISTOGRAM, VIEW_FILES, VIEW_PROCS,
	VIEW_RANKS, VIEW_HELP, VIEW_COUNT
};
enum color_by { BY_OPS, BY_BYTES };
enum dir_sel { DIR_ALL, DIR_READ, DIR_WRITE };
enum file_sort { SORT_OPS, SORT_BYTES, SORT_LAT, SORT_COUNT };
enum run_state { RS_RUNNING, RS_EXITED, RS_KILLED, RS_DETACHED, RS_FINISHED };

#define ZOOM_MAX 64
#define SNAP_MAX_COLS 512
#define SNAP_MAX_ROWS 1000	/* files and processes kept per snapshot */

/* What the user chose: owned by the UI, changed only by view_apply(). */
struct view_state {
	enum view_id view, prev;	/* prev: where help returns */
	enum color_by by;
	enum dir_sel dir;
	int zoom;			/* intervals per heatmap column */
	int paused;
	int64_t pause_end;		/* newest interval shown while paused */
	int64_t scroll;			/* columns back from pause_end */
	enum file_sort sort;
	char filter[128];		/* files: substring of the path */
	int editing;			/* typing the filter */
	int sel, top;			/* list selection, first row shown */
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
	struct totals tot;
	struct bin now;			/* the last whole interval */
	int64_t now_idx;		/* interval index of "now" */
	int64_t oldest_idx;		/* oldest interval the ring still holds */

	/* heatmap columns: cols[i] sums intervals of column group
	 * first_group + i, each zoom intervals wide; newest at the right */
	int ncols, zoom;
	int64_t first_group;
	struct bin *cols;

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
};

#define SNAP_HEADER 1u
#define SNAP_TOTALS 2u
#define SNAP_COLS 4u
#define SNAP_LISTS 8u
#define SNAP_ALL 15u

int view_snapshot_init(struct view_snapshot *s);
void view_snapshot_free(struct view_snapshot *s);
/* Copy from m (the caller holds m->lock) the parts in `what`, with ncols
 * heatmap columns as st asks (zoom, pause, scroll). */
void view_snapshot_take(struct view_snapshot *s, const struct model *m,
			const struct view_state *st, int ncols, unsigned what);

struct view_ops {
	const char *name;
	int key;			/* the key that shows it */
	void (*draw)(struct grid *g, const struct view_snapshot *s,
		     const struct view_state *st, const struct glyphs *gl);
};

extern const struct view_ops view_heatmap_ops, view_latency_ops, view_histogram_ops,
	view_files_ops, view_procs_ops, view_help_ops, view_ranks_ops;
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

/* Keys turn into actions (ui.c's table); actions change the state. */
enum action {
	ACT_NONE, ACT_QUIT, ACT_PAUSE, ACT_BY_OPS, ACT_BY_BYTES, ACT_READS, ACT_WRITES, ACT_ALL,
	ACT_LATENCY, ACT_HISTOGRAM, ACT_FILES, ACT_PROCS, ACT_HELP, ACT_ZOOM_IN, ACT_ZOOM_OUT,
	ACT_LEFT, ACT_RIGHT, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END, ACT_SORT,
	ACT_FILTER, ACT_BACK, ACT_REDRAW, ACT_RANKS
};
#define CH_REDRAW 1u		/* draw again from the same snapshot */
#define CH_SNAPSHOT 2u		/* take a new snapshot first */
#define CH_QUIT 4u
void view_state_init(struct view_state *st);
unsigned view_apply(struct view_state *st, enum action a, const struct view_snapshot *s,
		    int page);
/* Filter editing: a typed byte, backspace (-1), accept (-2), cancel (-3). */
unsigned view_filter_key(struct view_state *st, int c);

/* The ranks view's rows (view_ranks.c), called from view_snapshot_take. */
struct origins;
void view_ranks_take(struct view_snapshot *s, const struct model *m,
		     const struct view_state *st);

/* Shared helpers for the views. */
void view_fmt_count(double v, char *buf, size_t len);
/* Value of size (or latency) bucket k in bin b as the state asks. */
uint64_t view_cell_value(const struct bin *b, unsigned k, const struct view_state *st,
			 int latency);

/* The process picker (ui_pick_process). */
struct proc_row;
void view_pick_draw(struct grid *g, const struct proc_row *rows, int n, int sel, int top,
		    const struct glyphs *gl);

#endif
