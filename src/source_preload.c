/* source_preload.c - run a command with iopstop's I/O library preloaded
 * (--backend=preload) and drain the shared ring it writes.
 *
 * ptrace stops the program at every traced call (tens of microseconds);
 * here each call costs the program a clock read and a ring push, and
 * iopstop reads the ring from its own thread.  The price is blindness to
 * what does not go through libc's exported functions; the library
 * measures that against the kernel's counters (see preload_check).
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
#include "report.h"
#include "shmring.h"
#include "syscalls.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
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

/* The kernel counters a process last reported: syscr, syscw, rchar,
 * wchar, and the bytes of the library's own reads so far. */
struct proc_k {
	int32_t pid;
	uint64_t k[4];
	uint64_t own;
};

/* The live check: the kernel's counts for the whole tree against what
 * came through the ring, each interval; what the kernel counted and we
 * did not is booked as "unseen" counter events (a file of its own). */
struct live_check {
	int64_t next_us;		/* wall time of the next check */
	uint64_t reaped[4];		/* counters of processes reaped */
	uint64_t other_bytes[2];	/* loader's and the library's own bytes */
	uint64_t seen_ops[2], seen_bytes[2];	/* events that came through */
	uint64_t booked_ops[2], booked_bytes[2];	/* unseen, already sent */
	int64_t last_ops[2];		/* the previous check's unseen calls */
	uint32_t file;			/* intern id of "[unseen by preload]" */
	/* Processes of the tree at this check and the previous one: only
	 * one seen at both is counted live, so a program still in its
	 * loader (its start report not yet sent) is not taken for unseen. */
	pid_t *cur, *prev;
	size_t ncur, nprev, capcur, capprev;
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
	int final_checked;	/* the last live check was made */
	int64_t check_us;	/* the live check's interval (-d) */
	int64_t nap_us;
	struct fdmap_ent *map;	/* (pid, fd) -> file, open addressing */
	uint32_t mapcap, mapused;
	struct proc_k *pk;	/* newest last */
	size_t npk, pkcap;
	struct capture_check check;	/* the run's account (ri->check) */
	struct live_check live;
	char path[SHMRING_PATH_MAX + 1];
};

/* ---- the library and the program --------------------------------------- */

static int preload_lib(char *out, size_t len)
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

/* 1 (and a one-line reason) when the program at path (or its #!
 * interpreter) is statically linked, so preloading cannot see it. */
