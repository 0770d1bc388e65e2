/* finding_metadata_heavy.c - metadata-heavy: metadata calls are many and
 * take most of the time, or outnumber the reads and writes.  The specific
 * rules (failed-lookups, repeated-stat, open-close-churn, many-small-files)
 * replace it when they explain it.  It also needs the metadata calls to
 * take a quarter of the run's time: importing a large Python package
 * (pandas: 8,000 calls, 77% of I/O time but 10% of the run) is start-up,
 * not a problem to report. */
#include <config.h>

#include "finding_rule.h"
#include "syscalls.h"

#include <stdio.h>

FINDING_EVAL(metadata_heavy)
{
	const struct access *a = c->m->acc;
	uint64_t all = a->meta_dur + a->data_dur;
	if (a->meta_ops < 5000 || (a->meta_dur * 10 < all * 3 && a->meta_ops < a->data_ops))
		return 0;
	if (c->now_us > 0 && a->meta_dur * 4 < (uint64_t)c->now_us)
		return 0;
	/* The three most frequent metadata calls. */
	const struct totals *T = &c->m->tot;
	int top[3] = {0, 0, 0};
	for (int id = 1; id < SC_COUNT; id++) {
		if (sc_table[id].cls != OPC_META)
			continue;
		uint64_t n = T->by_call[id] + T->err_by_call[id];
		for (int k = 0; k < 3; k++) {
			uint64_t tk = top[k] ? T->by_call[top[k]] + T->err_by_call[top[k]] : 0;
			if (n > tk) {
				for (int j = 2; j > k; j--)
					top[j] = top[j - 1];
				top[k] = id;
				break;
			}
		}
	}
	char n1[32], n2[32], calls[120] = "";
	size_t o = 0;
	for (int k = 0; k < 3 && top[k]; k++) {
		char b[32];
		o += (size_t)snprintf(calls + o, sizeof calls - o, "%s%s %s", k ? ", " : "",
				      sc_table[top[k]].name,
				      finding_count(b, sizeof b, T->by_call[top[k]] + T->err_by_call[top[k]]));
		if (o >= sizeof calls)
			break;
	}
	snprintf(out->evidence, sizeof out->evidence,
		 "%s metadata calls for %s reads and writes, %u%% of I/O time (%s)",
		 finding_count(n1, sizeof n1, a->meta_ops), finding_count(n2, sizeof n2, a->data_ops),
		 finding_pct(a->meta_dur, all), calls);
	finding_num(out, "metadata_calls", (double)a->meta_ops);
	finding_num(out, "data_calls", (double)a->data_ops);
	finding_num(out, "metadata_us", (double)a->meta_dur);
	finding_severity(c, out, a->meta_dur);
	return 1;
}
