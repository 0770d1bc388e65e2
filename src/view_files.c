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
	int y = 1;
	grid_text_right(g, 8, y, ROLE_READ, "rd ops");
	grid_text_right(g, 16, y, ROLE_WRITE, "wr ops");
	grid_text_right(g, 23, y, ROLE_META, "meta");
	grid_text_right(g, 30, y, ROLE_READ, "read");
	grid_text_right(g, 37, y, ROLE_WRITE, "write");
	grid_text_right(g, 45, y, ROLE_LABEL, "time");
	grid_text_right(g, 51, y, ROLE_ERROR, "err");
	grid_text(g, 52, y, ROLE_LABEL, "path");
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
		char a[16], b[16], c[16], d[16], e[16], t[16], er[16];
		view_fmt_count((double)f->ops[0], a, sizeof a);
		view_fmt_count((double)f->ops[1], b, sizeof b);
		view_fmt_count((double)f->ops[2], c, sizeof c);
		bucket_fmt_bytes((double)f->bytes[0], d, sizeof d);
		bucket_fmt_bytes((double)f->bytes[1], e, sizeof e);
		bucket_fmt_us((double)f->dur_us, t, sizeof t);
		view_fmt_count((double)f->errors, er, sizeof er);
		grid_text_right(g, 8, yy, r, a);
		grid_text_right(g, 16, yy, r, b);
		grid_text_right(g, 23, yy, r, c);
		grid_text_right(g, 30, yy, r, d);
		grid_text_right(g, 37, yy, r, e);
		grid_text_right(g, 45, yy, r, t);
		grid_text_right(g, 51, yy, f->errors && r != ROLE_SELECT ? ROLE_ERROR : r, er);
		/* long paths lose their head: the file name is what tells */
		const char *nm = f->name;
		size_t nl = f->len;
		int room = g->w - 52;
		if (room > 1 && grid_untrusted_width(nm, nl, gl->utf8) > (size_t)room) {
			while (nl && grid_untrusted_width(nm, nl, gl->utf8) > (size_t)room - 1) {
				nm++, nl--;
				while (nl && (*(const unsigned char *)nm & 0xc0) == 0x80)
					nm++, nl--;
			}
			grid_put(g, 52, yy, gl->ellipsis, ROLE_DIM);
			grid_text_untrusted(g, 53, yy, room - 1, r, nm, nl, gl);
		} else {
			grid_text_untrusted(g, 52, yy, room, r, nm, nl, gl);
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
