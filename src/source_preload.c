/* source_preload.c - run a command with iopstop's I/O library preloaded
 * (--backend=preload) and drain the shared ring it writes.
 *
 * ptrace stops the program at every traced call (tens of microseconds);
 * here each call costs the program a clock read and a ring push, and
 * iopstop reads the ring from its own thread.  The price is blindness to
 * what does not go through libc's exported functions; the library
 * measures that against the kernel's counters (see source_preload_check).
 *
 * The ring is a memfd kept close-on-exec in iopstop: the library opens it
 * through /proc/IOPSTOP_PID/fd/N, so the program's descriptor table is
 * untouched and programs that close all descriptors stay covered.
 * iopstop becomes a child subreaper so it sees the end of every process
 * of the command, as strace -f does. */
#include <config.h>

#include "source.h"
#include "intern.h"
#include "options.h"
#include "shmring.h"
#include "strace_parse.h"
#include "syscalls.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IOPSTOP_PKGLIBDIR
#define IOPSTOP_PKGLIBDIR "/usr/local/lib/iopstop"
#endif
#define LIB_NAME "iopstop_preload.so"
#define RING_SLOTS (1u << 17)	/* 8 MiB: ~50 ms of the busiest program */
#define NAP_MIN_US 1000

struct fdmap_ent {
	uint64_t key;		/* pid << 32 | fd, 0 = empty */
	uint32_t file;
};

/* The kernel counters a process last reported. */
struct proc_k {
	int32_t pid;
	uint64_t k[2];
};

struct preload_src {
	struct shmring_hdr *ring;
	size_t size;
	int memfd;
	pid_t pid;		/* the command */
	int pidfd;
	int status;		/* its wait status, once reaped */
	int reaped;		/* the command has ended */
	int all_gone;		/* no descendant is left */
	int done;		/* final drain finished */
	int stopping;
	int64_t nap_us;
	struct fdmap_ent *map;	/* (pid, fd) -> file, open addressing */
	uint32_t mapcap, mapused;
	struct proc_k *pk;	/* newest last */
	size_t npk, pkcap;
	char path[SHMRING_PATH_MAX + 1];
};

/* ---- the library and the program --------------------------------------- */

int source_preload_lib(char *out, size_t len)
{
	const char *env = getenv("IOPSTOP_PRELOAD_LIB");
	if (env && *env) {
		snprintf(out, len, "%s", env);
		return access(out, R_OK);
	}
	/* Run from the build tree (src/iopstop), the library is beside us
	 * in src/preload/; installed, it is in pkglibdir. */
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(out, len, "%s/preload/" LIB_NAME, exe) < (int)len &&
			    access(out, R_OK) == 0)
				return 0;
		}
	}
	snprintf(out, len, "%s", IOPSTOP_PKGLIBDIR "/" LIB_NAME);
	return access(out, R_OK);
}

/* 1 if the ELF file at path has no program interpreter (so no dynamic
 * loader reads LD_PRELOAD), 0 if it has one, -1 if it is not ELF. */
static int elf_static(int fd)
{
	unsigned char id[EI_NIDENT];
	if (pread(fd, id, sizeof id, 0) != (ssize_t)sizeof id || memcmp(id, ELFMAG, SELFMAG))
		return -1;
	uint64_t phoff;
	unsigned phnum, phentsize;
	if (id[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr eh;
		if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh)
			return -1;
		phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize;
	} else {
		Elf32_Ehdr eh;
		if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh)
			return -1;
		phoff = eh.e_phoff, phnum = eh.e_phnum, phentsize = eh.e_phentsize;
	}
	for (unsigned i = 0; i < phnum && i < 256; i++) {
		uint32_t type;	/* p_type comes first in both classes */
		if (pread(fd, &type, sizeof type, (off_t)(phoff + (uint64_t)i * phentsize)) !=
		    (ssize_t)sizeof type)
			return -1;
		if (type == PT_INTERP)
			return 0;
	}
	return 1;
}

