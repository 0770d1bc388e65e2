/* finding_piecemeal_read.c - piecemeal-read: a file of at most 16 MiB,
 * read (nearly) whole, in many pieces much smaller than itself.  Its size
 * is known exactly when a read hit its end. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

int finding_piecemeal_file(const struct finding_ctx *c, const struct acc_file *f)
{
	(void)c;
	if (!f->eof_seen || f->size <= 0 || f->size > (16 << 20) || f->data[0] < 64)
		return 0;
	uint64_t mean = f->bytes[0] / f->data[0];
	return f->read_distinct * 10 >= (uint64_t)f->size * 9 &&
	       mean * 64 < (uint64_t)f->size && mean < ACC_SMALL_LOCAL;
}

static int pick(const struct finding_ctx *c, uint32_t id, const struct acc_file *f,
		uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	(void)id;
	if (!finding_piecemeal_file(c, f))
		return 0;
	*hit = f->data[0];
	*of = f->data[0];
	*dur = f->dur[0];
	return 1;
}

FINDING_EVAL(piecemeal_read)
{
	struct finding_agg ag;
	finding_files(c, pick, &ag);
	if (ag.hit < 1000)
		return 0;
	const struct acc_file *top = access_file(c->m->acc, ag.top[0]);
	char n1[32], b1[32], b2[32], more[48] = "";
	if (ag.nfiles > 1)
		snprintf(more, sizeof more, " (and %u more files)", ag.nfiles - 1);
	snprintf(out->evidence, sizeof out->evidence,
		 "%s (%s) read in %s pieces of %s on average%s",
		 finding_name(c, ag.top[0]), finding_bytes(b1, sizeof b1, (double)top->size),
		 finding_count(n1, sizeof n1, top->data[0]),
		 finding_bytes(b2, sizeof b2, (double)(top->bytes[0] / top->data[0])), more);
	finding_num(out, "reads", (double)ag.hit);
	finding_num(out, "size", (double)top->size);
	finding_num(out, "mean_read", (double)(top->bytes[0] / top->data[0]));
	finding_num(out, "files", ag.nfiles);
	finding_take_files(c, &ag, out);
	finding_severity(c, out, ag.dur);
	return 1;
}
