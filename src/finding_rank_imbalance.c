/* finding_rank_imbalance.c - rank-imbalance: in a merge of a job's
 * recordings, the slowest rank spent more than 15 % of the job's I/O time
 * (or moved 15 % of its bytes) beyond the fastest one - Drishti's
 * straggler rule.  One recording is never imbalanced.  The ranks view
 * shows the same numbers (findings_imbalance). */
#include <config.h>

#include "finding_rule.h"
#include "origins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small job's times are noise (a loaded machine doubles a 1 ms write):
 * the time rule needs this much I/O time, the bytes rule this many bytes. */
#define IMB_MIN_US 100000
#define IMB_MIN_BYTES (1u << 20)

void findings_imbalance(const struct rank_load *r, int n, struct imbalance *out)
{
	memset(out, 0, sizeof *out);
	out->slow = out->fast = out->heavy = out->light = -1;
	for (int i = 0; i < n; i++) {
		out->dur_us += r[i].dur_us;
		out->bytes += r[i].bytes;
		if (out->slow < 0 || r[i].dur_us > r[out->slow].dur_us)
			out->slow = i;
		if (out->fast < 0 || r[i].dur_us < r[out->fast].dur_us)
			out->fast = i;
		if (out->heavy < 0 || r[i].bytes > r[out->heavy].bytes)
			out->heavy = i;
		if (out->light < 0 || r[i].bytes < r[out->light].bytes)
			out->light = i;
	}
	out->n = n;
	if (n < 2)
		return;
	if (out->dur_us)
		out->time_share = (double)(r[out->slow].dur_us - r[out->fast].dur_us) /
				  (double)out->dur_us;
	if (out->bytes)
		out->bytes_share = (double)(r[out->heavy].bytes - r[out->light].bytes) /
				   (double)out->bytes;
	out->by_time = out->dur_us >= IMB_MIN_US && out->time_share > IMBALANCE_SHARE;
	out->by_bytes = out->bytes >= IMB_MIN_BYTES && out->bytes_share > IMBALANCE_SHARE;
}

/* The model's processes summed by recording; the number of recordings
 * with any, or 0 when the events carry no origin. */
static int rank_loads(const struct model *m, struct rank_load **out)
{
	uint32_t hi = 0;
	for (uint32_t i = 0; i < m->nprocs; i++)
		if (m->procs[i].origin > hi)
			hi = m->procs[i].origin;
	*out = NULL;
	if (hi < 2)
		return 0;
	struct rank_load *by = calloc(hi + 1, sizeof *by);
	if (!by)
		return 0;
	for (uint32_t i = 0; i < m->nprocs; i++) {
		const struct proc_stats *p = &m->procs[i];
		if (!p->origin)
			continue;
		struct rank_load *l = &by[p->origin];
		l->origin = p->origin;
		l->dur_us += p->dur_us;
		l->bytes += p->bytes[0] + p->bytes[1];
	}
	int n = 0;
	for (uint32_t o = 1; o <= hi; o++)
		if (by[o].origin)
			by[n++] = by[o];
	*out = by;
	return n;
}

static const char *secs(char *buf, size_t len, uint64_t us)
{
	if (us < 1000000)
		snprintf(buf, len, "%.1f ms", (double)us / 1e3);
	else
		snprintf(buf, len, "%.2f s", (double)us / 1e6);
	return buf;
}

static void describe(const struct model *m, const struct rank_load *l, char *buf, size_t len,
		     double *rank)
{
	struct origin g;
	if (m->origins && origins_get(m->origins, l->origin, &g) == 0) {
		*rank = (double)g.rank;
		if (g.rank >= 0)
			snprintf(buf, len, "rank %d on %.16s", (int)g.rank, g.host[0] ? g.host : "?");
		else
			snprintf(buf, len, "recording %u on %.16s", l->origin, g.host[0] ? g.host : "?");
		return;
	}
	*rank = -1;
	snprintf(buf, len, "recording %u", l->origin);
}

/* Ranks start and end apart: a finding, once fired, stays, so it waits
 * until every rank's account is whole (its end record read, or the source
 * done) rather than fire on the rank that merely started first. */
static int loads_whole(const struct model *m, const struct rank_load *r, int n)
{
	if (m->source_done)
		return 1;
	for (int i = 0; m->origins && i < n; i++) {
		struct origin g;
		if (origins_get(m->origins, r[i].origin, &g) < 0 || g.state != ORIGIN_FINISHED)
			return 0;
	}
	return m->origins != NULL;
}

FINDING_EVAL(rank_imbalance)
{
	struct rank_load *r;
	int n = rank_loads(c->m, &r);
	if (n < 2 || !loads_whole(c->m, r, n)) {
		free(r);
		return 0;
	}
	struct imbalance im;
	findings_imbalance(r, n, &im);
	if (!im.by_time && !im.by_bytes) {
		free(r);
		return 0;
	}
	/* By time when time says so (what the job waits for), else by bytes. */
	int hi = im.by_time ? im.slow : im.heavy, lo = im.by_time ? im.fast : im.light;
	char a[40], b[40], b1[16], b2[16], t1[16], t2[16];
	double ra, rb;
	describe(c->m, &r[hi], a, sizeof a, &ra);
	describe(c->m, &r[lo], b, sizeof b, &rb);
	snprintf(out->evidence, sizeof out->evidence,
		 "%d ranks: %s %s in I/O, %s; %s %s, %s (%u%% of the job's %s)", n, a,
		 secs(t1, sizeof t1, r[hi].dur_us), finding_bytes(b1, sizeof b1, (double)r[hi].bytes), b,
		 secs(t2, sizeof t2, r[lo].dur_us), finding_bytes(b2, sizeof b2, (double)r[lo].bytes),
		 (unsigned)((im.by_time ? im.time_share : im.bytes_share) * 100),
		 im.by_time ? "I/O time" : "bytes");
	finding_num(out, "slowest_rank", ra);
	finding_num(out, "fastest_rank", rb);
	finding_num(out, "slowest_us", (double)r[hi].dur_us);
	finding_num(out, "fastest_us", (double)r[lo].dur_us);
	finding_num(out, "slowest_bytes", (double)r[hi].bytes);
	finding_num(out, "fastest_bytes", (double)r[lo].bytes);
	out->share = im.by_time ? im.time_share : im.bytes_share;
	if (out->share > 1)
		out->share = 1;
	out->severity = out->share >= 0.5 ? FSEV_HIGH : out->share >= 0.3 ? FSEV_WARN : FSEV_INFO;
	out->nfiles = 0;
	out->npids = 0;
	free(r);
	return 1;
}