int source_preload_static(const char *path, char *why, size_t len)
{
	char cur[4096];
	snprintf(cur, sizeof cur, "%s", path);
	/* Follow #! lines a few levels: the interpreter is what runs. */
	for (int depth = 0; depth < 4; depth++) {
		int fd = open(cur, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 0;	/* exec will say why */
		char head[256];
		ssize_t n = pread(fd, head, sizeof head - 1, 0);
		if (n > 2 && head[0] == '#' && head[1] == '!') {
			close(fd);
			head[n] = '\0';
			char *p = head + 2 + strspn(head + 2, " \t");
			p[strcspn(p, " \t\n")] = '\0';
			if (!*p)
				return 0;
			snprintf(cur, sizeof cur, "%s", p);
			continue;
		}
		int st = elf_static(fd);
		close(fd);
		if (st == 1) {
			snprintf(why, len, "%.300s is statically linked: preloading cannot "
				 "see its I/O (use --backend=strace)", cur);
			return 1;
		}
		return 0;
	}
	return 0;
}

/* ---- (pid, fd) -> file ---------------------------------------------------- */

static uint32_t hash_key(uint64_t k)
{
	k *= UINT64_C(0x9e3779b97f4a7c15);
	return (uint32_t)(k >> 32);
}

static struct fdmap_ent *map_slot(struct preload_src *ps, uint64_t key)
{
	uint32_t mask = ps->mapcap - 1;
	for (uint32_t h = hash_key(key) & mask;; h = (h + 1) & mask)
		if (ps->map[h].key == key || ps->map[h].key == 0)
			return &ps->map[h];
}

static void map_set(struct preload_src *ps, int32_t pid, int32_t fd, uint32_t file)
{
	uint64_t key = (uint64_t)(uint32_t)pid << 32 | (uint32_t)fd;
	if (!key)
		return;
	if ((ps->mapused + 1) * 2 > ps->mapcap) {
		uint32_t cap = ps->mapcap ? ps->mapcap * 2 : 1024;
		struct fdmap_ent *m = calloc(cap, sizeof *m);
		if (!m)
			return;
		struct fdmap_ent *old = ps->map;
		uint32_t oldcap = ps->mapcap;
		ps->map = m;
		ps->mapcap = cap;
		for (uint32_t i = 0; i < oldcap; i++)
			if (old[i].key)
				*map_slot(ps, old[i].key) = old[i];
		free(old);
	}
	struct fdmap_ent *e = map_slot(ps, key);
	if (!e->key)
		ps->mapused++;
	e->key = key;
	e->file = file;
}

static uint32_t map_get(struct preload_src *ps, int32_t pid, int32_t fd)
{
	uint64_t key = (uint64_t)(uint32_t)pid << 32 | (uint32_t)fd;
	if (!ps->mapcap || fd < 0)
		return INTERN_NONE;
	struct fdmap_ent *e = map_slot(ps, key);
	return e->key ? e->file : INTERN_NONE;
}

/* ---- start ---------------------------------------------------------------- */

static int ring_create(struct source *s, struct preload_src *ps)
{
	uint32_t cap = RING_SLOTS;
	const char *env = getenv("IOPSTOP_RING_SLOTS");	/* tests: a tiny ring */
	if (env && *env) {
		unsigned long v = strtoul(env, NULL, 10);
		for (cap = 64; cap < v && cap < (1u << 24); cap *= 2)
			;
	}
	ps->size = shmring_size(cap);
	ps->memfd = (int)syscall(SYS_memfd_create, "iopstop-ring", 1u /* MFD_CLOEXEC */);
	if (ps->memfd < 0 || ftruncate(ps->memfd, (off_t)ps->size) < 0) {
		snprintf(s->error, sizeof s->error, "cannot create the event ring: %s",
			 strerror(errno));
		return -1;
	}
	void *mem = mmap(NULL, ps->size, PROT_READ | PROT_WRITE, MAP_SHARED, ps->memfd, 0);
	if (mem == MAP_FAILED) {
		snprintf(s->error, sizeof s->error, "cannot map the event ring: %s",
			 strerror(errno));
		return -1;
	}
	shmring_init(mem, cap);
	ps->ring = mem;
	return 0;
}

/* In the child: LD_PRELOAD (ours first, then the user's) and the ring. */
static void child_env(const char *lib, const struct preload_src *ps, pid_t parent)
{
	const char *old = getenv("LD_PRELOAD");
	size_t n = strlen(lib) + (old ? strlen(old) : 0) + 2;
	char *v = malloc(n);
	if (v) {
		snprintf(v, n, "%s%s%s", lib, old && *old ? ":" : "", old ? old : "");
		setenv("LD_PRELOAD", v, 1);
	}
	char ring[64];
	snprintf(ring, sizeof ring, "%ld:%d:%zu", (long)parent, ps->memfd, ps->size);
	setenv("IOPSTOP_RING", ring, 1);
}

static int pl_start(struct source *s)
{
	const struct options *o = s->opt;
	struct preload_src *ps = calloc(1, sizeof *ps);
	if (!ps) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	s->priv = ps;
	ps->memfd = ps->pidfd = -1;
	ps->nap_us = NAP_MIN_US;
	s->live = 1;

	char lib[4096], cmd[4096];
	if (source_preload_lib(lib, sizeof lib) < 0) {
		snprintf(s->error, sizeof s->error, "%.400s: %s (set IOPSTOP_PRELOAD_LIB)",
			 lib, strerror(errno));
		return -1;
	}
	if (source_path_search(o->command[0], cmd, sizeof cmd) < 0)
		return source_command_error(s, o->command[0]);
	if (ring_create(s, ps) < 0)
		return -1;

	int stdio[2];
	if (source_stdio_open(s, stdio) < 0)
		return -1;
#ifdef PR_SET_CHILD_SUBREAPER
	/* Orphaned grandchildren come to us: the run ends when all have. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
#endif
	s->start_us = source_wall_us();
	pid_t parent = getpid();
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
		child_env(lib, ps, parent);
		execv(cmd, o->command);
		fprintf(stderr, "iopstop: %s: %s\n", cmd, strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	source_spawned(s, pid);
	source_stdio_close(stdio);
	ps->pid = pid;
	s->child = pid;
#ifdef SYS_pidfd_open
	ps->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (ps->pidfd >= 0)
		fcntl(ps->pidfd, F_SETFD, FD_CLOEXEC);
#endif
	return 0;
}

/* ---- poll ----------------------------------------------------------------- */

static uint32_t name_of(struct source *s, const char *p, size_t len)
{
	return intern_get(s->in, p, len, strace_name_kind(p, len));
}

static struct proc_k *proc_k(struct preload_src *ps, int32_t pid)
{
	for (size_t i = ps->npk; i-- > 0;)
		if (ps->pk[i].pid == pid)
			return &ps->pk[i];
	if (ps->npk == ps->pkcap) {
		size_t cap = ps->pkcap ? ps->pkcap * 2 : 64;
		struct proc_k *p = realloc(ps->pk, cap * sizeof *p);
		if (!p)
			return NULL;
		ps->pk = p;
		ps->pkcap = cap;
	}
	struct proc_k *p = &ps->pk[ps->npk++];
	memset(p, 0, sizeof *p);	/* a process starts at zero */
	p->pid = pid;
	return p;
}

/* A library's counters report.  At an image's start, what the kernel
 * counted since the process's previous report (or birth) was the loader's
 * and exec's; each report is one read(2) of /proc/self/io. */
static void counts(struct source *s, struct preload_src *ps, const struct shmring_rec *r)
{
	uint64_t d[4];
	struct proc_k *p = proc_k(ps, r->pid);
	if (r->len < sizeof d || !p)
		return;
	memcpy(d, ps->path, sizeof d);
	struct capture_check *c = &s->check;
	for (int i = 0; i < 2; i++) {
		if (r->call == 0 && d[i] > p->k[i])
			c->other_ops[i] += d[i] - p->k[i];
		c->seen_ops[i] += d[2 + i];
		p->k[i] = d[i];
	}
	p->k[0]++;
	c->other_ops[0]++;
	if (r->call == 1)
		c->images++;
}

/* One ring record into at most two events; returns how many. */
static int convert(struct source *s, struct preload_src *ps, const struct shmring_rec *r,
		   struct io_event *ev)
{
	switch (r->type) {
	case SHMR_NAME:
		map_set(ps, r->pid, r->fd, name_of(s, ps->path, r->len));
		return 0;
	case SHMR_COUNTS:
		counts(s, ps, r);
		return 0;
	case SHMR_PROC:
		memset(ev, 0, sizeof *ev);
		ev->t_us = r->t_us;
		ev->pid = r->pid;
		ev->tid = r->tid;
		ev->cls = OPC_PROC;
		if (r->call == SC_execve) {
			ev->call = SC_execve;
			ev->file = intern_get(s->in, ps->path, r->len, FDK_OTHER);
		} else if (r->call == SC_FORK) {
			ev->call = SC_FORK;
			ev->bytes = r->ret;
		} else {
			return 0;
		}
		return 1;
	case SHMR_EVENT:
		break;
	default:
		return 0;
	}
	if (r->call == SC_NONE || r->call >= SC_COUNT || sc_table[r->call].cls == OPC_PROC)
		return 0;
	const struct sc_info *si = &sc_table[r->call];
	memset(ev, 0, sizeof *ev);
	ev->t_us = r->t_us;
	ev->dur_us = r->dur_us;
	ev->pid = r->pid;
	ev->tid = r->tid;
	ev->call = r->call;
	ev->cls = si->cls;
	ev->err = r->err;
	if (r->ret >= 0 && si->cls != OPC_META)
		ev->bytes = r->ret;
	if (r->len)
		ev->file = name_of(s, ps->path, r->len);
	else
		ev->file = map_get(ps, r->pid, r->fd);
	ev->fdkind = ev->file ? (uint8_t)intern_kind(s->in, ev->file) : FDK_OTHER;
	if (!(si->flags & SCF_BOTH))
		return 1;
	ev->cls = OPC_READ;
	ev[1] = ev[0];
	ev[1].cls = OPC_WRITE;
	ev[1].file = map_get(ps, r->pid, r->fd2);
	ev[1].fdkind = ev[1].file ? (uint8_t)intern_kind(s->in, ev[1].file) : FDK_OTHER;
	return 2;
}

static size_t drain(struct source *s, struct preload_src *ps, struct io_event *ev,
		    size_t cap, int force)
{
	size_t n = 0;
	struct shmring_rec r;
	while (n + 2 <= cap &&
	       shmring_pop(ps->ring, &r, ps->path, sizeof ps->path, force) == 1) {
		s->lines++;
		n += (size_t)convert(s, ps, &r, ev + n);
	}
	s->check.dropped = __atomic_load_n(&ps->ring->dropped, __ATOMIC_RELAXED);
	s->check.lost = ps->ring->lost;
	return n;
}

/* Add a zombie's syscr/syscw (its own and those of the children it
 * reaped) to the kernel's side of the check. */
static void zombie_counts(struct source *s, pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%ld/io", (long)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	const char *r = strstr(buf, "syscr: "), *w = strstr(buf, "syscw: ");
	if (!r || !w)
		return;
	s->check.kernel_ops[0] += strtoull(r + 7, NULL, 10);
	s->check.kernel_ops[1] += strtoull(w + 7, NULL, 10);
	s->check.reaped++;
}

/* Reap what has ended; the command's status becomes the run's.  Each
 * zombie's counters are read before it goes (waitid WNOWAIT). */
static void reap(struct source *s, struct preload_src *ps)
{
	for (;;) {
		int st;
		siginfo_t si;
		memset(&si, 0, sizeof si);
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) == 0 &&
		    si.si_pid > 0)
			zombie_counts(s, si.si_pid);
		pid_t r = si.si_pid > 0 ? waitpid(si.si_pid, &st, WNOHANG | __WALL)
					: waitpid(-1, &st, WNOHANG | __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ps->all_gone = 1;	/* ECHILD: no descendant left */
			return;
		}
		if (r == 0)
			return;
		if (r == ps->pid) {
			ps->reaped = 1;
			ps->status = st;
			s->exit_status = WIFEXITED(st) ? WEXITSTATUS(st)
				       : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
			s->exit_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		}
	}
}

