/* grid.h - an off-screen grid of cells (glyph + colour role).
 *
 * Views draw into a grid; ui.c blits it to curses and unit tests read it
 * back as text.  Pure: no curses, no terminal, no clock.  A grid may be a
 * window into a larger one (grid_sub): same cells, own origin and size,
 * drawing clipped to it. */
#ifndef IOPSTOP_GRID_H
#define IOPSTOP_GRID_H

#include <stddef.h>
#include <stdint.h>

/* Semantic colour roles; ui.c maps them to attributes per theme. */
enum role {
	ROLE_DEFAULT = 0,
	ROLE_TITLE,		/* header bar */
	ROLE_LABEL,		/* axis labels, column heads */
	ROLE_DIM,		/* secondary text */
	ROLE_READ,
	ROLE_WRITE,
	ROLE_META,
	ROLE_ERROR,
	ROLE_RUNNING,
	ROLE_DONE,
	ROLE_PAUSED,
	ROLE_SELECT,		/* selected list row */
	ROLE_KEY,		/* key names in the footer and help */
	ROLE_FOOTER,
	ROLE_BAR,		/* histogram bars */
	ROLE_HEAT_0,		/* empty heat cell; ROLE_HEAT_0 + level */
	ROLE_HEAT_1, ROLE_HEAT_2, ROLE_HEAT_3, ROLE_HEAT_4, ROLE_HEAT_5, ROLE_HEAT_6,
	ROLE_COUNT
};
#define HEAT_LEVELS 6

struct cell {
	uint32_t ch;		/* Unicode code point, width 1 */
	uint8_t role;
};

struct grid {
	int w, h, stride;
	struct cell *c;		/* row y starts at c + y * stride */
	int owned;
};

/* Glyphs decided once at start: Unicode or ASCII. */
struct glyphs {
	int utf8;
	uint32_t heat[HEAT_LEVELS + 1];	/* [0] = empty */
	uint32_t hline, vline, bar, bar_half, up, down, ellipsis, dot;
};
extern const struct glyphs glyphs_utf8, glyphs_ascii;

int grid_init(struct grid *g, int w, int h);	/* 0 or -1 */
void grid_free(struct grid *g);
/* A window of g; drawing into it is clipped to it. */
struct grid grid_sub(const struct grid *g, int x, int y, int w, int h);
void grid_clear(struct grid *g, enum role r);
void grid_put(struct grid *g, int x, int y, uint32_t ch, enum role r);
const struct cell *grid_at(const struct grid *g, int x, int y);
void grid_fill_row(struct grid *g, int y, enum role r);
/* Plain ASCII/UTF-8 text, drawn as is (the caller's own strings).
 * Returns the column after it. */
int grid_text(struct grid *g, int x, int y, enum role r, const char *s);
int grid_textf(struct grid *g, int x, int y, enum role r, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Right-aligned so that it ends before column xr. */
int grid_text_right(struct grid *g, int xr, int y, enum role r, const char *s);
/* Untrusted bytes (file names, command lines): printable characters as
 * they are, controls as \ooo, bad UTF-8 and C1 as \xNN, backslash as \\,
 * and (without utf8) anything not ASCII as \xNN.  At most maxw cells;
 * a cut is marked with gl->ellipsis.  Returns the column after it. */
int grid_text_untrusted(struct grid *g, int x, int y, int maxw, enum role r,
			const char *s, size_t len, const struct glyphs *gl);
/* Cells needed for grid_text_untrusted of s (uncut). */
size_t grid_untrusted_width(const char *s, size_t len, int utf8);
/* Row y as UTF-8 (tests, dumps); trailing spaces kept.  Returns buf. */
char *grid_row_text(const struct grid *g, int y, char *buf, size_t len);

#endif
