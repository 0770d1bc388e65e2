/* finding_read_after_write.c - read-after-write: bytes this run wrote and
 * then read back (within the span it wrote). */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

static int pick(const struct finding_ctx *c, uint32_t id, const struct acc_file *f,
		uint64_t *hit, uint64_t *of, uint64_t *dur)
{
	(void)c;
	(void)id;
	if (f->raw_bytes < (16u << 20) || f->raw_bytes * 2 < f->bytes[0])
		return 0;
	*hit = f->raw_bytes;
	*of = f->bytes[0];
	*dur = f->dur[0] + f->dur[1];
	return 1;
}

FINDING_EVAL(read_after_write)
{
	struct finding_agg ag;
	finding_files(c, pick, &ag);
	if (!ag.nfiles)
		return 0;
	char b1[32], more[48] = "";
	if (ag.nfiles > 1)
		snprintf(more, sizeof more, " and %u more files", ag.nfiles - 1);
	snprintf(out->evidence, sizeof out->evidence,
		 "%s written to %s%s and read back (%u%% of what was read there)",
		 finding_bytes(b1, sizeof b1, (double)ag.hit), finding_name(c, ag.top[0]), more,
		 finding_pct(ag.hit, ag.of));
	finding_num(out, "round_trip_bytes", (double)ag.hit);
	finding_num(out, "read_bytes", (double)ag.of);
	finding_num(out, "files", ag.nfiles);
	finding_take_files(c, &ag, out);
	finding_severity(c, out, ag.dur);
	return 1;
}
