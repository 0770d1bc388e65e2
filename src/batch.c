/* batch.c - interval lines for scripts and logs. */
#include <config.h>

#include "batch.h"
#include "bucket.h"
#include "findings.h"
#include "model.h"
#include "source.h"

#include <errno.h>
#include <string.h>

/* Interval idx's line; end_us is the end of the run (INT64_MAX while it
 * goes on): the last, partial interval is stamped and averaged by it. */
static void line(struct batch *b, const struct model *m, int64_t idx, int64_t end_us)
{
	static const struct bin empty;
	const struct bin *x = model_ring_bin(m, idx);
	if (!x)
		x = &empty;
	int64_t lo = idx * m->interval_us, hi = lo + m->interval_us;
	if (end_us < hi && end_us - lo >= 1000)
		hi = end_us;
	double secs = (double)(hi - lo) / 1e6;
	double t = (double)hi / 1e6;
	/* The busiest size bucket, by ops, reads and writes together. */
	unsigned top = 0;
	uint32_t best = 0;
	for (unsigned k = 0; k < NBUCKETS; k++) {
		uint32_t ops = x->ops[0][k] + x->ops[1][k];
		if (ops > best) {
			best = ops;
			top = k;
		}
	}
	char lbl[16];
	bucket_label(top, lbl, sizeof lbl);
	/* A log without timestamps puts every event at time 0: no rates. */
	int norate = source_clock(b->src) == SRC_CLOCK_NONE;
	if (b->csv) {
		if (!b->header_done)
			fputs("t_s,read_iops,write_iops,read_bytes_per_s,write_bytes_per_s,"
			      "meta_iops,errors,top_bucket_lo\n", b->out);
		if (norate)
			fprintf(b->out, ",,,,,,%u,", x->errors);
		else
			fprintf(b->out, "%.3f,%.1f,%.1f,%.0f,%.0f,%.1f,%u,", t,
				x->nops[0] / secs, x->nops[1] / secs, (double)x->nbytes[0] / secs,
				(double)x->nbytes[1] / secs, x->nops[2] / secs, x->errors);
		if (best)
			fprintf(b->out, "%llu", (unsigned long long)bucket_lo(top));
		fputc('\n', b->out);
	} else {
		char rb[16], wb[16];
		bucket_fmt_bytes((double)x->nbytes[0] / secs, rb, sizeof rb);
		bucket_fmt_bytes((double)x->nbytes[1] / secs, wb, sizeof wb);
		if (!b->header_done)
			fprintf(b->out, "%9s %10s %10s %9s %9s %10s %6s %s\n", "time_s",
				"read_op/s", "write_op/s", "read_B/s", "write_B/s",
				"meta_op/s", "errors", "top_size");
		if (norate)
			fprintf(b->out, "%9s %10s %10s %9s %9s %10s %6u %s\n", "-", "-", "-",
				"-", "-", "-", x->errors, best ? lbl : "-");
		else
			fprintf(b->out, "%9.2f %10.1f %10.1f %9s %9s %10.1f %6u %s\n", t,
				x->nops[0] / secs, x->nops[1] / secs, rb, wb, x->nops[2] / secs,
				x->errors, best ? lbl : "-");
	}
	b->header_done = 1;
}

/* A line when a finding first fires (not in CSV: it stays one table). */
static void batch_findings(struct batch *b, struct model *m, int done)
{
	struct findings *fs = done ? model_findings(m) : m->fnd;
	if (!fs || b->csv)
		return;
	for (int i = 0; i < fs->n; i++) {
		const struct finding *fi = &fs->list[i];
		if (fs->announced & (1u << fi->rule))
			continue;
		fs->announced |= 1u << fi->rule;
		fprintf(b->out, "# finding [%s] %s: %s\n", findings_rules[fi->rule].id,
			findings_sev_name(fi->severity), fi->evidence);
	}
}

void batch_tick(void *ctx, struct model *m, int done)
{
	struct batch *b = ctx;
	if (!b->out && b->path && !b->failed) {
		b->out = fopen(b->path, "w");
		if (!b->out) {
			fprintf(stderr, "iopstop: --csv %s: %s\n", b->path, strerror(errno));
			b->failed = 1;
		}
	}
	if (!b->out)
		return;
	int64_t upto;	/* intervals before this one have finished */
	if (done)
		upto = model_now(m) / m->interval_us + 1;
	else if (m->now_us > 0)
		upto = m->now_us / m->interval_us;
	else
		upto = m->ring_last;	/* replay: the newest bin may still grow */
	if (!m->started)
		upto = done ? 0 : -1;
	/* What -n's stop drains lands after the limit: counted in the
	 * totals, but -n N still prints N lines. */
	if (b->limit > 0 && upto > b->limit)
		upto = b->limit;
	int64_t end_us = done ? model_now(m) : INT64_MAX;
	for (; b->next < upto; b->next++)
		line(b, m, b->next, end_us);
	batch_findings(b, m, done);
	fflush(b->out);
}

int batch_close(struct batch *b)
{
	if (!b->path || !b->out)
		return b->failed ? -1 : 0;
	int bad = ferror(b->out);
	if (fclose(b->out) != 0 || bad) {
		fprintf(stderr, "iopstop: writing --csv %s failed\n", b->path);
		b->failed = 1;
	}
	b->out = NULL;
	return b->failed ? -1 : 0;
}
