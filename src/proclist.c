/* proclist.c - this user's processes by I/O rate, from one procscan pass.
 *
 * Each refresh reads every process once (pid, start time, name, command
 * line, the /proc/PID/io counters), keeps ours, and turns the counters
 * into rates against the previous refresh with iorate_compute (a pure
 * function, tested apart).  A process is matched to its previous reading
 * by pid and start time, so a reused pid starts afresh; a process first
 * seen has no rate yet (0). */
#include <config.h>

#include "proclist.h"
#include "iorate.h"
#include "procfs.h"
#include "procscan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct reading {
	int pid;
	unsigned long long began;
	struct io_counters c;
};

struct proclist {
	struct procscan *scan;
	struct reading *prev, *cur;
	size_t nprev, cap;
	struct proc_row *rows;
	int nrows;
	int64_t last_us;
	int refreshed;
};

struct proclist *proclist_new(void)
{
	struct proclist *pl = calloc(1, sizeof *pl);
	if (!pl)
		return NULL;
	if (!(pl->scan = procscan_new(PROCSCAN_EUID | PROCSCAN_CMDLINE))) {
		free(pl);
		return NULL;
	}
	return pl;
}

void proclist_free(struct proclist *pl)
{
	if (!pl)
		return;
	procscan_free(pl->scan);
	free(pl->prev);
	free(pl->cur);
	free(pl->rows);
	free(pl);
}

static int cmp_reading(const void *a, const void *b)
{
	const struct reading *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Busiest first: ops, then bytes; unreadable ones last; then by pid. */
static int cmp_row(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;
	if (x->no_perm != y->no_perm)
		return x->no_perm - y->no_perm;
	double ox = x->read_ops_s + x->write_ops_s, oy = y->read_ops_s + y->write_ops_s;
	if (ox != oy)
		return ox < oy ? 1 : -1;
	double bx = x->read_bytes_s + x->write_bytes_s, by = y->read_bytes_s + y->write_bytes_s;
	if (bx != by)
		return bx < by ? 1 : -1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

int proclist_refresh(struct proclist *pl, int64_t now_us)
{
	const struct procscan_proc *procs;
	int got = procscan_read(pl->scan, &procs);
	if (got < 0)
		return -1;
	size_t n = (size_t)got;
	if (n > pl->cap) {
		struct reading *p = realloc(pl->prev, n * sizeof *p);
		if (p)
			pl->prev = p;
		struct reading *c = realloc(pl->cur, n * sizeof *c);
		if (c)
			pl->cur = c;
		struct proc_row *r = realloc(pl->rows, n * sizeof *r);
		if (r)
			pl->rows = r;
		if (!p || !c || !r)
			return -1;
		pl->cap = n;
	}
	int64_t dt = pl->refreshed ? now_us - pl->last_us : 0;
	unsigned euid = (unsigned)geteuid();
	int self = (int)getpid();
	size_t ncur = 0;
	int nrows = 0;
	for (size_t i = 0; i < n; i++) {
		const struct procscan_proc *pp = &procs[i];
		int pid = pp->pid;
		if (pp->euid != euid || pid == self || pp->kthread)
			continue;
		struct reading *r = &pl->cur[ncur++];
		r->pid = pid;
		r->began = pp->began;
		r->c = pp->io;
		struct proc_row *row = &pl->rows[nrows++];
		memset(row, 0, sizeof *row);
		row->pid = pid;
		snprintf(row->comm, sizeof row->comm, "%s", pp->comm);
		snprintf(row->cmd, sizeof row->cmd, "%s", pp->cmdline);
		/* Unreadable counters read as 0. */
		if (!r->c.syscr && !r->c.syscw && !r->c.rchar && !r->c.wchar) {
			int err = procfs_io_access(pid);
			row->no_perm = err == EACCES || err == EPERM;
		}
		const struct reading *old = pl->refreshed ?
			bsearch(r, pl->prev, pl->nprev, sizeof *r, cmp_reading) : NULL;
		if (old && old->began == r->began && !row->no_perm) {
			struct io_rates rt;
			iorate_compute(&r->c, &old->c, dt, &rt);
			row->read_ops_s = rt.read_ops_s;
			row->write_ops_s = rt.write_ops_s;
			row->read_bytes_s = rt.read_bytes_s;
			row->write_bytes_s = rt.write_bytes_s;
		}
	}
	qsort(pl->cur, ncur, sizeof *pl->cur, cmp_reading);
	struct reading *t = pl->prev;
	pl->prev = pl->cur;
	pl->cur = t;
	pl->nprev = ncur;
	qsort(pl->rows, (size_t)nrows, sizeof *pl->rows, cmp_row);
	pl->nrows = nrows;
	pl->last_us = now_us;
	pl->refreshed = 1;
	return nrows;
}

const struct proc_row *proclist_rows(const struct proclist *pl, int *n)
{
	*n = pl->nrows;
	return pl->rows;
}

const char *proclist_reader(void)
{
	return procscan_name();
}
