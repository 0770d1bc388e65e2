/* finding_repeated_stat.c - repeated-stat: paths stat'ed 100 times or
 * more, their repeats most of all stats. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>
#include <string.h>

FINDING_EVAL(repeated_stat)
{
	const struct access *a = c->m->acc;
	if (a->stats < 1000)
		return 0;
	uint64_t repeats = 0;
	uint32_t best[FIND_FILES] = {0};
	for (uint32_t i = 0; i < a->nmhot; i++) {
		uint32_t id = a->mhot[i];
		uint32_t n = a->meta[id].stats;
		if (n < 100)
			continue;
		repeats += n - 1;
		for (int k = 0; k < FIND_FILES; k++) {
			if (!best[k] || n > a->meta[best[k]].stats) {
				memmove(&best[k + 1], &best[k], (size_t)(FIND_FILES - 1 - k) * sizeof best[0]);
				best[k] = id;
				break;
			}
		}
	}
	if (repeats < 1000 || repeats * 2 < a->stats)
		return 0;
	out->nfiles = 0;
	for (int k = 0; k < FIND_FILES && best[k]; k++)
		out->files[out->nfiles++] = best[k];
	char n1[32], n2[32], n3[32];
	snprintf(out->evidence, sizeof out->evidence,
		 "%s stat'ed %sx; %s of %s stat calls (%u%%) repeat a path",
		 finding_name(c, best[0]), finding_count(n1, sizeof n1, a->meta[best[0]].stats),
		 finding_count(n2, sizeof n2, repeats), finding_count(n3, sizeof n3, a->stats),
		 finding_pct(repeats, a->stats));
	finding_num(out, "repeats", (double)repeats);
	finding_num(out, "stats", (double)a->stats);
	finding_num(out, "top_path_stats", a->meta[best[0]].stats);
	finding_severity(c, out, a->stats ? a->stat_dur * repeats / a->stats : 0);
	return 1;
}
