/* finding_sync_storm.c - sync-storm: fsync, fdatasync or sync_file_range
 * 100 times or more, 10 a second or 20% of the I/O time. */
#include <config.h>

#include "finding_rule.h"

#include <stdio.h>
#include <string.h>

FINDING_EVAL(sync_storm)
{
	const struct access *a = c->m->acc;
	double secs = (double)c->now_us / 1e6;
	uint64_t all = a->meta_dur + a->data_dur;
	if (a->syncs < 100 || (secs > 0 && (double)a->syncs / secs < 10 && a->sync_dur * 5 < all))
		return 0;
	uint32_t best[FIND_FILES] = {0};
	for (uint32_t i = 0; i < a->nmhot; i++) {
		uint32_t id = a->mhot[i];
		uint32_t n = a->meta[id].syncs;
		if (!n)
			continue;
		for (int k = 0; k < FIND_FILES; k++) {
			if (!best[k] || n > a->meta[best[k]].syncs) {
				memmove(&best[k + 1], &best[k], (size_t)(FIND_FILES - 1 - k) * sizeof best[0]);
				best[k] = id;
				break;
			}
		}
	}
	out->nfiles = 0;
	for (int k = 0; k < FIND_FILES && best[k]; k++)
		out->files[out->nfiles++] = best[k];
	double per = (double)c->m->tot.bytes[1] / (double)a->syncs;
	char n1[32], b1[32];
	snprintf(out->evidence, sizeof out->evidence,
		 "%s syncs (%.0f a second), %s written per sync, %u%% of I/O time",
		 finding_count(n1, sizeof n1, a->syncs), secs > 0 ? (double)a->syncs / secs : 0,
		 finding_bytes(b1, sizeof b1, per), finding_pct(a->sync_dur, all));
	finding_num(out, "syncs", (double)a->syncs);
	finding_num(out, "per_second", secs > 0 ? (double)a->syncs / secs : 0);
	finding_num(out, "bytes_per_sync", per);
	finding_severity(c, out, a->sync_dur);
	return 1;
}