static int preload_static(const char *path, char *why, size_t len)
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
				 "see its I/O", cur);
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
	/* A program built with gcc's -fsanitize=address aborts when its
	 * runtime is not the first library loaded: ours is, harmlessly. */
	const char *asan = getenv("ASAN_OPTIONS");
	if (!asan || !strstr(asan, "verify_asan_link_order")) {
		size_t m = (asan ? strlen(asan) : 0) + 32;
		char *a = malloc(m);
		if (a) {
			snprintf(a, m, "%s%sverify_asan_link_order=0", asan ? asan : "",
				 asan && *asan ? ":" : "");
			setenv("ASAN_OPTIONS", a, 1);
		}
	}
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
	ps->check_us = o->delay > 0 ? (int64_t)(o->delay * 1e6) : 1000000;
	s->live = 1;

	char lib[4096], cmd[4096];
	if (preload_lib(lib, sizeof lib) < 0) {
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
	return intern_get(s->in, p, len, intern_name_kind(p, len));
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
static void counts(struct preload_src *ps, const struct shmring_rec *r)
{
	uint64_t d[7];
	struct proc_k *p = proc_k(ps, r->pid);
	if (r->len < sizeof d || !p)
		return;
	memcpy(d, ps->path, sizeof d);
	struct capture_check *c = &ps->check;
	for (int i = 0; i < 2; i++) {
		if (!(r->flags & SHMRF_IMAGE_END) && d[i] > p->k[i])
			c->other_ops[i] += d[i] - p->k[i];
		/* Bytes as the calls: only an image's start report books the
		 * loader's (every report has call 0, so that was no test: the
		 * end report took the program's bytes away, unseen ones too). */
		if (!(r->flags & SHMRF_IMAGE_END) && d[4 + i] > p->k[2 + i])
			ps->live.other_bytes[i] += d[4 + i] - p->k[2 + i];
		c->seen_ops[i] += d[2 + i];
		p->k[i] = d[i];
		p->k[2 + i] = d[4 + i];
	}
	if (d[6] > p->own) {
		ps->live.other_bytes[0] += d[6] - p->own;
		p->own = d[6];
	}
	p->k[0]++;
	c->other_ops[0]++;
	if (r->flags & SHMRF_IMAGE_END)
		c->images++;
}

/* A read or write call as the kernel counts it in syscr/syscw (the
 * library's rule: unless it failed before reaching the file). */
static void live_seen(struct preload_src *ps, const struct sc_info *si,
		      const struct shmring_rec *r)
{
	int both = (si->flags & SCF_BOTH) != 0;
	if (si->cls != OPC_READ && si->cls != OPC_WRITE && !both)
		return;
	if (r->ret < 0 && (r->err == EBADF || r->err == EINVAL || r->err == EFAULT ||
			   r->err == ESPIPE))
		return;
	for (int i = 0; i < 2; i++) {
		if (!both && i != (si->cls == OPC_WRITE))
			continue;
		ps->live.seen_ops[i]++;
		if (r->ret > 0)
			ps->live.seen_bytes[i] += (uint64_t)r->ret;
	}
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
		counts(ps, r);
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
	live_seen(ps, si, r);
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
	if (r->fd >= 0) {
		ev->fd = r->fd;	/* an open's is the descriptor it returned */
		ev->flags |= EVF_FD;
	}
	if (r->flags & SHMRF_OFFSET) {
		ev->offset = r->off;
		ev->flags |= EVF_OFFSET;
	}
	ev->fdkind = ev->file ? (uint8_t)intern_kind(s->in, ev->file) : FDK_OTHER;
	if (!(si->flags & SCF_BOTH))
		return 1;
	ev->cls = OPC_READ;
	ev[1] = ev[0];
	ev[1].cls = OPC_WRITE;
	ev[1].file = map_get(ps, r->pid, r->fd2);
	ev[1].fd = r->fd2;
	ev[1].flags = r->fd2 >= 0 ? EVF_FD : 0;
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
	ps->check.dropped = __atomic_load_n(&ps->ring->dropped, __ATOMIC_RELAXED);
	ps->check.lost = ps->ring->lost;
	return n;
}

/* syscr, syscw, rchar, wchar of a /proc/PID/io text. */
static int io_parse(const char *buf, uint64_t k[4])
{
	static const char *const keys[4] = {"syscr: ", "syscw: ", "rchar: ", "wchar: "};
	for (int i = 0; i < 4; i++) {
		const char *p = strstr(buf, keys[i]);
		if (!p)
			return -1;
		k[i] = strtoull(p + 7, NULL, 10);
	}
	return 0;
}

static int io_read(pid_t pid, uint64_t k[4])
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%ld/io", (long)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return io_parse(buf, k);
}

/* Add every live descendant of pid's counters to k (children lists of
 * each thread; a reaped child's counters are in its parent's). */
static int pid_in(const pid_t *v, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == pid)
			return 1;
	return 0;
}

static void tree_counts(struct live_check *lc, pid_t pid, uint64_t k[4], int depth)
{
	char path[64], buf[4096];
	if (depth > 64)
		return;
	snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(buf, sizeof buf, "/proc/%ld/task/%.20s/children", (long)pid, e->d_name);
		int fd = open(buf, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (char *p = buf, *end; *p; p = end) {
			long c = strtol(p, &end, 10);
			if (end == p)
				break;
			if (c <= 0)
				continue;
			if (lc->ncur == lc->capcur) {
				size_t cap = lc->capcur ? lc->capcur * 2 : 64;
				pid_t *v = realloc(lc->cur, cap * sizeof *v);
				if (!v)
					continue;
				lc->cur = v;
				lc->capcur = cap;
			}
			lc->cur[lc->ncur++] = (pid_t)c;
			uint64_t ck[4];
			if (pid_in(lc->prev, lc->nprev, (pid_t)c) && io_read((pid_t)c, ck) == 0)
				for (int i = 0; i < 4; i++)
					k[i] += ck[i];
			tree_counts(lc, (pid_t)c, k, depth + 1);
		}
	}
	closedir(d);
}

