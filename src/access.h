/* access.h - per-open-file access tracking: where each read and write
 * lands in its file, and what that says about the program.
 *
 * Positions are kept per open file description, as the kernel does:
 * open makes one (position 0), fork shares it between parent and child,
 * threads share their process's table, read/write advance it by what they
 * returned, pread/pwrite carry their own offset and leave it, lseek's
 * result resyncs it, O_APPEND writes land at the end, close and exec (for
 * close-on-exec descriptors) drop it.  A descriptor seen first in a read
 * (opened before the trace, or made by a dup the trace does not show) gets
 * an unknown position until an lseek or pread says where it is: its calls
 * are counted but not classified, never guessed.
 *
 * Memory is bounded: ACC_MAX_PROCS process tables of ACC_MAX_FD
 * descriptors and ACC_MAX_FILES file records (beyond them, calls are
 * counted as untracked and classified nowhere), and per file
 * at most ACC_RANGES disjoint read ranges; past that the shortest is
 * forgotten, which can only understate coverage, so re-reads are
 * under-reported, never invented. */
#ifndef IOPSTOP_ACCESS_H
#define IOPSTOP_ACCESS_H

#include <stdint.h>

#include "event.h"

#define ACC_MAX_PROCS 1024
#define ACC_MAX_FD 4096
#define ACC_MAX_FILES 16384	/* files with a record (~0.6 KiB each) */
#define ACC_RANGES 16
#define ACC_TOP 4		/* common sizes and strides kept per file (as Darshan) */
#define ACC_SMALL_LOCAL 4096u	/* "small" on a local file system */
#define ACC_SMALL_PFS (1u << 20) /* on Lustre, GPFS, BeeGFS, NFS */
#define ACC_ALIGN 4096

/* A value and how often it was seen (space-saving top-k). */
struct acc_top {
	int64_t v;
	uint64_t n;
};

/* What happened to one file's data, over all its descriptions. */
struct acc_file {
	uint64_t data[2];	/* reads/writes that moved bytes */
	uint64_t small[2];	/* of them < ACC_SMALL_LOCAL */
	uint64_t small_pfs[2];	/* of them < ACC_SMALL_PFS */
	uint64_t tiny_w;	/* writes < 128 B: unbuffered output */
	uint64_t small_dur[2];	/* their time, microseconds */
	uint64_t dur[2];	/* time of all data calls */
	uint64_t classified[2];	/* with a known start: consec+seq+random */
	uint64_t consec[2], seq[2], rnd[2];
	uint64_t big[2], misaligned[2];	/* >= ACC_ALIGN; of them off % ALIGN */
	uint64_t switches;	/* data calls in the other direction than the last */
	uint64_t zero_reads;	/* reads at EOF */
	uint64_t seeks, seek_noop; /* lseeks; of them to where it already was */
	uint64_t bytes[2];
	uint64_t read_distinct;	/* bytes in ranges[] (covered at least once) */
	uint64_t reread_bytes;	/* bytes read that ranges[] already held */
	uint64_t raw_bytes;	/* bytes read back that this run had written */
	int64_t size;		/* largest end seen, or EOF where a read hit it */
	uint8_t eof_seen;	/* size is exact: a read returned 0 there */
	uint8_t hot;		/* on access.hot */
	uint8_t size_bucket;	/* where size_hist counts it */
	uint8_t nranges;
	uint32_t ranges_dropped;	/* forgotten at the cap (see above) */
	int8_t last_dir;	/* -1 none, else the last data call's direction */
	struct acc_top sizes[2][ACC_TOP];
	struct acc_top strides[ACC_TOP];
	int64_t rlo[ACC_RANGES], rhi[ACC_RANGES];	/* read ranges, sorted */
	int64_t wlo, whi;	/* the span this run wrote (one range) */
	int32_t pids[3];	/* the first processes that moved its data */
};

/* Metadata per path: cheap, kept for every file id. */
struct acc_meta {
	uint32_t opens, stats, fails, syncs;
	uint8_t regular;	/* 0 not known yet, 1 a regular file, 2 not */
	uint8_t hot;		/* on access.mhot */
};

struct acc_desc;
struct acc_proc;

struct access {
	const struct intern *in;
	struct acc_file **files;	/* by intern id; NULL until data moves */
	struct acc_meta *meta;		/* by intern id */
	uint32_t cap;
	uint32_t *ids;			/* the ids that have an acc_file, in order seen */
	uint32_t nfiles, idcap;		/* with an acc_file; ids' room */
	/* Files with 64 data calls or seeks, or 4 MiB read: the only ones a
	 * per-file rule can fire on, so the rules need not look at others. */
	uint32_t *hot;
	uint32_t nhot, hotcap;
	/* Files that moved data by log2 of their size (bucket k: < 2^k). */
	/* Paths opened 10 times, stat'ed 100 times or synced: the only ones
	 * open-close-churn, repeated-stat and sync-storm look at. */
	uint32_t *mhot;
	uint32_t nmhot, mhotcap;
	uint32_t size_hist[64];
	uint64_t reg_bytes, reg_dur;	/* data moved on regular files, its time */
	struct acc_proc *procs;		/* open-addressed by pid */
	uint32_t pslots, pused;		/* slots; live and deleted ones */
	/* Whole-run tallies the rules need. */
	uint64_t untracked;		/* calls past a cap */
	uint64_t lookups, lookup_fails;	/* path calls; of them ENOENT/ENOTDIR */
	uint64_t lookup_fail_dur;
	uint64_t stats, stat_dur;	/* stat family */
	uint64_t opens, open_dur;	/* successful opens */
	uint64_t syncs, sync_dur;	/* fsync, fdatasync, sync_file_range */
	uint64_t seeks, seek_dur;
	uint64_t meta_dur, data_dur;	/* all metadata / data call time */
	uint64_t meta_ops, data_ops;
};

struct intern;

/* in names the files, to leave /proc, /sys and /dev out (may be NULL). */
struct access *access_new(const struct intern *in);
void access_free(struct access *a);

/* Take one event (any class: PROC events carry fork/exec/exit).  Events
 * are taken in the order their calls ended, as strace prints them. */
void access_event(struct access *a, const struct io_event *ev);

/* The file's record, or NULL when no data moved on it. */
const struct acc_file *access_file(const struct access *a, uint32_t id);
const struct acc_meta *access_meta(const struct access *a, uint32_t id);

/* The most common value of a top table and its count. */
int64_t access_top(const struct acc_top *t, uint64_t *n);

#endif