static void nap(struct preload_src *ps, int64_t us)
{
	if (ps->pidfd >= 0 && !ps->reaped) {
		struct pollfd p = {.fd = ps->pidfd, .events = POLLIN};
		poll(&p, 1, (int)((us + 999) / 1000));
		return;
	}
	struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
	nanosleep(&ts, NULL);
}

static int pl_poll(struct source *s, struct io_event *ev, size_t cap, int timeout_ms)
{
	struct preload_src *ps = s->priv;
	if (ps->done)
		return -1;
	int64_t deadline = source_wall_us() + (int64_t)timeout_ms * 1000;
	for (;;) {
		size_t n = drain(s, ps, ev, cap, ps->all_gone);
		if (n > 0) {
			ps->nap_us = NAP_MIN_US;
			return (int)n;
		}
		if (ps->all_gone) {
			/* Everything is drained: the command's end closes it. */
			ps->done = 1;
			if (!ps->reaped || cap < 1)
				return -1;
			memset(ev, 0, sizeof *ev);
			ev->t_us = source_wall_us();
			ev->pid = ev->tid = ps->pid;
			ev->cls = OPC_PROC;
			ev->call = SC_EXIT;
			ev->bytes = s->exit_status;
			ev->flags = s->exit_signal ? EVF_SIGNALED : 0;
			return 1;
		}
		reap(s, ps);
		if (ps->all_gone)
			continue;	/* one last look, forcing stuck slots */
		int64_t now = source_wall_us();
		if (now >= deadline)
			return 0;
		int64_t wait = deadline - now;
		if (wait > ps->nap_us)
			wait = ps->nap_us;
		if (ps->nap_us < INT64_C(256000))
			ps->nap_us *= 2;
		nap(ps, wait);
	}
}