/* Each interval: what the kernel counted for the tree beyond what came
 * through the ring (and the loader's, and the ring's dropped records)
 * becomes "unseen" counter events.  Counted first, drained after, so a
 * call in flight is not taken for unseen; a miss must show at two checks
 * running before it is booked. */
static size_t live_check(struct source *s, struct preload_src *ps, struct io_event *ev,
			 size_t cap, int final)
{
	struct live_check *lc = &ps->live;
	uint64_t k[4];
	memcpy(k, lc->reaped, sizeof k);
	if (!final) {
		lc->ncur = 0;
		tree_counts(lc, getpid(), k, 0);
		pid_t *t = lc->prev;
		size_t tc = lc->capprev;
		lc->prev = lc->cur, lc->nprev = lc->ncur, lc->capprev = lc->capcur;
		lc->cur = t, lc->capcur = tc, lc->ncur = 0;
	}
	size_t n = 0;
	for (int i = 0; i < 2 && n < cap; i++) {
		int64_t ops = (int64_t)k[i] - (int64_t)ps->check.other_ops[i] -
			      (int64_t)lc->seen_ops[i] - (int64_t)ps->check.dropped;
		if (final && ps->check.images) {
			/* The library's own count holds every call it saw, those
			 * the ring dropped too (unless its report was dropped). */
			int64_t lib = (int64_t)k[i] - (int64_t)ps->check.other_ops[i] -
				      (int64_t)ps->check.seen_ops[i];
			if (lib < ops)
				ops = lib;
		}
		int64_t sure = final ? ops : ops < lc->last_ops[i] ? ops : lc->last_ops[i];
		lc->last_ops[i] = ops;
		int64_t dops = sure - (int64_t)lc->booked_ops[i];
		if (dops <= 0)
			continue;
		int64_t bytes = (int64_t)k[2 + i] - (int64_t)lc->other_bytes[i] -
				(int64_t)lc->seen_bytes[i] - (int64_t)lc->booked_bytes[i];
		if (bytes < 0)
			bytes = 0;
		if (dops > 65535)
			dops = 65535;	/* the rest at the next check */
		if (!lc->file) {
			static const char name[] = REPORT_UNSEEN_FILE;	/* report_unseen finds it */
			lc->file = intern_get(s->in, name, sizeof name - 1, FDK_OTHER);
		}
		memset(&ev[n], 0, sizeof ev[n]);
		ev[n].t_us = source_wall_us();
		ev[n].pid = ev[n].tid = ps->pid;
		ev[n].cls = i ? OPC_WRITE : OPC_READ;
		ev[n].call = i ? SC_write : SC_read;
		ev[n].count = (uint16_t)dops;
		ev[n].bytes = bytes;
		ev[n].file = lc->file;
		ev[n].fdkind = FDK_OTHER;
		lc->booked_ops[i] += (uint64_t)dops;
		lc->booked_bytes[i] += (uint64_t)bytes;
		n++;
	}
	return n;
}

/* Add a zombie's syscr/syscw (its own and those of the children it
 * reaped) to the kernel's side of the check. */
