/* report_svg.c - the whole run as one SVG: title, totals, the heatmap with
 * its metadata band, and the ops and bytes histograms.
 *
 * Each non-empty heatmap cell is one <rect class="cell"> carrying its time,
 * size bucket and counts as data-* attributes (the same cells as the JSON
 * "heatmap"); band cells are <rect class="meta-cell" data-fam=...>.  The
 * shades are heat.c's scale, so the picture reads like the live view.
 * Labels are thinned by their width, so no two text boxes meet. */
#include <config.h>

#include "report_svg.h"
#include "findings.h"
#include "bucket.h"
#include "heat.h"
#include "model.h"
#include "report.h"
#include "report_text.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#define W 980
#define LEFT 80
#define PLOT_W 740
#define TOP 96
#define HM_H 300
#define FONT 11
#define CHAR_W 6.6		/* a generous sans-serif advance at FONT */

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

static double text_w(const char *s)
{
	return (double)strlen(s) * CHAR_W;
}

/* heat.c's shades, 1..HEAT_LEVELS, light yellow to dark purple. */
static const char *const shade[HEAT_LEVELS + 1] = {
	"#f4f4f4", "#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026", "#32003c",
};

/* Thin labels spaced `gap` px apart (centres) so that each of width w fits:
 * every 1, 2, 5, 10 or 20 buckets, counted from bucket 1 so that 1, 1K, 1M
 * keep their labels when they can. */
static int thin_every(double gap, double w)
{
	static const int steps[] = {1, 2, 5, 10, 20, 40};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i] * gap >= w + 4)
			return steps[i];
	return 40;
}

static int thin_shows(int k, int every)
{
	return ((k - 1) % every + every) % every == 0;
}

