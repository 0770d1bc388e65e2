/* findings.h - what is wrong with a run's I/O: rules over the model.
 *
 * Each rule (findings_rules.c, one table) is a pure function of the model
 * and its access tracker: it decides from counts whether it fires (an
 * absolute minimum of evidence and a share, so short programs and start-up
 * never do), and from the share of traced I/O time its calls took how bad
 * it is.  The engine runs them once per interval of the model's clock and
 * remembers when each first fired; a finding, once fired, stays. */
#ifndef IOPSTOP_FINDINGS_H
#define IOPSTOP_FINDINGS_H

#include <stdint.h>
#include <stdio.h>

struct model;

enum finding_sev { FSEV_INFO = 0, FSEV_WARN, FSEV_HIGH };

#define FIND_FILES 3
#define FIND_NUMS 6

/* One fired finding: the numbers that prove it, the files it concerns. */
struct finding {
	int rule;			/* index into findings_rules */
	int severity;			/* enum finding_sev */
	double share;			/* of traced I/O time, 0..1 */
	int64_t first_us;		/* when it first fired (model time) */
	char evidence[200];		/* one line: "83% of 120,000 reads ..." */
	const char *num_key[FIND_NUMS];	/* the same, as numbers for JSON */
	double num[FIND_NUMS];
	int nnum;
	uint32_t files[FIND_FILES];	/* intern ids, the worst first */
	int nfiles;
	int32_t pids[FIND_FILES];	/* processes that moved their data */
	int npids;
};

/* What the rules see besides the model: where a file lives decides what
 * "small" means (1 MiB on parallel and network file systems). */
struct findings;
struct finding_ctx {
	const struct model *m;
	int64_t now_us;
	struct findings *fs;	/* for the file-system cache */
};

struct finding_rule {
	const char *id;		/* stable: scripts match on it */
	const char *title;
	const char *advice;	/* one or two sentences a person can act on */
	/* Fill out and return 1 when the rule fires. */
	int (*eval)(const struct finding_ctx *c, struct finding *out);
	const char *suppresses;	/* a general rule this one explains, or NULL */
};

extern const struct finding_rule findings_rules[];
extern const int findings_nrules;

#define FINDINGS_MAX 24
#define FINDINGS_MIN_SHARE 0.05	/* of I/O time, for a finding to fire */

struct findings {
	struct finding list[FINDINGS_MAX];	/* fired, in table order */
	int n;
	int64_t next_eval_us;
	uint8_t *fskind;		/* by file id: 0 unknown, 1 local, 2 remote */
	uint32_t fscap;
	int use_statfs;			/* else every file is local */
	/* Tests: says which files are remote instead of statfs. */
	int (*remote)(void *arg, uint32_t file);
	void *remote_arg;
	uint32_t announced;		/* -b: rules it printed, by bit */
};

struct findings *findings_new(void);
void findings_free(struct findings *f);

/* Run the rules over m at model time now_us (m's lock held). */
void findings_eval(struct findings *f, const struct model *m, int64_t now_us);

/* The worst fired finding (highest severity, then share), or NULL. */
const struct finding *findings_worst(const struct findings *f);

/* The severity's name: info, warn, high. */
const char *findings_sev_name(int sev);

/* Print one finding as the summary's block ("[id] evidence" + advice). */
void findings_print(FILE *out, const struct model *m, const struct finding *fi);

/* Print the "findings" array for --json. */
void findings_json(FILE *out, const struct model *m, const struct findings *f);

/* Rank imbalance, shared by the rank-imbalance rule and the ranks view:
 * Drishti's straggler rule, slowest - fastest over 15 % of the job's I/O
 * time (or of its bytes, heaviest - lightest). */
#define IMBALANCE_SHARE 0.15
struct rank_load {
	uint16_t origin;	/* its recording */
	uint64_t dur_us;	/* time in I/O calls */
	uint64_t bytes;		/* read and written */
};
struct imbalance {
	int n;
	int slow, fast;		/* indexes by time, -1 when n is 0 */
	int heavy, light;	/* by bytes */
	uint64_t dur_us, bytes;	/* the job's */
	double time_share, bytes_share;	/* the gaps over the job's, 0..1 */
	int by_time, by_bytes;	/* the rule holds (and the job is not tiny) */
};
void findings_imbalance(const struct rank_load *r, int n, struct imbalance *out);

#endif
