/* finding_misaligned.c - misaligned: requests of a block or more that start
 * off a block boundary.  Only on parallel and network file systems: a
 * local page cache absorbs misalignment (tar's 10 KiB records would fire
 * everywhere), while Lustre and GPFS pay for it in locks and RPCs. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

static int pick(const struct finding_ctx *c, uint32_t id, const struct acc_file *f,
		uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	uint64_t big = f->big[0] + f->big[1], mis = f->misaligned[0] + f->misaligned[1];
	if (mis < 1000 || mis * 10 < big || !finding_remote(c, id))
		return 0;
	*hit = mis;
	*of = big;
	*dur = f->dur[0] + f->dur[1];
	return 1;
}

FINDING_EVAL(misaligned)
{
	struct finding_agg ag;
	finding_files(c, pick, &ag);
	if (!ag.nfiles)
		return 0;
	char n1[32], n2[32];
	snprintf(out->evidence, sizeof out->evidence,
		 "%s of %s requests of 4 KiB or more (%u%%) on %s start off a 4 KiB boundary",
		 finding_count(n1, sizeof n1, ag.hit), finding_count(n2, sizeof n2, ag.of),
		 finding_pct(ag.hit, ag.of), finding_name(c, ag.top[0]));
	finding_num(out, "misaligned", (double)ag.hit);
	finding_num(out, "requests", (double)ag.of);
	finding_num(out, "block", ACC_ALIGN);
	finding_take_files(c, &ag, out);
	finding_severity(c, out, ag.dur);
	return 1;
}
