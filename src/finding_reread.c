/* finding_reread.c - reread: bytes read again, measured against the
 * distinct bytes read (coverage resets when the file is written). */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

static int pick(const struct finding_ctx *c, uint32_t id, const struct acc_file *f,
		uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	(void)c;
	(void)id;
	uint64_t all = f->reread_bytes + f->read_distinct;
	if (f->reread_bytes < (4u << 20) || all < 2 * f->read_distinct)
		return 0;
	*hit = f->reread_bytes;
	*of = all;
	*dur = f->dur[0] * f->reread_bytes / (all ? all : 1);
	return 1;
}

FINDING_EVAL(reread)
{
	struct finding_agg ag;
	finding_files(c, pick, &ag);
	if (!ag.nfiles)
		return 0;
	const struct acc_file *top = access_file(c->m->acc, ag.top[0]);
	double factor = (double)(top->reread_bytes + top->read_distinct) /
			(double)(top->read_distinct ? top->read_distinct : 1);
	char b1[32], b2[32];
	snprintf(out->evidence, sizeof out->evidence,
		 "%s read %.1fx over: %s read for %s of distinct data",
		 finding_name(c, ag.top[0]), factor,
		 finding_bytes(b1, sizeof b1, (double)(top->reread_bytes + top->read_distinct)),
		 finding_bytes(b2, sizeof b2, (double)top->read_distinct));
	finding_num(out, "reread_bytes", (double)ag.hit);
	finding_num(out, "read_bytes", (double)ag.of);
	finding_num(out, "factor", factor);
	finding_num(out, "files", ag.nfiles);
	finding_take_files(c, &ag, out);
	finding_severity(c, out, ag.dur);
	return 1;
}
