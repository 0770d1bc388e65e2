/* grid.c - the off-screen grid views draw into. */
#include <config.h>

#include "grid.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

const struct glyphs glyphs_utf8 = {
	.utf8 = 1,
	.heat = {' ', 0x00b7, ':', 0x2591, 0x2592, 0x2593, 0x2588},
	.hline = 0x2500, .vline = 0x2502, .bar = 0x2588, .bar_half = 0x258c,
	.up = 0x2191, .down = 0x2193, .ellipsis = 0x2026, .dot = 0x00b7,
};

const struct glyphs glyphs_ascii = {
	.utf8 = 0,
	.heat = {' ', '.', ':', '+', '*', '#', '@'},
	.hline = '-', .vline = '|', .bar = '#', .bar_half = '=',
	.up = '^', .down = 'v', .ellipsis = '~', .dot = '.',
};

int grid_init(struct grid *g, int w, int h)
{
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	g->c = calloc((size_t)w * (size_t)h, sizeof *g->c);
	if (!g->c)
		return -1;
	g->w = w;
	g->h = h;
	g->stride = w;
	g->owned = 1;
	grid_clear(g, ROLE_DEFAULT);
	return 0;
}

void grid_free(struct grid *g)
{
	if (g->owned)
		free(g->c);
	g->c = NULL;
	g->w = g->h = 0;
}

struct grid grid_sub(const struct grid *g, int x, int y, int w, int h)
{
	struct grid s = {0, 0, g->stride, g->c, 0};
	if (x < 0)
		x = 0;
	if (y < 0)
		y = 0;
	if (x > g->w)
		x = g->w;
	if (y > g->h)
		y = g->h;
	if (w > g->w - x)
		w = g->w - x;
	if (h > g->h - y)
		h = g->h - y;
	s.w = w > 0 ? w : 0;
	s.h = h > 0 ? h : 0;
	s.c = g->c + (size_t)y * (size_t)g->stride + (size_t)x;
	return s;
}

void grid_clear(struct grid *g, enum role r)
{
	for (int y = 0; y < g->h; y++)
		grid_fill_row(g, y, r);
}

void grid_fill_row(struct grid *g, int y, enum role r)
{
	if (y < 0 || y >= g->h)
		return;
	for (int x = 0; x < g->w; x++) {
		struct cell *c = &g->c[(size_t)y * (size_t)g->stride + (size_t)x];
		c->ch = ' ';
		c->role = (uint8_t)r;
	}
}

void grid_put(struct grid *g, int x, int y, uint32_t ch, enum role r)
{
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return;
	struct cell *c = &g->c[(size_t)y * (size_t)g->stride + (size_t)x];
	c->ch = ch;
	c->role = (uint8_t)r;
}

const struct cell *grid_at(const struct grid *g, int x, int y)
{
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return NULL;
	return &g->c[(size_t)y * (size_t)g->stride + (size_t)x];
}

/* Decode one UTF-8 sequence; returns its length, 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c < 0xe0) {
		n = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c < 0xf0) {
		n = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c < 0xf5) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
		return 0;
	*cp = v;
	return n;
}

int grid_text(struct grid *g, int x, int y, enum role r, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	while (len) {
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);
		if (!n)
			cp = '?', n = 1;
		grid_put(g, x++, y, cp, r);
		p += n;
		len -= n;
	}
	return x;
}

int grid_textf(struct grid *g, int x, int y, enum role r, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return grid_text(g, x, y, r, buf);
}

static int text_cells(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

int grid_text_right(struct grid *g, int xr, int y, enum role r, const char *s)
{
	return grid_text(g, xr - text_cells(s), y, r, s);
}

/* The escaped form of the unit at s: writes it to out (ASCII) or sets
 * *cp for a character drawn as is.  Returns the bytes consumed. */
static size_t escape_unit(const unsigned char *s, size_t len, int utf8,
			  char out[8], uint32_t *cp)
{
	out[0] = 0;
	uint32_t v;
	size_t n = utf8_decode(s, len, &v);
	if (n == 0) {
		snprintf(out, 8, "\\x%02x", s[0]);
		return 1;
	}
	if (v == '\\') {
		memcpy(out, "\\\\", 3);
	} else if (v < 0x20 || v == 0x7f) {
		snprintf(out, 8, "\\%03o", (unsigned)v);
	} else if (v < 0x7f) {
		*cp = v;
	} else if (!utf8 || v < 0xa0 || wcwidth((wchar_t)v) != 1) {
		/* C1 controls, wide or zero-width characters, or no Unicode:
		 * byte by byte (the rest then fail to decode alone) */
		snprintf(out, 8, "\\x%02x", s[0]);
		return 1;
	} else {
		*cp = v;
	}
	return n;
}

size_t grid_untrusted_width(const char *s, size_t len, int utf8)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	while (len) {
		char esc[8];
		uint32_t cp;
		size_t n = escape_unit(p, len, utf8, esc, &cp);
		w += esc[0] ? strlen(esc) : 1;
		p += n;
		len -= n;
	}
	return w;
}

int grid_text_untrusted(struct grid *g, int x, int y, int maxw, enum role r,
			const char *s, size_t len, const struct glyphs *gl)
{
	if (maxw <= 0)
		return x;
	int cut = grid_untrusted_width(s, len, gl->utf8) > (size_t)maxw;
	int room = cut ? maxw - 1 : maxw, used = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (len) {
		char esc[8];
		uint32_t cp = 0;
		size_t n = escape_unit(p, len, gl->utf8, esc, &cp);
		int w = esc[0] ? (int)strlen(esc) : 1;
		if (used + w > room)
			break;
		if (esc[0])
			grid_text(g, x + used, y, r == ROLE_SELECT ? r : ROLE_ERROR, esc);
		else
			grid_put(g, x + used, y, cp, r);
		used += w;
		p += n;
		len -= n;
	}
	if (cut)
		grid_put(g, x + used++, y, gl->ellipsis, ROLE_DIM);
	return x + used;
}

static size_t utf8_encode(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

char *grid_row_text(const struct grid *g, int y, char *buf, size_t len)
{
	size_t o = 0;
	if (!len)
		return buf;
	for (int x = 0; y >= 0 && y < g->h && x < g->w; x++) {
		char tmp[4];
		size_t n = utf8_encode(g->c[(size_t)y * (size_t)g->stride + (size_t)x].ch, tmp);
		if (o + n + 1 > len)
			break;
		memcpy(buf + o, tmp, n);
		o += n;
	}
	buf[o] = 0;
	return buf;
}