static void fmt_date(int64_t start_us, char *buf, size_t len)
{
	time_t t = start_us > 100000000000000LL ? (time_t)(start_us / 1000000) : time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* "111 KiB", "512 B": binary units, named. */
static void fmt_bytes_unit(uint64_t v, char *buf, size_t len)
{
	char n[16];
	bucket_fmt_bytes((double)v, n, sizeof n);
	size_t l = strlen(n);
	if (l && n[l - 1] >= 'A' && n[l - 1] <= 'Z') {
		char u = n[l - 1];
		n[l - 1] = 0;
		snprintf(buf, len, "%s %ciB", n, u);
	} else {
		snprintf(buf, len, "%s B", n);
	}
}

static void title_block(FILE *f, const struct model *m, const struct run_info *ri)
{
	char cmd[96] = "", buf[400];	/* 96: the title stays inside the page */
	size_t off = 0;
	for (char *const *a = ri && ri->command ? ri->command : NULL; a && *a; a++) {
		int n = snprintf(cmd + off, sizeof cmd - off, "%s%s", off ? " " : "", *a);
		if (n < 0 || (size_t)n >= sizeof cmd - off) {
			strcpy(cmd + sizeof cmd - 4, "...");
			break;
		}
		off += (size_t)n;
	}
	if (!cmd[0] && ri && ri->npids)
		snprintf(cmd, sizeof cmd, "pid %d", ri->pids[0]);
	snprintf(buf, sizeof buf, "iopstop: %s", cmd[0] ? cmd : "the run");
	fputs("<g class=\"title\">\n", f);
	text(f, LEFT, 24, "start", "t", buf);
	char date[64];
	fmt_date(m->start_us, date, sizeof date);
	double el = ri && ri->elapsed_s > 0 ? ri->elapsed_s : model_elapsed_s(m);
	snprintf(buf, sizeof buf, "%s, backend %s, elapsed %.3g s%s", date,
		 ri && ri->backend ? ri->backend : "?", el,
		 ri && ri->exit_status >= 0 ? "" : "");
	if (ri && ri->exit_status >= 0) {
		size_t l = strlen(buf);
		snprintf(buf + l, sizeof buf - l, ", exit %d", ri->exit_status);
	}
	text(f, LEFT, 42, "start", "a", buf);
	const struct totals *T = &m->tot;
	char rb[32], wb[32];
	fmt_bytes_unit(T->bytes[0], rb, sizeof rb);
	fmt_bytes_unit(T->bytes[1], wb, sizeof wb);
	snprintf(buf, sizeof buf, "totals: read %llu ops, %s; write %llu ops, %s; "
		 "metadata %llu calls; errors %llu",
		 (unsigned long long)T->ops[OPC_READ], rb, (unsigned long long)T->ops[OPC_WRITE],
		 wb, (unsigned long long)T->ops[OPC_META],
		 (unsigned long long)(T->errors[0] + T->errors[1] + T->errors[2]));
	text(f, LEFT, 58, "start", "a totals", buf);
	fputs("</g>\n", f);
}

/* A bar chart of one quantity per size bucket, reads and writes apart. */
static void hist_panel(FILE *f, double x0, double y0, double w, double h, int lo, int hi,
		       const uint64_t v[2][NBUCKETS], int bytes, const char *title)
{
	uint64_t vmax = 0;
	for (int k = lo; k <= hi; k++)
		for (int d = 0; d < 2; d++)
			if (v[d][k] > vmax)
				vmax = v[d][k];
	text(f, x0, y0 - 10, "start", "t2", title);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
		"stroke=\"#888\"/>\n<g class=\"histogram\" data-what=\"%s\">\n", x0, y0, w, h,
		bytes ? "bytes" : "ops");
	int n = hi - lo + 1;
	double bw = w / n;
	for (int k = lo; k <= hi; k++) {
		double x = x0 + (k - lo) * bw;
		for (int d = 0; d < 2; d++) {
			uint64_t val = v[d][k];
			if (!val)
				continue;
			double bh = vmax ? (double)val / (double)vmax * (h - 4) : 0;
			fprintf(f, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
				"height=\"%.2f\" fill=\"%s\" data-lo=\"%llu\" data-%s-%s=\"%llu\">"
				"<title>%llu %s</title></rect>\n",
				x + bw * (0.1 + 0.4 * d), y0 + h - bh, bw * 0.4, bh,
				d ? "#d95f02" : "#1b9e77", (unsigned long long)bucket_lo((unsigned)k),
				d ? "write" : "read", bytes ? "bytes" : "ops",
				(unsigned long long)val, (unsigned long long)val,
				d ? "writes" : "reads");
		}
	}
	fputs("</g>\n", f);
	int every = thin_every(bw, text_w("128K"));
	for (int k = lo; k <= hi; k++) {
		if (!thin_shows(k, every))
			continue;
		char lbl[16];
		bucket_label((unsigned)k, lbl, sizeof lbl);
		text(f, x0 + (k - lo) * bw + bw / 2, y0 + h + 14, "middle", "a", lbl);
	}
	char buf[32];
	if (bytes)
		bucket_fmt_bytes((double)vmax, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)vmax);
	text(f, x0 - 4, y0 + 9, "end", "a", buf);
	text(f, x0 - 4, y0 + h, "end", "a", "0");
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

