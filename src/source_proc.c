/* source_proc.c - the fallback without ptrace: sample /proc/PID/io of the
 * targets and all their descendants each interval (one procscan pass).
 *
 * Each interval's syscr/syscw deltas become read/write ops and rchar/wchar
 * deltas their bytes.  The counters say nothing of single calls, so one
 * event carries many ops (io_event.count): the model keeps exact op and
 * byte counts and places them in the heatmap at the interval's average
 * size.  read_bytes/write_bytes (what reached storage) are summed apart.
 *
 * A process is followed from the moment it is seen as a target or a
 * child of a followed process until it disappears, matched by (pid, start
 * time) so a reused pid is not mistaken for it.  Its last partial
 * interval is lost if it exits and is reaped between two samples (our
 * own command's is not: it is sampled as a zombie before we reap it). */
#include <config.h>

#include "source.h"
#include "report.h"
#include "log.h"
#include "intern.h"
#include "iorate.h"
#include "options.h"
#include "procfs.h"
#include "procscan.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Sample a little before each interval ends so that batch mode, which
 * prints an interval once the clock has passed it, finds it complete. */
#define SAMPLE_EARLY_US 2000
#define CHUNK_OPS 65535u		/* io_event.count is 16 bits */
#define BEGAN_UNKNOWN (~0ull)

struct tracked {
	int pid, ppid;
	unsigned long long began;
	struct io_counters prev;	/* what its events have covered */
	struct io_counters cur;		/* this sample's reading */
	struct io_counters credit;	/* reaped children's, already counted */
	int seen;
	int no_perm;
};

struct proc_src {
	struct procscan *scan;
	struct tracked *t;
	size_t nt, capt;
	int64_t last_us;	/* wall time of the previous sample */
	int64_t next_k;		/* index of the next regular sample */
	int baseline;		/* the next sample only sets the starting counters */
	struct io_event *pend;
	size_t npend, off, cappend;
	/* Bytes that reached storage (read_bytes, write_bytes) and processes
	 * whose counters could not be read: the run's account at the end. */
	uint64_t storage_bytes[2];
	uint64_t no_perm;
	int child_done, stop_asked, ended;
};

static struct tracked *track_find(struct proc_src *ps, int pid, unsigned long long began)
{
	for (size_t i = 0; i < ps->nt; i++)
		if (ps->t[i].pid == pid &&
		    (ps->t[i].began == began || ps->t[i].began == BEGAN_UNKNOWN))
			return &ps->t[i];
	return NULL;
}

static struct tracked *track_add(struct proc_src *ps, int pid, unsigned long long began)
{
	if (ps->nt == ps->capt) {
		size_t cap = ps->capt ? ps->capt * 2 : 16;
		struct tracked *t = realloc(ps->t, cap * sizeof *t);
		if (!t)
			return NULL;
		ps->t = t;
		ps->capt = cap;
	}
	struct tracked *tr = &ps->t[ps->nt++];
	memset(tr, 0, sizeof *tr);
	tr->pid = pid;
	tr->began = began;
	return tr;
}

static struct io_event *pend_next(struct proc_src *ps)
{
	if (ps->npend == ps->cappend) {
		size_t cap = ps->cappend ? ps->cappend * 2 : 256;
		struct io_event *e = realloc(ps->pend, cap * sizeof *e);
		if (!e)
			return NULL;
		ps->pend = e;
		ps->cappend = cap;
	}
	struct io_event *ev = &ps->pend[ps->npend++];
	memset(ev, 0, sizeof *ev);
	return ev;
}

/* ops calls that moved bytes in all, as events of at most CHUNK_OPS ops;
 * the bytes are split in proportion, the remainder in the last. */
static void emit(struct proc_src *ps, int pid, int cls, uint64_t ops, uint64_t bytes,
		 int64_t t_us)
{
	while (ops > 0) {
		uint64_t k = ops < CHUNK_OPS ? ops : CHUNK_OPS;
		uint64_t b = k == ops ? bytes :
			(uint64_t)((unsigned __int128)bytes * k / ops);
		struct io_event *ev = pend_next(ps);
		if (!ev)
			return;
		ev->t_us = t_us;
		ev->bytes = (int64_t)b;
		ev->pid = ev->tid = pid;
		ev->call = cls == OPC_READ ? SC_read : SC_write;
		ev->cls = (uint8_t)cls;
		ev->fdkind = FDK_OTHER;	/* the counters mix every kind */
		ev->count = (uint16_t)k;
		ops -= k;
		bytes -= b;
	}
}

