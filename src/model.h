/* model.h - everything iopstop knows about a run, aggregated from events.
 *
 * Written by the sampler thread in batches under `lock`; read by views and
 * reports, which copy what they need under the same lock.  Memory is
 * bounded whatever the run's length: a fixed ring of interval bins, a
 * whole-run heatmap of fixed width whose bins double when it fills, and
 * capped file and process tables. */
#ifndef IOPSTOP_MODEL_H
#define IOPSTOP_MODEL_H

#include <pthread.h>
#include <stdint.h>

#include "bucket.h"
#include "event.h"
#include "syscalls.h"

#define RING_BINS 1024		/* live history, in intervals */
#define WR_COLS 512		/* whole-run heatmap columns */
#define WR_BASE_US 1000		/* its first bin width: 1 ms */
#define PROC_HINTS 16
#define MAX_PROCS 4096

/* One slice of time: ops and bytes per size bucket, reads and writes
 * apart; metadata ops, by family and call; errors; a latency histogram
 * per class. */
struct bin {
	uint32_t ops[2][NBUCKETS];
	uint64_t bytes[2][NBUCKETS];
	uint32_t lat[OPC_IO_COUNT][NLAT];
	uint32_t nops[OPC_IO_COUNT];
	uint32_t errors;
	uint64_t nbytes[2];
	/* Metadata calls made, failed ones too (a storm of failed lookups is
	 * still a storm): by family (the heatmap's band) and by call. */
	uint32_t fam[FAM_COUNT];
	uint32_t calls[SC_COUNT];
};

struct totals {
	uint64_t ops[OPC_IO_COUNT];	/* successful calls */
	uint64_t errors[OPC_IO_COUNT];	/* failed calls */
	uint64_t bytes[2];
	uint64_t by_call[SC_COUNT];	/* successful calls by name */
	uint64_t err_by_call[SC_COUNT];
	uint64_t hist_ops[2][NBUCKETS];
	uint64_t hist_bytes[2][NBUCKETS];
	uint64_t lat[OPC_IO_COUNT][NLAT];
	uint64_t dur_us[OPC_IO_COUNT];
	uint64_t peak_ops[OPC_IO_COUNT];	/* most in one interval */
	uint64_t peak_bytes[2];
	uint64_t kind_ops[FDK_COUNT];	/* read+write ops by descriptor kind */
	/* Storage-level traffic (OPC_DISK), apart from the calls: [0] reads,
	 * [1] writes. */
	uint64_t disk_ops[2], disk_bytes[2], disk_errors;
};

struct file_stats {
	uint64_t ops[OPC_IO_COUNT];
	uint64_t bytes[2];
	uint64_t errors;
	uint64_t dur_us;
	uint8_t seen;
	uint8_t filtered;	/* 0 unknown, 1 counted, 2 outside --path */
	uint8_t kind_out;	/* 0 unknown, else 1 + the kind --kinds judges it by */
	/* Merged recordings: the first recording that touched it, and
	 * whether another one did too (a file shared by ranks). */
	uint16_t origin;
	uint8_t shared;
};

/* What --kinds and --skip-threads kept out of every count: [0] read,
 * [1] write, [2] meta (successful or not). */
struct left_out {
	uint64_t ops[OPC_IO_COUNT];
	uint64_t bytes[2];
};

struct proc_stats {
	int32_t pid;
	uint32_t comm;		/* intern id of its name */
	uint64_t ops[OPC_IO_COUNT];
	uint64_t bytes[2];
	uint64_t errors;
	int exit_status;	/* -1 while running */
	uint16_t origin;	/* merged replay: its recording (host, rank); 0 = none */
	uint64_t dur_us;	/* time in I/O calls */
};

struct intern;
struct origins;

struct model {
	pthread_mutex_t lock;
	const struct intern *in;
	int64_t interval_us;
	int64_t start_us;	/* source clock at time 0 */
	int started;
	int64_t last_us;	/* newest event end, relative */
	int64_t now_us;		/* the live clock, relative (0 = use last_us) */

	struct bin ring[RING_BINS];
	int64_t ring_last;	/* absolute index of the newest bin, -1 none */

	struct bin wr[WR_COLS];
	int64_t wr_width_us;

	struct totals tot;

	struct file_stats *files;	/* indexed by intern id */
	uint32_t files_cap;

	struct proc_stats *procs;
	uint32_t nprocs;
	uint32_t proc_hint[PROC_HINTS]; /* by pid: index last found there */
	uint64_t procs_overflow;

	int32_t root_pid;	/* exit status of the run is this one's */
	uint16_t root_origin;
	int exit_status;	/* -1 unknown */
	int exit_signaled;	/* ... 128+N because signal N killed it */

	uint64_t events;
	/* Cycle times of one thread's consecutive calls (log2 us buckets),
	 * for the capture's cost (cost.c). */
	uint64_t cycle_us[NLAT];
	int32_t cycle_tid;
	int64_t cycle_end;
	int64_t root_cpu_us;	/* root's CPU time as the view last read it, -1 unknown */
	uint64_t lines, unparsed, unfinished, filtered_out;

	const char *const *path_prefixes;	/* --path, NULL-terminated */
	unsigned kinds;			/* --kinds: bit per fd_kind kept, 0 = all */
	const int *skip_tids;		/* --skip-threads */
	int nskip_tids;
	struct left_out left_kind[FDK_COUNT], left_threads;
	int source_done;

	/* Access tracking and findings (access.h, findings.h): made on the
	 * first event; no_track (IOPSTOP_NO_TRACK=1, for make bench) skips
	 * both. */
	struct access *acc;
	struct findings *fnd;
	/* A replay's recordings (host, rank by origin), for rank-imbalance;
	 * NULL live.  Set before the sampler starts. */
	const struct origins *origins;
	int no_track;
};

/* A model in the caller's memory: model_init, then model_destroy. */
void model_init(struct model *m, const struct intern *in, int64_t interval_us);
void model_destroy(struct model *m);
/* A model on the heap: model_new, then model_free (NULL is fine). */
struct model *model_new(const struct intern *in, int64_t interval_us);
void model_free(struct model *m);

/* Time 0 on the source's clock; without it the first event sets it. */
void model_set_start(struct model *m, int64_t start_us);

/* Aggregate a batch.  The caller holds m->lock. */
void model_add(struct model *m, const struct io_event *ev, size_t n);

/* Bin of absolute interval index idx from the ring, or NULL when it is
 * older than the ring holds or not yet reached. */
const struct bin *model_ring_bin(const struct model *m, int64_t idx);

/* The relative time the view calls "now". */
int64_t model_now(const struct model *m);

/* Elapsed run time in seconds. */
double model_elapsed_s(const struct model *m);

/* Sum src into dst. */
void bin_merge(struct bin *dst, const struct bin *src);

/* Run the findings rules now (the reports do, before printing); NULL
 * when tracking is off.  The caller holds m->lock. */
struct findings *model_findings(const struct model *m);

/* Process entry for pid (the first, in a merge), NULL if unknown. */
const struct proc_stats *model_proc(const struct model *m, int32_t pid);

#endif
