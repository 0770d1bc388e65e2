/* finding_rw_pingpong.c - rw-pingpong: data calls on a file alternate
 * between reading and writing. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

static int pick(const struct finding_ctx *c, uint32_t id, const struct acc_file *f,
		uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	(void)c;
	(void)id;
	uint64_t n = f->data[0] + f->data[1];
	if (f->switches < 1000 || f->switches * 5 < n * 2)
		return 0;
	*hit = f->switches;
	*of = n;
	*dur = f->dur[0] + f->dur[1];
	return 1;
}

FINDING_EVAL(rw_pingpong)
{
	struct finding_agg ag;
	finding_files(c, pick, &ag);
	if (!ag.nfiles)
		return 0;
	char n1[32], n2[32];
	snprintf(out->evidence, sizeof out->evidence,
		 "%s switches between reading and writing in %s data calls on %s",
		 finding_count(n1, sizeof n1, ag.hit), finding_count(n2, sizeof n2, ag.of),
		 finding_name(c, ag.top[0]));
	finding_num(out, "switches", (double)ag.hit);
	finding_num(out, "data_calls", (double)ag.of);
	finding_take_files(c, &ag, out);
	finding_severity(c, out, ag.dur);
	return 1;
}