static void name_event(struct source *s, struct proc_src *ps, int pid, const char *comm,
		       int64_t t_us)
{
	struct io_event *ev = pend_next(ps);
	if (!ev)
		return;
	ev->t_us = t_us;
	ev->pid = ev->tid = pid;
	ev->cls = OPC_PROC;
	ev->call = SC_execve;
	ev->file = comm ? intern_get(s->in, comm, strlen(comm), FDK_OTHER) : 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Read every process once; follow ours; queue events for their deltas. */
static int sample(struct source *s, struct proc_src *ps)
{
	int64_t now = source_wall_us();
	int64_t t_mid = ps->last_us + (now - ps->last_us) / 2;
	const struct procscan_proc *procs;
	int n = procscan_read(ps->scan, &procs);
	if (n < 0) {
		snprintf(s->error, sizeof s->error, "cannot read /proc (%s)", procscan_name());
		s->broken = 1;
		return -1;
	}
	char *mem = calloc((size_t)n + 1, 1);
	int *mpids = malloc(((size_t)n + 1) * sizeof *mpids);
	if (!mem || !mpids) {
		free(mem);
		free(mpids);
		return -1;
	}
	/* Members: followed already, or children of members (to a fixpoint:
	 * a grandchild may be listed before its parent). */
	int nm = 0;
	for (int i = 0; i < n; i++) {
		if (track_find(ps, procs[i].pid, procs[i].began)) {
			mem[i] = 1;
			mpids[nm++] = procs[i].pid;
		}
	}
	for (int changed = 1; changed;) {
		changed = 0;
		qsort(mpids, (size_t)nm, sizeof *mpids, cmp_int);
		int nm0 = nm;
		for (int i = 0; i < n; i++) {
			int ppid = procs[i].ppid;
			if (!mem[i] && bsearch(&ppid, mpids, (size_t)nm0, sizeof *mpids, cmp_int)) {
				mem[i] = 1;
				mpids[nm++] = procs[i].pid;
				changed = 1;
			}
		}
	}
	for (size_t i = 0; i < ps->nt; i++)
		ps->t[i].seen = 0;
	for (int i = 0; i < n; i++) {
		if (!mem[i])
			continue;
		const struct procscan_proc *pp = &procs[i];
		int pid = pp->pid;
		unsigned long long began = pp->began;
		struct tracked *tr = track_find(ps, pid, began);
		int fresh = !tr || tr->began == BEGAN_UNKNOWN;
		if (!tr && !(tr = track_add(ps, pid, began)))
			continue;
		tr->began = began;
		tr->ppid = pp->ppid;
		tr->seen = 1;
		tr->cur = pp->io;
		if (!fresh)
			continue;
		name_event(s, ps, pid, pp->comm, t_mid);
		log_msg("proc: following PID %d (%s), syscr %llu syscw %llu%s", pid,
			pp->comm, (unsigned long long)tr->cur.syscr,
			(unsigned long long)tr->cur.syscw, ps->baseline ? " (baseline)" : "");
		/* Unreadable counters read as 0: all four at 0 (no
		 * process gets that far without reading a byte) means look
		 * closer. */
		const struct io_counters *c = &tr->cur;
		if (!c->syscr && !c->syscw && !c->rchar && !c->wchar) {
			int err = procfs_io_access(pid);
			if (err == EACCES || err == EPERM) {
				tr->no_perm = 1;
				ps->no_perm++;
			}
		}
		if (ps->baseline)
			tr->prev = tr->cur;
	}
	/* A parent that reaps a child adds the child's counters to its own
	 * (the kernel does, in wait): what we counted of a child that has
	 * gone is not counted again in its parent.  What is left of the
	 * jump is the child's last partial interval, counted as the
	 * parent's.  (A child reaped by init, or auto-reaped, adds nothing;
	 * then the credit only lowers its parent's delta, at worst.) */
	for (size_t i = 0; i < ps->nt; i++) {
		struct tracked *gone = &ps->t[i];
		if (gone->seen || gone->began == BEGAN_UNKNOWN || gone->no_perm)
			continue;
		for (size_t j = 0; j < ps->nt; j++) {
			struct tracked *par = &ps->t[j];
			if (par->seen && par->pid == gone->ppid) {
				par->credit.syscr += gone->prev.syscr;
				par->credit.syscw += gone->prev.syscw;
				par->credit.rchar += gone->prev.rchar;
				par->credit.wchar += gone->prev.wchar;
				par->credit.read_bytes += gone->prev.read_bytes;
				par->credit.write_bytes += gone->prev.write_bytes;
				break;
			}
		}
	}
	for (size_t i = 0; i < ps->nt; i++) {
		struct tracked *tr = &ps->t[i];
		if (!tr->seen || tr->no_perm)
			continue;
		struct io_counters *p = &tr->prev, *c = &tr->cur, *cr = &tr->credit;
#define ABSORB(x) do { uint64_t d_ = iorate_delta(c->x, p->x); \
		p->x += cr->x < d_ ? cr->x : d_; cr->x = 0; } while (0)
		ABSORB(syscr);
		ABSORB(syscw);
		ABSORB(rchar);
		ABSORB(wchar);
		ABSORB(read_bytes);
		ABSORB(write_bytes);
#undef ABSORB
		uint64_t dr = iorate_delta(c->syscr, p->syscr);
		uint64_t dw = iorate_delta(c->syscw, p->syscw);
		/* Bytes without a call yet stay for the next interval. */
		if (dr) {
			emit(ps, tr->pid, OPC_READ, dr, iorate_delta(c->rchar, p->rchar), t_mid);
			p->syscr = c->syscr;
			p->rchar = c->rchar;
		}
		if (dw) {
			emit(ps, tr->pid, OPC_WRITE, dw, iorate_delta(c->wchar, p->wchar), t_mid);
			p->syscw = c->syscw;
			p->wchar = c->wchar;
		}
		ps->storage_bytes[0] += iorate_delta(c->read_bytes, p->read_bytes);
		ps->storage_bytes[1] += iorate_delta(c->write_bytes, p->write_bytes);
		p->read_bytes = c->read_bytes;
		p->write_bytes = c->write_bytes;
	}
	free(mem);
	free(mpids);
	/* Gone since the last sample: forget them. */
	size_t k = 0;
	for (size_t i = 0; i < ps->nt; i++)
		if (ps->t[i].seen || ps->t[i].began == BEGAN_UNKNOWN)
			ps->t[k++] = ps->t[i];
	ps->nt = k;
	ps->baseline = 0;
	ps->last_us = now;
	return 0;
}

