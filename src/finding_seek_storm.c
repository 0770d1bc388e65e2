/* finding_seek_storm.c - seek-storm: at least one lseek per data call on
 * a file; those that left the position where it was are queries
 * (SEEK_CUR 0, f.tell()). */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

static int pick(const struct finding_ctx *c, uint32_t id, const struct acc_file *f,
		uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	(void)c;
	(void)id;
	uint64_t n = f->data[0] + f->data[1] + f->zero_reads;
	if (f->seeks < 1000 || f->seeks < n)
		return 0;
	*hit = f->seeks;
	*of = n;
	*dur = 0;
	return 1;
}

FINDING_EVAL(seek_storm)
{
	struct finding_agg ag;
	finding_files(c, pick, &ag);
	if (!ag.nfiles)
		return 0;
	const struct acc_file *top = access_file(c->m->acc, ag.top[0]);
	const struct access *a = c->m->acc;
	char n1[32], n2[32], n3[32];
	snprintf(out->evidence, sizeof out->evidence,
		 "%s lseek calls on %s for %s reads and writes; %s of them left the position where it was",
		 finding_count(n1, sizeof n1, ag.hit), finding_name(c, ag.top[0]),
		 finding_count(n2, sizeof n2, ag.of), finding_count(n3, sizeof n3, top->seek_noop));
	finding_num(out, "seeks", (double)ag.hit);
	finding_num(out, "data_calls", (double)ag.of);
	finding_num(out, "no_move", (double)top->seek_noop);
	finding_take_files(c, &ag, out);
	/* Seeks are not timed per file: their share of all seek time. */
	finding_severity(c, out, a->seeks ? a->seek_dur * ag.hit / a->seeks : 0);
	return 1;
}
