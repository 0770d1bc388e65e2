/* finding_small_reads.c - small-reads: most reads on a file are small.
 * "Small" is < 4 KiB locally, < 1 MiB on parallel and network file
 * systems; reads that return 0 (EOF probes) are not counted.  A file read
 * whole in pieces is piecemeal-read's, which says it better. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

static int pick(const struct finding_ctx *c, uint32_t id, const struct acc_file *f,
		uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	if (f->small_pfs[0] < 1000 || finding_piecemeal_file(c, f))
		return 0;
	return finding_small(c, id, f, 0, hit, of, dur);
}

FINDING_EVAL(small_reads)
{
	struct finding_agg ag;
	finding_files(c, pick, &ag);
	if (!ag.nfiles)
		return 0;
	const struct acc_file *top = access_file(c->m->acc, ag.top[0]);
	uint64_t mostn;
	int64_t most = access_top(top->sizes[0], &mostn);
	int remote = finding_remote(c, ag.top[0]);
	char n1[32], b1[32], more[48] = "";
	if (ag.nfiles > 1)
		snprintf(more, sizeof more, " and %u more files", ag.nfiles - 1);
	snprintf(out->evidence, sizeof out->evidence,
		 "%u%% of %s reads on %s%s are < %s (most often %s)",
		 finding_pct(ag.hit, ag.of), finding_count(n1, sizeof n1, ag.of),
		 finding_name(c, ag.top[0]), more, remote ? "1 MiB" : "4 KiB",
		 finding_bytes(b1, sizeof b1, (double)most));
	finding_num(out, "small_reads", (double)ag.hit);
	finding_num(out, "reads", (double)ag.of);
	finding_num(out, "small_below_bytes", remote ? ACC_SMALL_PFS : ACC_SMALL_LOCAL);
	finding_num(out, "common_size", (double)most);
	finding_num(out, "files", ag.nfiles);
	finding_take_files(c, &ag, out);
	finding_severity(c, out, ag.dur);
	return 1;
}
