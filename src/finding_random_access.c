/* finding_random_access.c - random-access: accesses that start before the
 * previous one (same open file, same direction) ended.  The first access
 * at the position a file was opened at is consecutive, so reading many
 * files once each is not "random" (Drishti's pitfall). */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

static int pick(const struct finding_ctx *c, uint32_t id, const struct acc_file *f,
		uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	(void)c;
	(void)id;
	uint64_t r = f->rnd[0] + f->rnd[1], n = f->classified[0] + f->classified[1];
	if (r < 1000 || r * 5 < n)
		return 0;
	*hit = r;
	*of = n;
	*dur = n ? (uint64_t)((double)(f->dur[0] + f->dur[1]) * (double)r / (double)n) : 0;
	return 1;
}

FINDING_EVAL(random_access)
{
	struct finding_agg ag;
	finding_files(c, pick, &ag);
	if (!ag.nfiles)
		return 0;
	const struct acc_file *top = access_file(c->m->acc, ag.top[0]);
	int d = top->rnd[1] > top->rnd[0];
	uint64_t mostn;
	int64_t most = access_top(top->sizes[d], &mostn);
	char n1[32], n2[32], b1[32], more[48] = "";
	if (ag.nfiles > 1)
		snprintf(more, sizeof more, " and %u more files", ag.nfiles - 1);
	snprintf(out->evidence, sizeof out->evidence,
		 "%s of %s accesses (%u%%) on %s%s jump back, mostly %s",
		 finding_count(n1, sizeof n1, ag.hit), finding_count(n2, sizeof n2, ag.of),
		 finding_pct(ag.hit, ag.of), finding_name(c, ag.top[0]), more,
		 finding_bytes(b1, sizeof b1, (double)most));
	finding_num(out, "random", (double)ag.hit);
	finding_num(out, "accesses", (double)ag.of);
	finding_num(out, "common_size", (double)most);
	finding_num(out, "files", ag.nfiles);
	finding_take_files(c, &ag, out);
	finding_severity(c, out, ag.dur);
	return 1;
}
