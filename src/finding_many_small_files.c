/* finding_many_small_files.c - many-small-files: 1000 files or more moved
 * data, and the median one is under 64 KiB. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>
#include <stdlib.h>

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

FINDING_EVAL(many_small_files)
{
	const struct access *a = c->m->acc;
	if (a->nfiles < 1000)
		return 0;
	int64_t *sz = malloc(a->nfiles * sizeof *sz);
	if (!sz)
		return 0;
	uint32_t n = 0;
	uint64_t total = 0, dur = 0;
	for (uint32_t id = 2; id < a->cap && n < a->nfiles; id++) {
		const struct acc_file *f = a->files[id];
		if (!f || !(f->data[0] + f->data[1]))
			continue;
		int64_t s = f->size > 0 ? f->size : (int64_t)(f->bytes[0] > f->bytes[1] ? f->bytes[0] : f->bytes[1]);
		sz[n++] = s;
		total += (uint64_t)s;
		dur += f->dur[0] + f->dur[1];
	}
	int fired = 0;
	if (n >= 1000) {
		qsort(sz, n, sizeof *sz, cmp_i64);
		int64_t median = sz[n / 2];
		if (median < 64 * 1024) {
			char n1[32], b1[32], b2[32];
			snprintf(out->evidence, sizeof out->evidence,
				 "%s files moved data, half of them under %s (%s in all)",
				 finding_count(n1, sizeof n1, n), finding_bytes(b1, sizeof b1, (double)median + 1),
				 finding_bytes(b2, sizeof b2, (double)total));
			finding_num(out, "files", n);
			finding_num(out, "median_size", (double)median);
			finding_num(out, "total_bytes", (double)total);
			/* The metadata of small files is the cost: opens and closes. */
			finding_severity(c, out, dur + a->open_dur);
			fired = 1;
		}
	}
	free(sz);
	return fired;
}
