/* finding_open_close_churn.c - open-close-churn: paths opened 10 times or
 * more, 1000 opens in all, moving under 64 KiB per open. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>
#include <string.h>

FINDING_EVAL(open_close_churn)
{
	const struct access *a = c->m->acc;
	if (a->opens < 1000)
		return 0;
	uint64_t opens = 0, bytes = 0;
	uint32_t best[FIND_FILES] = {0};
	for (uint32_t i = 0; i < a->nmhot; i++) {
		uint32_t id = a->mhot[i];
		uint32_t n = a->meta[id].opens;
		if (n < 10 || a->meta[id].regular == 2)
			continue;
		const struct acc_file *f = a->files[id];
		uint64_t b = f ? f->bytes[0] + f->bytes[1] : 0;
		if (b / n >= 64 * 1024)
			continue;
		opens += n;
		bytes += b;
		for (int k = 0; k < FIND_FILES; k++) {
			if (!best[k] || n > a->meta[best[k]].opens) {
				memmove(&best[k + 1], &best[k], (size_t)(FIND_FILES - 1 - k) * sizeof best[0]);
				best[k] = id;
				break;
			}
		}
	}
	if (opens < 1000)
		return 0;
	out->nfiles = 0;
	for (int k = 0; k < FIND_FILES && best[k]; k++)
		out->files[out->nfiles++] = best[k];
	char n1[32], n2[32], b1[32];
	snprintf(out->evidence, sizeof out->evidence,
		 "%s opened %sx (%s reopens in all), %s moved per open",
		 finding_name(c, best[0]), finding_count(n1, sizeof n1, a->meta[best[0]].opens),
		 finding_count(n2, sizeof n2, opens), finding_bytes(b1, sizeof b1, (double)bytes / (double)opens));
	finding_num(out, "opens", (double)opens);
	finding_num(out, "bytes_per_open", (double)bytes / (double)opens);
	finding_num(out, "top_path_opens", a->meta[best[0]].opens);
	finding_severity(c, out, a->opens ? a->open_dur * opens / a->opens : 0);
	return 1;
}
