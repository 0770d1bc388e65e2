/* view_insights.c - the findings: severity, title, evidence, advice, files;
 * and the worst of them in the header, so a person watching the heatmap
 * learns the diagnosis without pressing a key. */
#include <config.h>

#include "view.h"
#include "findings.h"
#include "intern.h"

#include <stdlib.h>
#include <string.h>

struct snap_finding {
	const char *id, *title, *advice;	/* the rule table's: static */
	int severity;
	double share;
	char evidence[200];
	const char *files[FIND_FILES];		/* interned: never move */
	size_t flen[FIND_FILES];
	int nfiles;
};

struct snap_insights {
	struct snap_finding f[FINDINGS_MAX];
	int n;
	int worst;	/* index, -1 none */
};

void view_insights_take(struct view_snapshot *s, const struct model *m)
{
	if (!m->fnd) {
		if (s->ins)
			s->ins->n = 0, s->ins->worst = -1;
		return;
	}
	if (!s->ins && !(s->ins = calloc(1, sizeof *s->ins)))
		return;
	struct snap_insights *in = s->ins;
	/* Rules run at interval boundaries; once the source has ended, the
	 * last part interval counts too, as it does in the reports. */
	const struct findings *fs = m->source_done ? model_findings(m) : m->fnd;
	const struct finding *w = findings_worst(fs);
	in->n = 0;
	in->worst = -1;
	for (int i = 0; i < fs->n; i++) {
		const struct finding *fi = &fs->list[i];
		const struct finding_rule *r = &findings_rules[fi->rule];
		struct snap_finding *o = &in->f[in->n];
		if (fi == w)
			in->worst = in->n;
		in->n++;
		o->id = r->id;
		o->title = r->title;
		o->advice = r->advice;
		o->severity = fi->severity;
		o->share = fi->share;
		memcpy(o->evidence, fi->evidence, sizeof o->evidence);
		o->nfiles = 0;
		for (int k = 0; k < fi->nfiles; k++) {
			size_t len = 0;
			const char *name = m->in ? intern_name(m->in, fi->files[k], &len) : NULL;
			if (!name)
				continue;
			o->files[o->nfiles] = name;
			o->flen[o->nfiles++] = len;
		}
	}
}

void view_insights_free(struct view_snapshot *s)
{
	free(s->ins);
	s->ins = NULL;
}

static enum role sev_role(int sev)
{
	return sev == FSEV_HIGH ? ROLE_ERROR : sev == FSEV_WARN ? ROLE_PAUSED : ROLE_LABEL;
}

int view_insights_header(struct grid *g, const struct view_snapshot *s, int x, int y,
			 const struct glyphs *gl)
{
	const struct snap_insights *in = s->ins;
	if (!in || in->worst < 0 || x >= g->w - 8)
		return x;
	const struct snap_finding *f = &in->f[in->worst];
	x = grid_textf(g, x, y, sev_role(f->severity), "[%s]", f->id);
	x = grid_text(g, x, y, ROLE_DEFAULT, " ");
	x = grid_text_untrusted(g, x, y, g->w - x - 1, ROLE_DEFAULT, f->evidence,
				strlen(f->evidence), gl);
	if (in->n > 1 && x < g->w - 12)
		x = grid_textf(g, x, y, ROLE_DIM, "  (+%d, i)", in->n - 1);
	return x;
}

/* Words of s from x0 on rows y.., at most w wide; returns the next row. */
static int wrap(struct grid *g, int x0, int y, int w, int ymax, enum role r, const char *s)
{
	while (*s && y < ymax) {
		size_t len = strlen(s);
		size_t cut = len;
		if ((int)len > w) {
			cut = (size_t)w;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = (size_t)w;
		}
		char line[512];
		if (cut >= sizeof line)
			cut = sizeof line - 1;
		memcpy(line, s, cut);
		line[cut] = '\0';
		grid_text(g, x0, y++, r, line);
		s += cut;
		while (*s == ' ')
			s++;
	}
	return y;
}

static void insights_draw(struct grid *g, const struct view_snapshot *s,
			  const struct view_state *st, const struct glyphs *gl)
{
	(void)st;
	const struct snap_insights *in = s->ins;
	int n = in ? in->n : 0;
	grid_textf(g, 0, 0, ROLE_LABEL, "Insights: %d finding%s", n, n == 1 ? "" : "s");
	if (!n) {
		grid_text(g, 2, 2, ROLE_DIM, "nothing wrong seen yet: every rule needs at least "
			  "1000 calls (100 syncs) and a share of them");
		return;
	}
	int y = 2, w = g->w - 6 > 20 ? g->w - 6 : 20;
	for (int i = 0; i < n && y < g->h; i++) {
		const struct snap_finding *f = &in->f[i];
		int x = grid_textf(g, 0, y, sev_role(f->severity), "%-4s", findings_sev_name(f->severity));
		x = grid_textf(g, x + 1, y, ROLE_KEY, "[%s]", f->id);
		x = grid_textf(g, x + 1, y, ROLE_DEFAULT, "%s", f->title);
		grid_textf(g, x + 1, y, ROLE_DIM, "(%.0f%% of I/O time)", f->share * 100);
		y = wrap(g, 5, y + 1, w, g->h, ROLE_DEFAULT, f->evidence);
		for (int k = 0; k < f->nfiles && y < g->h; k++) {
			int fx = grid_text(g, 5, y, ROLE_DIM, "file ");
			grid_text_untrusted(g, fx, y++, g->w - fx - 1, ROLE_DEFAULT, f->files[k],
					    f->flen[k], gl);
		}
		if (y < g->h) {
			grid_text(g, 5, y, ROLE_READ, "fix ");
			y = wrap(g, 9, y, w - 4, g->h, ROLE_READ, f->advice);
		}
		y++;
	}
}

const struct view_ops view_insights_ops = {
	.name = "insights", .key = 'i', .footer = "insights",
	.help = "insights: what is wrong, the evidence, the fix",
	.snap = SNAP_HEADER, .draw = insights_draw,
};
