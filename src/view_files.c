/* view_files.c - the busiest files, sortable, filtered by path. */
#include <config.h>

#include "view.h"


#include <stdio.h>
#include <string.h>

static void files_draw(struct grid *g, const struct view_snapshot *s,
		       const struct view_state *st, const struct glyphs *gl)
{
	const struct view_list *l = &st->list[VIEW_FILES];
	int x = grid_textf(g, 0, 0, ROLE_LABEL, "Files: %llu, by %s (s: sort, /: filter)",
			   (unsigned long long)s->files_matching, view_files_ops.sorts[l->sort]);
	if (l->filter[0]) {
		x = grid_text(g, x + 1, 0, ROLE_LABEL, " filter:");
		grid_text_untrusted(g, x + 1, 0, g->w - x - 2, ROLE_PAUSED, l->filter,
				    strlen(l->filter), gl);
	}
	/* Numeric columns by how much they tell; narrow, the path keeps at
	 * least PATH_MIN cells and the least telling numbers go first. */
	enum { C_RD, C_WR, C_META, C_RB, C_WB, C_TIME, C_ERR, NC };
	static const struct {
		const char *head;
		int w;
		enum role role;
	} cols[NC] = {
		[C_RD] = {"rd ops", 8, ROLE_READ}, [C_WR] = {"wr ops", 8, ROLE_WRITE},
		[C_META] = {"meta", 7, ROLE_META}, [C_RB] = {"read", 7, ROLE_READ},
		[C_WB] = {"write", 7, ROLE_WRITE}, [C_TIME] = {"time", 8, ROLE_LABEL},
		[C_ERR] = {"err", 6, ROLE_ERROR},
	};
	static const int keep_order[NC] = {C_RD, C_WR, C_RB, C_WB, C_META, C_ERR, C_TIME};
	const int PATH_MIN = g->w < 60 ? g->w / 2 : 28;
	int on[NC] = {0}, used = 0;
	for (int i = 0; i < NC; i++) {
		int c = keep_order[i];
		if (used + cols[c].w + PATH_MIN <= g->w) {
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
	int px = xr + 1;		/* the path column */
	int y = 1;
	for (int c = 0; c < NC; c++)
		if (on[c])
			grid_text_right(g, right[c], y, cols[c].role, cols[c].head);
	grid_text(g, px, y, ROLE_LABEL, "path");
	int page = g->h - 2;
	int top = l->top;
	if (l->sel >= top + page)
		top = l->sel - page + 1;
	for (int i = 0; i < page && top + i < s->nfiles; i++) {
		const struct snap_file *f = &s->files[top + i];
		int yy = 2 + i;
		enum role r = top + i == l->sel ? ROLE_SELECT : ROLE_DEFAULT;
		if (r == ROLE_SELECT)
			grid_fill_row(g, yy, r);
		char v[NC][16];
		view_fmt_count((double)f->ops[0], v[C_RD], sizeof v[0]);
		view_fmt_count((double)f->ops[1], v[C_WR], sizeof v[0]);
		view_fmt_count((double)f->ops[2], v[C_META], sizeof v[0]);
		bucket_fmt_bytes((double)f->bytes[0], v[C_RB], sizeof v[0]);
		bucket_fmt_bytes((double)f->bytes[1], v[C_WB], sizeof v[0]);
		bucket_fmt_us((double)f->dur_us, v[C_TIME], sizeof v[0]);
		view_fmt_count((double)f->errors, v[C_ERR], sizeof v[0]);
		for (int c = 0; c < NC; c++)
			if (on[c])
				grid_text_right(g, right[c], yy, c == C_ERR && f->errors &&
						r != ROLE_SELECT ? ROLE_ERROR : r, v[c]);
		/* long paths lose their head: the file name is what tells */
		const char *nm = f->name;
		size_t nl = f->len;
		int room = g->w - px;
		if (room > 1 && grid_untrusted_width(nm, nl, gl->utf8) > (size_t)room) {
			while (nl && grid_untrusted_width(nm, nl, gl->utf8) > (size_t)room - 1) {
				nm++, nl--;
				while (nl && (*(const unsigned char *)nm & 0xc0) == 0x80)
					nm++, nl--;
			}
			grid_put(g, px, yy, gl->ellipsis, ROLE_DIM);
			grid_text_untrusted(g, px + 1, yy, room - 1, r, nm, nl, gl);
		} else {
			grid_text_untrusted(g, px, yy, room, r, nm, nl, gl);
		}
	}
	if (s->nfiles == 0)
		grid_text(g, 2, 2, ROLE_DIM, l->filter[0] ? "no file matches the filter"
							   : "no file I/O seen yet");
}

static int files_rows(const struct view_snapshot *s)
{
	return s->nfiles;
}

static const char *const files_sorts[] = {"ops", "bytes", "time in calls"};
_Static_assert(sizeof files_sorts / sizeof files_sorts[0] == SORT_COUNT, "a name per sort");

const struct view_ops view_files_ops = {
	.name = "files", .key = 'f', .footer = "files", .help = "files: s sort, / filter, Up/Down",
	.flags = VF_LIST, .snap = SNAP_TOTALS | SNAP_LISTS, .draw = files_draw,
	.rows = files_rows, .sorts = files_sorts, .nsorts = SORT_COUNT,
};
