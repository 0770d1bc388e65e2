/* finding_failed_lookups.c - failed-lookups: most path lookups (open,
 * stat, access, ...) fail with ENOENT or ENOTDIR: a search path probed. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>
#include <string.h>

FINDING_EVAL(failed_lookups)
{
	const struct access *a = c->m->acc;
	if (a->lookup_fails < 1000 || a->lookup_fails * 2 < a->lookups)
		return 0;
	/* The paths that failed most: their directories are the ones probed. */
	out->nfiles = 0;
	uint32_t best[FIND_FILES] = {0};
	for (uint32_t id = 2; id < a->cap; id++) {
		uint32_t n = a->meta[id].fails;
		if (!n)
			continue;
		for (int k = 0; k < FIND_FILES; k++) {
			if (!best[k] || n > a->meta[best[k]].fails) {
				memmove(&best[k + 1], &best[k], (size_t)(FIND_FILES - 1 - k) * sizeof best[0]);
				best[k] = id;
				break;
			}
		}
	}
	for (int k = 0; k < FIND_FILES && best[k]; k++)
		out->files[out->nfiles++] = best[k];
	char n1[32], n2[32];
	snprintf(out->evidence, sizeof out->evidence,
		 "%s of %s path lookups (%u%%) found nothing, e.g. %s",
		 finding_count(n1, sizeof n1, a->lookup_fails), finding_count(n2, sizeof n2, a->lookups),
		 finding_pct(a->lookup_fails, a->lookups),
		 best[0] ? finding_name(c, best[0]) : "?");
	finding_num(out, "failed", (double)a->lookup_fails);
	finding_num(out, "lookups", (double)a->lookups);
	finding_severity(c, out, a->lookup_fail_dur);
	return 1;
}
