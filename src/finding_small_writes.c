/* finding_small_writes.c - small-writes: most writes on a file are small;
 * "unbuffered" when most are under 128 bytes (a write per line). */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

static int pick(const struct finding_ctx *c, uint32_t id, const struct acc_file *f,
		uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	return finding_small(c, id, f, 1, hit, of, dur);
}

FINDING_EVAL(small_writes)
{
	struct finding_agg ag;
	finding_files(c, pick, &ag);
	if (!ag.nfiles)
		return 0;
	const struct acc_file *top = access_file(c->m->acc, ag.top[0]);
	uint64_t mostn;
	int64_t most = access_top(top->sizes[1], &mostn);
	int remote = finding_remote(c, ag.top[0]);
	int unbuffered = top->tiny_w * 2 >= top->data[1];
	char n1[32], b1[32], more[48] = "";
	if (ag.nfiles > 1)
		snprintf(more, sizeof more, " and %u more files", ag.nfiles - 1);
	snprintf(out->evidence, sizeof out->evidence,
		 "%u%% of %s writes on %s%s are < %s (most often %s)%s",
		 finding_pct(ag.hit, ag.of), finding_count(n1, sizeof n1, ag.of),
		 finding_name(c, ag.top[0]), more, remote ? "1 MiB" : "4 KiB",
		 finding_bytes(b1, sizeof b1, (double)most),
		 unbuffered ? ": unbuffered output" : "");
	finding_num(out, "small_writes", (double)ag.hit);
	finding_num(out, "writes", (double)ag.of);
	finding_num(out, "small_below_bytes", remote ? ACC_SMALL_PFS : ACC_SMALL_LOCAL);
	finding_num(out, "common_size", (double)most);
	finding_num(out, "files", ag.nfiles);
	finding_take_files(c, &ag, out);
	finding_severity(c, out, ag.dur);
	return 1;
}