static void pr_free(struct source *s);

static int start_command(struct source *s, struct proc_src *ps)
{
	const struct options *o = s->opt;
	int fds[2], stdio[2];
	char cmd[4096];
	if (source_path_search(o->command[0], cmd, sizeof cmd) < 0)
		return source_command_error(s, o->command[0]);
	if (source_stdio_open(s, stdio) < 0)
		return -1;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(s->error, sizeof s->error, "pipe: %s", strerror(errno));
		source_stdio_close(stdio);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(s->error, sizeof s->error, "fork: %s", strerror(errno));
		source_stdio_close(stdio);
		return -1;
	}
	if (pid == 0) {
		source_child_signals();
		source_child_group(s);
		source_stdio_child(stdio);
		close(fds[0]);
		execv(cmd, o->command);
		int e = errno;
		if (write(fds[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(e == ENOENT ? 127 : 126);
	}
	source_spawned(s, pid);
	close(fds[1]);
	source_stdio_close(stdio);
	int e = 0;
	ssize_t got;
	while ((got = read(fds[0], &e, sizeof e)) < 0 && errno == EINTR)
		;
	close(fds[0]);
	if (got == (ssize_t)sizeof e) {
		int st;
		waitpid(pid, &st, 0);
		snprintf(s->error, sizeof s->error, "%.400s: %s", o->command[0],
			 e == ENOENT ? "command not found" : strerror(e));
		s->exit_status = e == ENOENT ? 127 : 126;
		return -1;
	}
	s->child = pid;
	(void)ps;
	return 0;
}

static int pr_start(struct source *s)
{
	const struct options *o = s->opt;
	struct proc_src *ps = calloc(1, sizeof *ps);
	if (!ps) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	s->priv = ps;
	s->live = 1;
	if (!(ps->scan = procscan_new(0))) {
		snprintf(s->error, sizeof s->error, "%s cannot read /proc", procscan_name());
		return -1;
	}
	s->start_us = ps->last_us = source_wall_us();
	ps->next_k = 1;
	if (o->mode == MODE_COMMAND) {
		if (start_command(s, ps) < 0 || !track_add(ps, s->child, BEGAN_UNKNOWN))
			return -1;
		return 0;
	}
	for (int i = 0; i < o->npids; i++)
		if (!track_add(ps, o->pids[i], BEGAN_UNKNOWN))
			return -1;
	ps->baseline = 1;
	if (sample(s, ps) < 0)
		return -1;
	if (!ps->nt) {
		snprintf(s->error, sizeof s->error, "PID %d has gone", o->pids[0]);
		return -1;
	}
	return 0;
}

/* Our command has ended: sample it as a zombie, then reap it. */
static int check_child(struct source *s, struct proc_src *ps)
{
	if (!s->child || ps->child_done)
		return 0;
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)s->child, &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
	    si.si_pid != s->child)
		return 0;
	int r = sample(s, ps);
	int st;
	while (waitpid(s->child, &st, 0) < 0 && errno == EINTR)
		;
	ps->child_done = 1;
	for (size_t i = 0; i < ps->nt; i++)
		if (ps->t[i].pid == s->child)
			ps->t[i] = ps->t[--ps->nt];
	if (!ps->nt)
		ps->ended = 1;	/* no descendant left either */
	if (WIFEXITED(st))
		s->exit_status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		s->exit_status = 128 + WTERMSIG(st);
	s->exit_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	return r;
}