static void zombie_counts(struct preload_src *ps, pid_t pid)
{
	uint64_t k[4];
	if (io_read(pid, k) < 0)
		return;
	ps->check.kernel_ops[0] += k[0];
	ps->check.kernel_ops[1] += k[1];
	for (int i = 0; i < 4; i++)
		ps->live.reaped[i] += k[i];
	ps->check.reaped++;
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
			zombie_counts(ps, si.si_pid);
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
		if (ps->all_gone && !ps->final_checked) {
			/* Drained: what the kernel counted and we never saw. */
			ps->final_checked = 1;
			n = live_check(s, ps, ev, cap, 1);
			if (n > 0)
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
		int64_t now = source_wall_us();
		if (now >= ps->live.next_us) {
			ps->live.next_us = now + ps->check_us;
			n = live_check(s, ps, ev, cap, 0);
			if (n > 0)
				return (int)n;
		}
		reap(s, ps);
		if (ps->all_gone)
			continue;	/* one last look, forcing stuck slots */
		now = source_wall_us();
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
	free(ps->live.cur);
	free(ps->live.prev);
	free(ps);
	s->priv = NULL;
}

/* 1 and a one-line warning when the kernel counted read or write calls
 * that the preloaded library did not see. */
static int preload_check(const struct capture_check *c, char *msg, size_t len)
{
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

static int pl_conclude(struct source *s, struct run_info *ri, int exit_seen)
{
	(void)exit_seen;
	struct preload_src *ps = s->priv;
	if (!ps)
		return 0;
	char msg[512];
	ri->check = &ps->check;
	if (preload_check(&ps->check, msg, sizeof msg))
		fprintf(stderr, "iopstop: warning: %s\n", msg);
	if (ps->check.dropped)
		fprintf(stderr, "iopstop: warning: the event ring overflowed: %llu "
			"events dropped\n", (unsigned long long)ps->check.dropped);
	return 0;
}

/* The loader ignores LD_PRELOAD for a program that gains privileges
 * (setuid, setgid, file capabilities): 1 and why. */
static int preload_secure(const char *path, char *why, size_t len)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return 0;
	const char *what = (st.st_mode & S_ISUID) && st.st_uid != geteuid() ? "setuid"
			 : (st.st_mode & S_ISGID) && st.st_gid != getegid() ? "setgid"
			 : getxattr(path, "security.capability", NULL, 0) > 0 ? "privileged (file capabilities)"
			 : NULL;
	if (!what)
		return 0;
	snprintf(why, len, "%.300s is %s: the loader ignores LD_PRELOAD for it", path, what);
	return 1;
}

/* Does this kernel trap system calls by region (Linux >= 5.11)?  Without
 * it the library cannot see the calls libc makes inside stdio. */
static int preload_dispatch_ok(void)
{
#ifdef PR_SET_SYSCALL_USER_DISPATCH
	return prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0) == 0;
#else
	return 0;
#endif
}

/* A command the loader will preload us into, and (for auto, which must be
 * exact) a kernel that lets the library see libc's internal calls. */
static int pl_probe(const struct options *o, int asked, char *why, size_t len)
{
	char path[4096], r[512];
	if (o->mode != MODE_COMMAND) {
		if (asked)
			snprintf(why, len, "cannot preload into a running process: "
				 "use --backend=strace or --backend=proc with -p");
		return 0;
	}
	if (preload_lib(path, sizeof path) < 0) {
		snprintf(why, len, "cannot preload %.300s: %s", path, strerror(errno));
		return 0;
	}
	if (source_path_search(o->command[0], path, sizeof path) < 0)
		return 1;	/* start says why, as a shell would */
	if (preload_static(path, r, sizeof r) || preload_secure(path, r, sizeof r)) {
		snprintf(why, len, "%s%s", r, asked ? " (use --backend=strace)" : "");
		return 0;
	}
	if (!asked && !preload_dispatch_ok()) {
		snprintf(why, len, "this kernel (Linux < 5.11?) has no syscall user dispatch, "
			 "so preload would miss stdio's calls");
		return 0;
	}
	return 1;
}

const struct source_ops source_preload_ops = {
	.name = "preload",
	.asked_by = BACKEND_PRELOAD,
	.probe = pl_probe,
	.conclude = pl_conclude,
	.start = pl_start,
	.poll = pl_poll,
	.stop = pl_stop,
	.free = pl_free,
};