void report_svg(FILE *f, const struct model *m, const struct run_info *ri)
{
	const struct findings *fs = model_findings(m);
	int nf = fs ? fs->n : 0;
	int used = report_wr_cols(m);
	double col_s = (double)m->wr_width_us / 1e6;
	double span = used * col_s;
	/* size rows: the sizes seen, at least 0..1M for a stable picture */
	int lo = NBUCKETS, hi = -1;
	uint64_t max = 0;
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
	if (hi < 0)
		lo = hi = 0;
	if (lo > 0)
		lo = 0;
	if (hi < 21)
		hi = 21;
	/* the band: a row per metadata family seen */
	unsigned band = heat_band_of(&m->tot);
	int fams[FAM_COUNT], nband = 0;
	for (int fa = 1; fa < FAM_COUNT; fa++)
		if (band & (1u << fa))
			fams[nband++] = fa;
	for (int c = 0; c < used; c++)
		for (int i = 0; i < nband; i++)
			if (m->wr[c].fam[fams[i]] > max)
				max = m->wr[c].fam[fams[i]];
	uint64_t th[HEAT_LEVELS];
	heat_scale(max, th);

	int rows = hi - lo + 1;
	double rh = (double)HM_H / rows, cw = (double)PLOT_W / used;
	double bh = rh < 14 ? 14 : rh;	/* band rows: tall enough for a label */
	double band_top = TOP + HM_H + (nband ? 6 : 0);
	double axis_y = band_top + nband * bh;
	double hist_top = axis_y + 90;
	double hist_h = 150;
	int H = (int)(hist_top + hist_h + 60);
	int svg_h = H + (nf ? 30 + nf * (FIND_LINES * FIND_LINE + 4) : 0);

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"%d\">\n",
		W, svg_h, W, svg_h, FONT);
	fputs("<style>.t{font-size:15px;font-weight:bold}.t2{font-size:12px;font-weight:bold}"
	      ".a{fill:#333}.m{fill:#7b3294}.cell,.meta-cell{shape-rendering:crispEdges}"
	      "</style>\n", f);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, svg_h);
	title_block(f, m, ri);
	text(f, LEFT, TOP - 10, "start", "t2",
	     "read+write ops by size over time; metadata calls by family below");

	/* Heatmap frame and cells. */
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
		"stroke=\"#888\"/>\n<g class=\"heatmap\">\n", LEFT, TOP, PLOT_W, HM_H, shade[0]);
	for (int c = 0; c < used; c++) {
		const struct bin *b = &m->wr[c];
		for (int k = lo; k <= hi; k++) {
			uint64_t r = b->ops[0][k], w = b->ops[1][k];
			if (!r && !w)
				continue;
			char lbl[16];
			bucket_label((unsigned)k, lbl, sizeof lbl);
			double y = TOP + (hi - k) * rh;
			fprintf(f, "<rect class=\"cell\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
				"height=\"%.2f\" fill=\"%s\" data-t=\"%.6f\" data-lo=\"%llu\" "
				"data-read-ops=\"%u\" data-write-ops=\"%u\"><title>%.6g s, size %s: "
				"%u reads, %u writes</title></rect>\n",
				LEFT + c * cw, y, cw, rh, shade[heat_level(r + w, th)], c * col_s,
				(unsigned long long)bucket_lo((unsigned)k), b->ops[0][k],
				b->ops[1][k], c * col_s, lbl, b->ops[0][k], b->ops[1][k]);
		}
	}
	fputs("</g>\n", f);

	/* The metadata band, same scale. */
	if (nband) {
		fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" "
			"stroke=\"#888\"/>\n<g class=\"band\">\n", LEFT, band_top, PLOT_W,
			nband * bh, shade[0]);
		for (int i = 0; i < nband; i++) {
			const char *fn = syscalls_family_name((enum sc_family)fams[i]);
			for (int c = 0; c < used; c++) {
				uint32_t v = m->wr[c].fam[fams[i]];
				if (!v)
					continue;
				fprintf(f, "<rect class=\"meta-cell\" x=\"%.2f\" y=\"%.2f\" "
					"width=\"%.2f\" height=\"%.2f\" fill=\"%s\" data-t=\"%.6f\" "
					"data-fam=\"%s\" data-calls=\"%u\"><title>%.6g s, %s: %u calls"
					"</title></rect>\n", LEFT + c * cw, band_top + i * bh, cw, bh,
					shade[heat_level(v, th)], c * col_s, fn, v, c * col_s, fn, v);
			}
		}
		fputs("</g>\n", f);
		for (int i = 0; i < nband; i++)
			text(f, LEFT - 6, band_top + i * bh + bh / 2 + 4, "end", "a m",
			     syscalls_family_name((enum sc_family)fams[i]));
	}

	/* Y axis: size labels, thinned so that they never meet. */
	int every = thin_every(rh, FONT);
	for (int k = lo; k <= hi; k++) {
		if (!thin_shows(k, every))
			continue;
		char lbl[16];
		bucket_label((unsigned)k, lbl, sizeof lbl);
		text(f, LEFT - 6, TOP + (hi - k) * rh + rh / 2 + 4, "end", "a", lbl);
	}
	fprintf(f, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
		"text-anchor=\"middle\" class=\"a\">size (bytes, log2, K = 1024)</text>\n",
		TOP + HM_H / 2, TOP + HM_H / 2);

	/* X axis: round times in the unit that fits, spaced by their width. */
	double step = span / 8;
	{
		char probe[24];
		heat_fmt_time(span, step, probe, sizeof probe);
		double min_px = text_w(probe) + 16;
		double s_min = min_px / PLOT_W * span;
		/* 1-2-5 steps of at least s_min */
		double p = pow(10, floor(log10(s_min > 0 ? s_min : 1e-6)));
		step = p;
		while (step < s_min * (1 - 1e-9))
			step = step == p ? 2 * p : step == 2 * p ? 5 * p : (p *= 10);
	}
	for (double t = 0; t <= span * 1.0000001; t += step) {
		double x = LEFT + t / span * PLOT_W;
		char lbl[32];
		heat_fmt_time(t, step, lbl, sizeof lbl);
		if (x + text_w(lbl) / 2 > LEFT + PLOT_W + 30)
			break;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>\n",
			x, axis_y, x, axis_y + 5);
		text(f, x, axis_y + 18, "middle", "a", lbl);
	}
	char buf[96], cwl[32];
	heat_fmt_width(col_s, cwl, sizeof cwl);
	snprintf(buf, sizeof buf, "time since start (a column is %s)", cwl);
	text(f, LEFT + PLOT_W / 2.0, axis_y + 36, "middle", "a", buf);

	/* Legend: heat.c's shades with their lower bounds. */
	int lx = LEFT + PLOT_W + 16;
	double ly = TOP;
	fputs("<g class=\"legend\">\n", f);
	text(f, lx, ly - 10, "start", "a", "ops per cell");
	for (int i = HEAT_LEVELS; i >= 1; i--) {
		double y = ly + (HEAT_LEVELS - i) * 18;
		fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\" "
			"stroke=\"#888\"/>\n", lx, y, shade[i]);
		snprintf(buf, sizeof buf, "%llu%s", (unsigned long long)th[i - 1],
			 i == HEAT_LEVELS ? "+" : "");
		text(f, lx + 20, y + 11, "start", "a", buf);
	}
	text(f, lx, ly + HEAT_LEVELS * 18 + 12, "start", "a", "(log scale;");
	text(f, lx, ly + HEAT_LEVELS * 18 + 26, "start", "a", "lower bounds)");
	fputs("</g>\n", f);

	/* Histograms: ops and bytes per size bucket, side by side. */
	const struct totals *T = &m->tot;
	double pw = (PLOT_W - 60) / 2.0;
	hist_panel(f, LEFT, hist_top, pw, hist_h, lo, hi, (const uint64_t(*)[NBUCKETS])T->hist_ops,
		   0, "size histogram: ops");
	hist_panel(f, LEFT + pw + 60, hist_top, pw, hist_h, lo, hi,
		   (const uint64_t(*)[NBUCKETS])T->hist_bytes, 1, "size histogram: bytes");
	text(f, LEFT + PLOT_W / 2.0, hist_top + hist_h + 32, "middle", "a",
	     "operation size (lower bound of each log2 bucket, K = 1024)");
	fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"#1b9e77\"/>\n",
		lx, hist_top);
	text(f, lx + 14, hist_top + 9, "start", "a", "reads");
	fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"#d95f02\"/>\n",
		lx, hist_top + 16);
	text(f, lx + 14, hist_top + 25, "start", "a", "writes");
	if (nf)
		svg_findings(f, m, fs, H + 10);
	fputs("</svg>\n", f);
}

int report_svg_file(const char *path, const struct model *m, const struct run_info *ri)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (!f) {
		fprintf(stderr, "iopstop: --svg %s: %s\n", path, strerror(errno));
		return -1;
	}
	report_svg(f, m, ri);
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
