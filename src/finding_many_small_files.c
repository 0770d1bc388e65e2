/* finding_many_small_files.c - many-small-files: 1000 files or more moved
 * data, and the median one is under 64 KiB. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>

FINDING_EVAL(many_small_files)
{
	const struct access *a = c->m->acc;
	if (a->nfiles < 1000)
		return 0;
	/* The median from the tracker's log2 histogram of sizes. */
	uint32_t n = 0;
	for (int k = 0; k < 64; k++)
		n += a->size_hist[k];
	if (n < 1000)
		return 0;
	uint32_t cum = 0;
	int k = 0;
	while (k < 63 && (cum += a->size_hist[k]) * 2 < n)
		k++;
	uint64_t below = 1ull << k;	/* half the files are smaller than this */
	if (below > 64 * 1024)
		return 0;
	uint64_t total = a->reg_bytes, dur = a->reg_dur;
	char n1[32], b1[32], b2[32];
	snprintf(out->evidence, sizeof out->evidence,
		 "%s files moved data, half of them under %s (%s moved)",
		 finding_count(n1, sizeof n1, n), finding_bytes(b1, sizeof b1, (double)below),
		 finding_bytes(b2, sizeof b2, (double)total));
	finding_num(out, "files", n);
	finding_num(out, "median_below", (double)below);
	finding_num(out, "bytes", (double)total);
	/* The metadata of small files is the cost: opens and closes. */
	finding_severity(c, out, dur + a->open_dur);
	return 1;
}