static int pr_poll(struct source *s, struct io_event *ev, size_t cap, int timeout_ms)
{
	struct proc_src *ps = s->priv;
	int64_t deadline = source_wall_us() + (int64_t)timeout_ms * 1000;
	int64_t iv = (int64_t)(s->opt->delay * 1e6 + 0.5);
	for (;;) {
		if (ps->off < ps->npend) {
			size_t n = ps->npend - ps->off;
			if (n > cap)
				n = cap;
			memcpy(ev, ps->pend + ps->off, n * sizeof *ev);
			ps->off += n;
			if (ps->off == ps->npend)
				ps->off = ps->npend = 0;
			return (int)n;
		}
		if (ps->ended)
			return -1;
		if (check_child(s, ps) < 0 || (ps->stop_asked && !s->child)) {
			/* Detaching costs nothing here: one last look, then end. */
			if (ps->stop_asked && !s->broken)
				sample(s, ps);
			ps->ended = 1;
			continue;
		}
		int64_t now = source_wall_us();
		int64_t due = s->start_us + ps->next_k * iv - SAMPLE_EARLY_US;
		if (now >= due) {
			if (sample(s, ps) < 0) {
				ps->ended = 1;
				continue;
			}
			ps->next_k = (now - s->start_us + SAMPLE_EARLY_US) / iv + 1;
			if (!ps->nt && (!s->child || ps->child_done))
				ps->ended = 1;	/* everyone we followed has gone */
			continue;
		}
		if (now >= deadline)
			return 0;
		int64_t wait = due - now;
		if (wait > deadline - now)
			wait = deadline - now;
		if (s->child && !ps->child_done && wait > 10000)
			wait = 10000;	/* notice the command's end promptly */
		struct timespec ts = {(time_t)(wait / 1000000), (long)(wait % 1000000) * 1000};
		nanosleep(&ts, NULL);
	}
}

static void pr_stop(struct source *s)
{
	struct proc_src *ps = s->priv;
	if (!ps || ps->stop_asked)
		return;
	ps->stop_asked = 1;
	/* Nothing is attached; a command we started ends as with strace. */
	if (s->child > 0 && !ps->child_done)
		kill(s->child, SIGTERM);
}

static void pr_free(struct source *s)
{
	struct proc_src *ps = s->priv;
	if (!ps)
		return;
	if (s->child > 0 && !ps->child_done) {
		int st;
		kill(s->child, SIGTERM);
		while (waitpid(s->child, &st, 0) < 0 && errno == EINTR)
			;
	}
	procscan_free(ps->scan);
	free(ps->t);
	free(ps->pend);
	free(ps);
	s->priv = NULL;
}

/* Attached, another user's counters are unreadable: no source can help. */
static int pr_probe(const struct options *o, int asked, char *why, size_t len)
{
	if (o->mode == MODE_PID) {
		for (int i = 0; i < o->npids; i++) {
			int err = procfs_io_access(o->pids[i]);
			if (err == EACCES || err == EPERM) {
				snprintf(why, len, "PID %d: no permission to read its I/O "
					 "counters (another user's process?)", o->pids[i]);
				return -1;
			}
		}
	}
	snprintf(why, len, "using the /proc I/O counters%s: per-interval average sizes, "
		 "no per-file data", asked ? " (--backend=proc)" : " instead");
	return 1;
}

static int pr_conclude(struct source *s, struct run_info *ri, int exit_seen)
{
	(void)exit_seen;
	struct proc_src *ps = s->priv;
	if (ps) {
		ri->storage_bytes = ps->storage_bytes;
		ri->no_perm = ps->no_perm;
	}
	return 0;
}

const struct source_ops source_proc_ops = {
	.name = "proc",
	.asked_by = BACKEND_PROC,
	.probe = pr_probe,
	.conclude = pr_conclude,
	.start = pr_start,
	.poll = pr_poll,
	.stop = pr_stop,
	.free = pr_free,
};
