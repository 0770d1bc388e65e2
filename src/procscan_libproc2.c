/* procscan_libproc2.c - the process scan through libproc2 (procps-ng 4):
 * one procps_pids_reap of the items a caller wants, copied into plain
 * procscan_proc records so that nothing else sees libproc2's types. */
#include <config.h>

#include "procscan.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libproc2/pids.h>

#define PF_KTHREAD 0x00200000	/* kernel thread (linux/sched.h) */

enum {
	PL2_PID, PL2_PPID, PL2_BEGAN, PL2_CMD, PL2_SYSCR, PL2_SYSCW, PL2_RCHAR, PL2_WCHAR,
	PL2_RB, PL2_WB, PL2_FLAGS, PL2_EUID, PL2_CMDLINE, PL2_NITEMS
};
static const enum pids_item pl2_items[PL2_NITEMS] = {
	PIDS_ID_PID, PIDS_ID_PPID, PIDS_TICS_BEGAN, PIDS_CMD,
	PIDS_IO_READ_OPS, PIDS_IO_WRITE_OPS, PIDS_IO_READ_CHARS, PIDS_IO_WRITE_CHARS,
	PIDS_IO_READ_BYTES, PIDS_IO_WRITE_BYTES, PIDS_FLAGS, PIDS_ID_EUID, PIDS_CMDLINE,
};

struct pl2 {
	struct pids_info *info;
	unsigned want;
	struct procscan_proc *procs;
	size_t cap;
};

static void *pl2_open(unsigned want)
{
	struct pl2 *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->want = want;
	/* The euid costs a read of status and the command line one of
	 * cmdline: the list stops before what is not wanted. */
	int n = (want & PROCSCAN_CMDLINE) ? PL2_NITEMS :
		(want & PROCSCAN_EUID) ? PL2_CMDLINE : PL2_EUID;
	enum pids_item items[PL2_NITEMS];
	memcpy(items, pl2_items, sizeof items);
	if (procps_pids_new(&p->info, items, n) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

#define VAL(i, type, st) PIDS_VAL(i, type, st, p->info)

static int pl2_read(void *impl, const struct procscan_proc **procs)
{
	struct pl2 *p = impl;
	struct pids_fetch *f = procps_pids_reap(p->info, PIDS_FETCH_TASKS_ONLY);
	if (!f)
		return -1;
	size_t n = (size_t)f->counts->total;
	if (n > p->cap) {
		struct procscan_proc *np = realloc(p->procs, n * sizeof *np);
		if (!np)
			return -1;
		p->procs = np;
		p->cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		struct pids_stack *st = f->stacks[i];
		struct procscan_proc *r = &p->procs[i];
		memset(r, 0, offsetof(struct procscan_proc, comm));
		r->pid = VAL(PL2_PID, s_int, st);
		r->ppid = VAL(PL2_PPID, s_int, st);
		r->began = VAL(PL2_BEGAN, ull_int, st);
		r->io = (struct io_counters){
			.syscr = VAL(PL2_SYSCR, ul_int, st), .syscw = VAL(PL2_SYSCW, ul_int, st),
			.rchar = VAL(PL2_RCHAR, ul_int, st), .wchar = VAL(PL2_WCHAR, ul_int, st),
			.read_bytes = VAL(PL2_RB, ul_int, st), .write_bytes = VAL(PL2_WB, ul_int, st),
		};
		snprintf(r->comm, sizeof r->comm, "%s", VAL(PL2_CMD, str, st));
		r->kthread = (VAL(PL2_FLAGS, ul_int, st) & PF_KTHREAD) != 0;
		r->cmdline[0] = '\0';
		if (p->want & (PROCSCAN_EUID | PROCSCAN_CMDLINE))
			r->euid = VAL(PL2_EUID, u_int, st);
		if (p->want & PROCSCAN_CMDLINE)
			snprintf(r->cmdline, sizeof r->cmdline, "%s", VAL(PL2_CMDLINE, str, st));
	}
	*procs = p->procs;
	return (int)n;
}

static void pl2_close(void *impl)
{
	struct pl2 *p = impl;
	procps_pids_unref(&p->info);
	free(p->procs);
	free(p);
}

const struct procscan_ops procscan_libproc2_ops = {
	.name = "libproc2",
	.open = pl2_open,
	.read = pl2_read,
	.close = pl2_close,
};
