/* finding_strided_access.c - strided-access: forward gaps between
 * accesses, most of them the same size. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

static int pick(const struct finding_ctx *c, uint32_t id, const struct acc_file *f,
		uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	(void)c;
	(void)id;
	uint64_t s = f->seq[0] + f->seq[1], n = f->classified[0] + f->classified[1];
	uint64_t gapn;
	access_top(f->strides, &gapn);
	if (s < 1000 || s * 2 < n || gapn * 2 < s)
		return 0;
	*hit = s;
	*of = n;
	*dur = f->dur[0] + f->dur[1];
	return 1;
}

FINDING_EVAL(strided_access)
{
	struct finding_agg ag;
	finding_files(c, pick, &ag);
	if (!ag.nfiles)
		return 0;
	const struct acc_file *top = access_file(c->m->acc, ag.top[0]);
	int d = top->seq[1] > top->seq[0];
	uint64_t n;
	int64_t gap = access_top(top->strides, &n), size = access_top(top->sizes[d], &n);
	char n1[32], n2[32], b1[32], b2[32];
	snprintf(out->evidence, sizeof out->evidence,
		 "%s of %s accesses (%u%%) on %s skip ahead, %s read for every %s skipped",
		 finding_count(n1, sizeof n1, ag.hit), finding_count(n2, sizeof n2, ag.of),
		 finding_pct(ag.hit, ag.of), finding_name(c, ag.top[0]),
		 finding_bytes(b1, sizeof b1, (double)size), finding_bytes(b2, sizeof b2, (double)gap));
	finding_num(out, "strided", (double)ag.hit);
	finding_num(out, "accesses", (double)ag.of);
	finding_num(out, "gap", (double)gap);
	finding_num(out, "size", (double)size);
	finding_take_files(c, &ag, out);
	finding_severity(c, out, ag.dur);
	return 1;
}
