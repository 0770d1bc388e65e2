/* report_svg.c - the whole-run heatmap and histogram as SVG.
 *
 * Each non-empty heatmap cell is one <rect class="cell"> carrying its time,
 * size bucket and counts as data-* attributes (the same cells as the JSON
 * "heatmap"), so tests and scripts can check the picture. */
#include <config.h>

#include "report_svg.h"
#include "findings.h"
#include "bucket.h"
#include "model.h"
#include "report_text.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define W 960
#define LEFT 70
#define PLOT_W 760
#define TOP 50
#define HM_H 320
#define HIST_TOP (TOP + HM_H + 90)
#define HIST_H 160
#define H (HIST_TOP + HIST_H + 60)

/* Text content and attribute values: escape the five XML specials. */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
				fputc(*s, f);
			else
				fputc('?', f);
		}
	}
}

static void text(FILE *f, double x, double y, const char *anchor, const char *cls,
		 const char *s)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y,
		anchor, cls);
	xml_text(f, s);
	fputs("</text>\n", f);
}

/* A sequential palette (light yellow to dark purple), v in 0..1. */
static void color(double v, char *buf, size_t len)
{
	static const double stops[][3] = {
		{255, 255, 204}, {254, 217, 118}, {253, 141, 60},
		{227, 26, 28}, {128, 0, 38}, {50, 0, 60},
	};
	const int n = sizeof stops / sizeof *stops;
	if (v < 0)
		v = 0;
	if (v > 1)
		v = 1;
	double p = v * (n - 1);
	int i = (int)p;
	if (i >= n - 1)
		i = n - 2;
	double t = p - i;
	int rgb[3];
	for (int c = 0; c < 3; c++)
		rgb[c] = (int)(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * t + 0.5);
	snprintf(buf, len, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

static double level(uint64_t v, uint64_t max)
{
	if (max <= 1)
		return 1;
	return log((double)v) / log((double)max);
}

static double nice_step(double span, int ticks)
{
	double raw = span / ticks;
	double p = pow(10, floor(log10(raw)));
	for (int i = 0; i < 3; i++) {
		static const double mult[] = {1, 2, 5};
		if (mult[i] * p >= raw)
			return mult[i] * p;
	}
	return 10 * p;
}

static void fmt_secs(double s, char *buf, size_t len)
{
	snprintf(buf, len, "%gs", fabs(s) < 1e-9 ? 0 : s);
}

#define FIND_LINE 14
#define FIND_LINES 3	/* per finding: id and evidence, advice in two */
#define FIND_CHARS 150	/* an advice line, at 11px sans-serif in W */

/* The findings under the picture, from y on. */
static void svg_findings(FILE *f, const struct model *m, const struct findings *fs, int y)
{
	text(f, LEFT, y, "start", "t", "findings");
	y += 8;
	for (int i = 0; i < fs->n; i++) {
		const struct finding *fi = &fs->list[i];
		const struct finding_rule *r = &findings_rules[fi->rule];
		char line[400];
		y += FIND_LINE + 4;
		snprintf(line, sizeof line, "[%s] %s: %s (%.0f%% of I/O time)", r->id,
			 findings_sev_name(fi->severity), fi->evidence, fi->share * 100);
		text(f, LEFT, y, "start", "a", line);
		const char *a = r->advice;
		for (int k = 1; k < FIND_LINES && *a; k++) {
			size_t len = strlen(a), cut = len;
			if (len > FIND_CHARS && k < FIND_LINES - 1) {
				cut = FIND_CHARS;
				while (cut > 0 && a[cut] != ' ')
					cut--;
			}
			if (cut >= sizeof line)
				cut = sizeof line - 1;
			memcpy(line, a, cut);
			line[cut] = '\0';
			y += FIND_LINE;
			text(f, LEFT + 16, y, "start", "a", line);
			a += cut;
			while (*a == ' ')
				a++;
		}
	}
	(void)m;
}

void report_svg(FILE *f, const struct model *m)
{
	const struct findings *fs = model_findings(m);
	int nf = fs ? fs->n : 0;
	int svg_h = H + (nf ? 30 + nf * (FIND_LINES * FIND_LINE + 4) : 0);
	int used = report_wr_cols(m);
	double col_s = (double)m->wr_width_us / 1e6;
	double span = used * col_s;
	uint64_t max = 0;
	int lo = NBUCKETS, hi = -1;
	for (int c = 0; c < used; c++)
		for (int k = 0; k < NBUCKETS; k++) {
			uint64_t v = (uint64_t)m->wr[c].ops[0][k] + m->wr[c].ops[1][k];
			if (!v)
				continue;
			if (v > max)
				max = v;
			if (k < lo)
				lo = k;
			if (k > hi)
				hi = k;
		}
	if (hi < 0) {
		lo = 0;
		hi = 0;
	}
	/* Show at least 0..1M when it fits, for a stable picture. */
	if (lo > 0)
		lo = 0;
	if (hi < 21)
		hi = 21;
	int rows = hi - lo + 1;
	double rh = (double)HM_H / rows, cw = (double)PLOT_W / used;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">\n",
		W, svg_h, W, svg_h);
	fputs("<style>.t{font-size:15px;font-weight:bold}.a{fill:#333}"
	      ".cell{shape-rendering:crispEdges}</style>\n", f);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, svg_h);
	text(f, LEFT, 24, "start", "t", "iopstop: read+write operations by size over time");

	/* Heatmap frame and cells. */
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\" "
		"stroke=\"#888\"/>\n<g class=\"heatmap\">\n", LEFT, TOP, PLOT_W, HM_H);
	for (int c = 0; c < used; c++) {
		const struct bin *b = &m->wr[c];
		for (int k = lo; k <= hi; k++) {
			uint64_t r = b->ops[0][k], w = b->ops[1][k];
			if (!r && !w)
				continue;
			char col[16], lbl[16];
			color(level(r + w, max), col, sizeof col);
			bucket_label((unsigned)k, lbl, sizeof lbl);
			double y = TOP + (hi - k) * rh;
			fprintf(f, "<rect class=\"cell\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
				"height=\"%.2f\" fill=\"%s\" data-t=\"%.6f\" data-lo=\"%llu\" "
				"data-read-ops=\"%u\" data-write-ops=\"%u\"><title>%.6g s, size %s: "
				"%u reads, %u writes</title></rect>\n",
				LEFT + c * cw, y, cw, rh, col, c * col_s,
				(unsigned long long)bucket_lo((unsigned)k), b->ops[0][k],
				b->ops[1][k], c * col_s, lbl, b->ops[0][k], b->ops[1][k]);
		}
	}
	fputs("</g>\n", f);

	/* Y axis: size labels, thinned to fit. */
	int every = rh >= 11 ? 1 : rh >= 5.5 ? 2 : 4;
	for (int k = lo; k <= hi; k++) {
		if ((k - lo) % every)
			continue;
		char lbl[16];
		bucket_label((unsigned)k, lbl, sizeof lbl);
		text(f, LEFT - 6, TOP + (hi - k) * rh + rh / 2 + 4, "end", "a", lbl);
	}
	fprintf(f, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
		"text-anchor=\"middle\" class=\"a\">size (bytes, log2)</text>\n",
		TOP + HM_H / 2, TOP + HM_H / 2);

	/* X axis: time in seconds. */
	double step = nice_step(span, 8);
	for (double t = 0; t <= span * 1.0000001; t += step) {
		double x = LEFT + t / span * PLOT_W;
		char lbl[32];
		fmt_secs(t, lbl, sizeof lbl);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>\n",
			x, TOP + HM_H, x, TOP + HM_H + 5);
		text(f, x, TOP + HM_H + 18, "middle", "a", lbl);
	}
	text(f, LEFT + PLOT_W / 2.0, TOP + HM_H + 34, "middle", "a", "time (s)");

	/* Legend: the log colour scale. */
	int lx = LEFT + PLOT_W + 20, ly = TOP, lh = 200;
	fputs("<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">", f);
	for (int i = 0; i <= 10; i++) {
		char col[16];
		color(i / 10.0, col, sizeof col);
		fprintf(f, "<stop offset=\"%.1f\" stop-color=\"%s\"/>", i / 10.0, col);
	}
	fputs("</linearGradient></defs>\n", f);
	fprintf(f, "<g class=\"legend\"><rect x=\"%d\" y=\"%d\" width=\"16\" height=\"%d\" "
		"fill=\"url(#scale)\" stroke=\"#888\"/>\n", lx, ly, lh);
	char buf[64];
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)(max ? max : 1));
	text(f, lx + 20, ly + 10, "start", "a", buf);
	text(f, lx + 20, ly + lh, "start", "a", "1");
	text(f, lx, ly + lh + 18, "start", "a", "ops/cell");
	text(f, lx, ly + lh + 32, "start", "a", "(log)");
	snprintf(buf, sizeof buf, "cell: %g s", col_s);
	text(f, lx, ly + lh + 50, "start", "a", buf);
	fputs("</g>\n", f);

	/* Histogram: reads and writes per size bucket, side by side. */
	const struct totals *T = &m->tot;
	uint64_t hmax = 0;
	for (int k = lo; k <= hi; k++) {
		if (T->hist_ops[0][k] > hmax)
			hmax = T->hist_ops[0][k];
		if (T->hist_ops[1][k] > hmax)
			hmax = T->hist_ops[1][k];
	}
	text(f, LEFT, HIST_TOP - 14, "start", "t", "size histogram (ops)");
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
		"stroke=\"#888\"/>\n<g class=\"histogram\">\n", LEFT, HIST_TOP, PLOT_W, HIST_H);
	double bw = (double)PLOT_W / rows;
	for (int k = lo; k <= hi; k++) {
		double x = LEFT + (k - lo) * bw;
		for (int d = 0; d < 2; d++) {
			uint64_t v = T->hist_ops[d][k];
			if (!v)
				continue;
			double h = hmax ? (double)v / (double)hmax * (HIST_H - 4) : 0;
			fprintf(f, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
				"height=\"%.2f\" fill=\"%s\" data-lo=\"%llu\" data-%s-ops=\"%llu\">"
				"<title>%llu %s</title></rect>\n",
				x + bw * (0.1 + 0.4 * d), HIST_TOP + HIST_H - h, bw * 0.4, h,
				d ? "#d95f02" : "#1b9e77", (unsigned long long)bucket_lo((unsigned)k),
				d ? "write" : "read", (unsigned long long)v,
				(unsigned long long)v, d ? "writes" : "reads");
		}
		if ((k - lo) % (bw >= 22 ? 1 : 2) == 0) {
			char lbl[16];
			bucket_label((unsigned)k, lbl, sizeof lbl);
			text(f, x + bw / 2, HIST_TOP + HIST_H + 14, "middle", "a", lbl);
		}
	}
	fputs("</g>\n", f);
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)hmax);
	text(f, LEFT - 6, HIST_TOP + 8, "end", "a", buf);
	text(f, LEFT - 6, HIST_TOP + HIST_H, "end", "a", "0");
	text(f, LEFT + PLOT_W / 2.0, HIST_TOP + HIST_H + 32, "middle", "a",
	     "operation size (bytes, lower bound of each log2 bucket)");
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#1b9e77\"/>\n",
		LEFT + PLOT_W + 20, HIST_TOP);
	text(f, LEFT + PLOT_W + 34, HIST_TOP + 9, "start", "a", "reads");
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#d95f02\"/>\n",
		LEFT + PLOT_W + 20, HIST_TOP + 16);
	text(f, LEFT + PLOT_W + 34, HIST_TOP + 25, "start", "a", "writes");
	if (nf)
		svg_findings(f, m, fs, H + 10);
	fputs("</svg>\n", f);
}

int report_svg_file(const char *path, const struct model *m)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (!f) {
		fprintf(stderr, "iopstop: --svg %s: %s\n", path, strerror(errno));
		return -1;
	}
	report_svg(f, m);
	int bad = ferror(f);
	if (f == stdout)
		bad |= fflush(f) != 0;
	else
		bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "iopstop: writing --svg %s failed\n", path);
		return -1;
	}
	return 0;
}
