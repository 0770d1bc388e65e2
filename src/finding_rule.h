/* finding_rule.h - what the rules (finding_*.c) share: aggregation over
 * files, severity from time, number formatting.  Internal to findings. */
#ifndef IOPSTOP_FINDING_RULE_H
#define IOPSTOP_FINDING_RULE_H

#include "access.h"
#include "findings.h"
#include "model.h"

#include <stddef.h>

/* A file's part in a per-file rule: does it qualify, and how many of its
 * calls (hit) out of how many (of) are implicated, taking dur us. */
typedef int (*finding_pick)(const struct finding_ctx *c, uint32_t id,
			    const struct acc_file *f, uint64_t *hit, uint64_t *of,
			    uint64_t *dur);

struct finding_agg {
	uint64_t hit, of, dur;
	uint32_t nfiles;		/* that qualified */
	uint32_t top[FIND_FILES];	/* by hit, the most first */
	uint64_t tophit[FIND_FILES];
	int ntop;
};

/* Sum pick over every tracked file into ag. */
void finding_files(const struct finding_ctx *c, finding_pick pick, struct finding_agg *ag);

/* Put ag's top files (and their processes) into out. */
void finding_take_files(const struct finding_ctx *c, const struct finding_agg *ag,
			struct finding *out);

/* Severity from dur, the implicated calls' time, as a share of all. */
void finding_severity(const struct finding_ctx *c, struct finding *out, uint64_t dur);

/* Add a number to out's evidence for JSON. */
void finding_num(struct finding *out, const char *key, double v);

/* 120000 -> "120,000"; bytes -> "4.0 KiB"; a file's name, shortened. */
const char *finding_count(char *buf, size_t len, uint64_t n);
const char *finding_bytes(char *buf, size_t len, double n);
const char *finding_name(const struct finding_ctx *c, uint32_t id);

/* Is the file on a parallel or network file system? */
int finding_remote(const struct finding_ctx *c, uint32_t id);

/* small-reads' and small-writes' test of one file in direction d (0 read,
 * 1 write): 1000 small calls that are at least half of its calls, "small"
 * by the file system it lives on; their count, the calls and their time. */
int finding_small(const struct finding_ctx *c, uint32_t id, const struct acc_file *f, int d,
		  uint64_t *hit, uint64_t *of, uint64_t *dur);

/* Shared by piecemeal-read and small-reads (which it overrides). */
int finding_piecemeal_file(const struct finding_ctx *c, const struct acc_file *f);

/* The percentage a of b, rounded down. */
static inline unsigned finding_pct(uint64_t a, uint64_t b)
{
	return b ? (unsigned)(a * 100 / b) : 0;
}

#define FINDING_EVAL(name) int finding_##name(const struct finding_ctx *c, struct finding *out)
FINDING_EVAL(small_reads);
FINDING_EVAL(small_writes);
FINDING_EVAL(random_access);
FINDING_EVAL(strided_access);
FINDING_EVAL(metadata_heavy);
FINDING_EVAL(failed_lookups);
FINDING_EVAL(repeated_stat);
FINDING_EVAL(open_close_churn);
FINDING_EVAL(many_small_files);
FINDING_EVAL(sync_storm);
FINDING_EVAL(reread);
FINDING_EVAL(piecemeal_read);
FINDING_EVAL(read_after_write);
FINDING_EVAL(rw_pingpong);
FINDING_EVAL(misaligned);
FINDING_EVAL(seek_storm);
FINDING_EVAL(rank_imbalance);

#endif