static void pl_stop(struct source *s)
{
	struct preload_src *ps = s->priv;
	if (!ps || ps->reaped || ps->stopping || ps->pid <= 0)
		return;
	ps->stopping = 1;
	kill(ps->pid, SIGTERM);	/* as timeout(1) would */
}

static void pl_free(struct source *s)
{
	struct preload_src *ps = s->priv;
	if (!ps)
		return;
	if (ps->pid > 0 && !ps->reaped) {
		pl_stop(s);
		int st;
		while (waitpid(ps->pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	if (ps->ring)
		munmap(ps->ring, ps->size);
	if (ps->memfd >= 0)
		close(ps->memfd);
	if (ps->pidfd >= 0)
		close(ps->pidfd);
	free(ps->map);
	free(ps->pk);
	free(ps);
	s->priv = NULL;
}

int source_preload_check(const struct source *s, char *msg, size_t len)
{
	const struct capture_check *c = &s->check;
	msg[0] = '\0';
	if (!c->reaped)
		return 0;
	if (!c->images) {
		snprintf(msg, len, "the preloaded library never reported: the command's "
			 "I/O was not seen (static or setuid program?); use --backend=strace");
		return 1;
	}
	int64_t miss[2];
	for (int i = 0; i < 2; i++)
		miss[i] = (int64_t)c->kernel_ops[i] - (int64_t)c->other_ops[i] -
			  (int64_t)c->seen_ops[i];
	if (miss[0] <= 0 && miss[1] <= 0)
		return 0;
	snprintf(msg, len, "the kernel counted %lld read and %lld write calls that "
		 "preload did not see (%llu and %llu seen; stdio, dlopen, raw system "
		 "calls or static programs); to see every call use --backend=strace",
		 (long long)(miss[0] > 0 ? miss[0] : 0), (long long)(miss[1] > 0 ? miss[1] : 0),
		 (unsigned long long)c->seen_ops[0], (unsigned long long)c->seen_ops[1]);
	return 1;
}

const struct source_ops source_preload_ops = {
	.name = "preload",
	.start = pl_start,
	.poll = pl_poll,
	.stop = pl_stop,
	.free = pl_free,
};
