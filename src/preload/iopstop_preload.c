/* iopstop_preload.c - the library iopstop preloads into a command
 * (--backend=preload): wraps libc's I/O entry points, times each call and
 * pushes one record per call into the shared ring (shmring.h).
 *
 * Cost is what matters here: a wrapped call adds two vDSO clock reads and
 * one lock-free ring push, no system call.  The descriptor's path is sent
 * once per (process, descriptor) as a NAME record, resolved the way
 * `strace -y` does (readlink of /proc/self/fd/N), so per-file counts match
 * strace's.  What this cannot see (libc-internal calls such as stdio's,
 * raw syscall(2), static programs) is measured instead: each program image
 * reports the kernel's own syscr/syscw over its life beside the count it
 * saw, and iopstop says when they differ.
 *
 * Built without sanitizers: it runs inside programs that are not. */
#include <config.h>

#include "preload.h"
#include "shmring.h"
#include "event.h"
#include "syscalls.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define FDTAB 65536	/* descriptors whose names are remembered */

struct shmring_hdr *pl_ring;	/* NULL: not watching, pass through */
static int32_t my_pid;
static __thread int32_t my_tid;
/* fd -> pid that announced its name (0: not announced in this process). */
static int32_t fd_owner[FDTAB];
/* Read/write calls seen since the last report, counted as the kernel
 * counts them in syscr/syscw. */
static uint64_t seen[2];

/* glibc < 2.33 programs call these; newer headers no longer declare them. */
int __xstat(int, const char *, struct stat *);
int __xstat64(int, const char *, struct stat64 *);
int __lxstat(int, const char *, struct stat *);
int __lxstat64(int, const char *, struct stat64 *);
int __fxstat(int, int, struct stat *);
int __fxstat64(int, int, struct stat64 *);
int __fxstatat(int, int, const char *, struct stat *, int);
int __fxstatat64(int, int, const char *, struct stat64 *, int);

/* ---- the real functions -------------------------------------------------- */

static inline void *resolve(void **p, const char *name)
{
	if (__builtin_expect(!*p, 0)) {
		int e = errno;	/* a first call must not change errno */
		*p = dlsym(RTLD_NEXT, name);
		errno = e;
	}
	return *p;
}
#define REAL(name) ((__typeof__(real_##name))resolve((void **)&real_##name, #name))
#define DECL(ret, name, ...) static ret (*real_##name)(__VA_ARGS__)

DECL(ssize_t, read, int, void *, size_t);
DECL(ssize_t, write, int, const void *, size_t);
ssize_t __read_chk(int, void *, size_t, size_t);
ssize_t __pread_chk(int, void *, size_t, off_t, size_t);
ssize_t __pread64_chk(int, void *, size_t, off_t, size_t);
DECL(ssize_t, __read_chk, int, void *, size_t, size_t);
DECL(ssize_t, __pread_chk, int, void *, size_t, off_t, size_t);
DECL(ssize_t, __pread64_chk, int, void *, size_t, off_t, size_t);
DECL(ssize_t, pread, int, void *, size_t, off_t);
DECL(ssize_t, pread64, int, void *, size_t, off_t);
DECL(ssize_t, pwrite, int, const void *, size_t, off_t);
DECL(ssize_t, pwrite64, int, const void *, size_t, off_t);
DECL(ssize_t, readv, int, const struct iovec *, int);
DECL(ssize_t, writev, int, const struct iovec *, int);
DECL(ssize_t, preadv, int, const struct iovec *, int, off_t);
DECL(ssize_t, preadv64, int, const struct iovec *, int, off_t);
DECL(ssize_t, pwritev, int, const struct iovec *, int, off_t);
DECL(ssize_t, pwritev64, int, const struct iovec *, int, off_t);
DECL(ssize_t, preadv2, int, const struct iovec *, int, off_t, int);
DECL(ssize_t, preadv64v2, int, const struct iovec *, int, off_t, int);
DECL(ssize_t, pwritev2, int, const struct iovec *, int, off_t, int);
DECL(ssize_t, pwritev64v2, int, const struct iovec *, int, off_t, int);
DECL(ssize_t, sendfile, int, int, off_t *, size_t);
DECL(ssize_t, sendfile64, int, int, off_t *, size_t);
DECL(ssize_t, copy_file_range, int, off_t *, int, off_t *, size_t, unsigned);
DECL(int, open, const char *, int, ...);
DECL(int, open64, const char *, int, ...);
DECL(int, openat, int, const char *, int, ...);
DECL(int, openat64, int, const char *, int, ...);
int __open_2(const char *, int);
int __open64_2(const char *, int);
int __openat_2(int, const char *, int);
int __openat64_2(int, const char *, int);
DECL(int, __open_2, const char *, int);
DECL(int, __open64_2, const char *, int);
DECL(int, __openat_2, int, const char *, int);
DECL(int, __openat64_2, int, const char *, int);
DECL(int, creat, const char *, mode_t);
DECL(int, creat64, const char *, mode_t);
DECL(int, close, int);
DECL(int, dup, int);
DECL(int, dup2, int, int);
DECL(int, dup3, int, int, int);
DECL(int, fcntl, int, int, ...);
DECL(int, fcntl64, int, int, ...);
DECL(int, stat, const char *, struct stat *);
DECL(int, stat64, const char *, struct stat64 *);
DECL(int, lstat, const char *, struct stat *);
DECL(int, lstat64, const char *, struct stat64 *);
DECL(int, fstat, int, struct stat *);
DECL(int, fstat64, int, struct stat64 *);
DECL(int, fstatat, int, const char *, struct stat *, int);
DECL(int, fstatat64, int, const char *, struct stat64 *, int);
DECL(int, statx, int, const char *, int, unsigned, struct statx *);
DECL(int, __xstat, int, const char *, struct stat *);
DECL(int, __xstat64, int, const char *, struct stat64 *);
DECL(int, __lxstat, int, const char *, struct stat *);
DECL(int, __lxstat64, int, const char *, struct stat64 *);
DECL(int, __fxstat, int, int, struct stat *);
DECL(int, __fxstat64, int, int, struct stat64 *);
DECL(int, __fxstatat, int, int, const char *, struct stat *, int);
DECL(int, __fxstatat64, int, int, const char *, struct stat64 *, int);
DECL(int, access, const char *, int);
DECL(int, faccessat, int, const char *, int, int);
DECL(int, unlink, const char *);
DECL(int, unlinkat, int, const char *, int);
DECL(int, rename, const char *, const char *);
DECL(int, renameat, int, const char *, int, const char *);
DECL(int, mkdir, const char *, mode_t);
DECL(int, mkdirat, int, const char *, mode_t);
DECL(int, rmdir, const char *);
DECL(int, truncate, const char *, off_t);
DECL(int, truncate64, const char *, off_t);
DECL(int, ftruncate, int, off_t);
DECL(int, ftruncate64, int, off_t);
DECL(int, fsync, int);
DECL(int, fdatasync, int);
DECL(off_t, lseek, int, off_t, int);
DECL(off_t, lseek64, int, off_t, int);
DECL(int, execve, const char *, char *const *, char *const *);
DECL(int, execv, const char *, char *const *);
DECL(int, execvp, const char *, char *const *);
DECL(int, execvpe, const char *, char *const *, char *const *);
DECL(void, _exit, int);
DECL(void, _Exit, int);

/* ---- recording ----------------------------------------------------------- */

#define now_ns pl_now_ns

static inline int32_t tid(void)
{
	if (__builtin_expect(!my_tid, 0))
		my_tid = (int32_t)syscall(SYS_gettid);
	return my_tid;
}

static void push(struct shmring_rec *r, const void *data, size_t len)
{
	if (!r->pid) {
		r->pid = my_pid;
		r->tid = tid();
	}
	if (len > SHMRING_PATH_MAX) {
		len = SHMRING_PATH_MAX;
		r->flags |= SHMRF_CUT;
	}
	shmring_push(pl_ring, r, data, len);
}

/* What fd (or AT_FDCWD: the working directory) names, as strace -y
 * prints it: its length, or -1.  Async-signal-safe: no snprintf, and not
 * readlink(), which is our own wrapper and traps. */
static ssize_t fd_name(int fd, char *buf, size_t cap)
{
	char link[32] = "/proc/self/cwd", *p = link + 11;
	if (fd != AT_FDCWD) {
		if (fd < 0)
			return -1;
		char d[12], *q = d + sizeof d;
		unsigned v = (unsigned)fd;
		do
			*--q = (char)('0' + v % 10);
		while (v /= 10);
		memcpy(p, "fd/", 3);
		memcpy(p + 3, q, (size_t)(d + sizeof d - q));
		p[3 + (d + sizeof d - q)] = '\0';
	}
	return syscall(SYS_readlinkat, AT_FDCWD, link, buf, cap);
}

const char *pl_dir_join(int dirfd, const char *path, char *buf, size_t cap)
{
	if (!path || path[0] == '/')
		return path;
	ssize_t n = fd_name(dirfd, buf, cap - 1);
	if (n <= 0)
		return path;
	size_t len = strlen(path);
	if (len && buf[n - 1] != '/' && (size_t)n < cap - 1)
		buf[n++] = '/';
	if (len > cap - 1 - (size_t)n)
		len = cap - 1 - (size_t)n;
	memcpy(buf + n, path, len);
	buf[(size_t)n + len] = '\0';
	return buf;
}

/* Tell iopstop what fd names in this process, once (strace -y's name). */
void pl_announce(int fd)
{
	if (fd >= 0 && fd < FDTAB && fd_owner[fd] == my_pid)
		return;
	char path[SHMRING_PATH_MAX + 1];
	ssize_t n = fd_name(fd, path, sizeof path);
	if (n < 0)
		return;
	struct shmring_rec r = {.type = SHMR_NAME, .fd = fd, .fd2 = -1};
	push(&r, path, (size_t)n);
	if (fd >= 0 && fd < FDTAB)
		fd_owner[fd] = my_pid;
}

void pl_forget(int fd)
{
	if (fd >= 0 && fd < FDTAB)
		fd_owner[fd] = 0;
}

/* Would the kernel count this call in syscr/syscw?  It does unless it
 * fails before reaching the file (bad descriptor, arguments, offset). */
void pl_count_seen(unsigned cls, ssize_t ret, int err)
{
	if (ret >= 0 || (err != EBADF && err != EINVAL && err != EFAULT && err != ESPIPE))
		__atomic_fetch_add(&seen[cls], 1, __ATOMIC_RELAXED);
}

void pl_emit(uint16_t call, int fd, int fd2, int64_t ret, int err, int64_t t0,
	     const char *path, const int64_t *off)
{
	int64_t t1 = now_ns();
	if (fd >= 0 && !path)
		pl_announce(fd);
	if (fd2 >= 0)
		pl_announce(fd2);
	struct shmring_rec r = {
		.t_us = t0 / 1000, .ret = ret, .dur_us = (uint32_t)((t1 - t0 + 500) / 1000),
		.fd = fd, .fd2 = fd2, .call = call, .err = (uint16_t)(ret < 0 ? err : 0),
		.type = SHMR_EVENT, .flags = off ? SHMRF_OFFSET : 0, .off = off ? *off : 0,
	};
	push(&r, path, path ? strlen(path) : 0);
}

/* A read- or write-family call: the hot path. */
static inline ssize_t io_done(uint16_t call, unsigned cls, int fd, ssize_t ret, int64_t t0,
			      const int64_t *off)
{
	int err = errno;
	pl_count_seen(cls, ret, err);
	pl_emit(call, fd, -1, ret, err, t0, NULL, off);
	errno = err;
	return ret;
}

/* A metadata call on a descriptor or a path (dirfd: -1 or AT_FDCWD). */
static inline int64_t meta_done(uint16_t call, int fd, const char *path, int64_t ret, int64_t t0)
{
	int err = errno;
	pl_emit(call, path ? -1 : fd, -1, ret, err, t0, path, call == SC_lseek && ret >= 0 ? &ret : NULL);
	errno = err;
	return ret;
}

/* ---- the kernel's own counts ---------------------------------------------- */

/* syscr, syscw of this process (one read(2), which the kernel counts). */
/* Bytes our own reads of /proc/self/io returned (not the program's). */
static uint64_t own_bytes;

/* syscr, syscw, rchar, wchar of this process (one read(2), counted). */
static int kernel_counts(uint64_t k[4])
{
	char buf[512];
	int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/io", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = syscall(SYS_read, fd, buf, sizeof buf - 1);
	syscall(SYS_close, fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	own_bytes += (uint64_t)n;
	const char *r = strstr(buf, "syscr: "), *w = strstr(buf, "syscw: ");
	const char *rc = strstr(buf, "rchar: "), *wc = strstr(buf, "wchar: ");
	if (!r || !w || !rc || !wc)
		return -1;
	k[0] = strtoull(r + 7, NULL, 10);
	k[1] = strtoull(w + 7, NULL, 10);
	k[2] = strtoull(rc + 7, NULL, 10);
	k[3] = strtoull(wc + 7, NULL, 10);
	return 0;
}

/* Send the kernel's counters now and the calls seen since the last
 * report (SHMRF_IMAGE_END clear: an image starts; set: it ends by exit
 * or exec).  iopstop
 * adds up the counters of every process it reaps and takes away what the
 * program did not do itself: the loader's reads before we start and
 * these reads of /proc/self/io. */
void pl_report_counts(int end)
{
	uint64_t k[4];
	uint64_t before = own_bytes;	/* this read's bytes come after */
	if (!pl_ring || syscall(SYS_getpid) != my_pid || kernel_counts(k) < 0)
		return;
	uint64_t d[7] = {k[0], k[1], 0, 0, k[2], k[3], before};
	if (end) {
		d[2] = __atomic_exchange_n(&seen[0], 0, __ATOMIC_RELAXED);
		d[3] = __atomic_exchange_n(&seen[1], 0, __ATOMIC_RELAXED);
	}
	struct shmring_rec r = {.type = SHMR_COUNTS, .flags = end ? SHMRF_IMAGE_END : 0,
				.t_us = now_ns() / 1000, .fd = -1, .fd2 = -1};
	push(&r, d, sizeof d);
}

/* ---- life ----------------------------------------------------------------- */

static void after_fork(void)
{
	int32_t parent = my_pid;
	my_pid = (int32_t)syscall(SYS_getpid);
	my_tid = my_pid;
	/* A new process's counters start at zero; so does what we saw. */
	seen[0] = seen[1] = 0;
	own_bytes = 0;
	pl_dispatch_after_fork();
	/* The fork is the parent's event, as strace shows it. */
	struct shmring_rec r = {.type = SHMR_PROC, .call = SC_FORK, .ret = my_pid,
				.pid = parent, .tid = parent,
				.t_us = now_ns() / 1000, .fd = -1, .fd2 = -1};
	push(&r, NULL, 0);
}

static void attach(void)
{
	const char *env = getenv("IOPSTOP_RING");
	long pid, fd;
	size_t size;
	if (!env || sscanf(env, "%ld:%ld:%zu", &pid, &fd, &size) != 3)
		return;
	/* Through iopstop's descriptor table: the ring survives programs that
	 * close every descriptor before they exec. */
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/fd/%ld", pid, fd);
	int rfd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDWR | O_CLOEXEC);
	if (rfd < 0)
		return;
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	syscall(SYS_close, rfd);
	if (mem == MAP_FAILED)
		return;
	struct shmring_hdr *r = shmring_attach(mem, size);
	if (!r) {
		munmap(mem, size);
		return;
	}
	my_pid = (int32_t)syscall(SYS_getpid);
	pthread_atfork(NULL, NULL, after_fork);
	pl_ring = r;
	pl_dispatch_init();
	pl_report_counts(0);
	char comm[17] = "";
	prctl(PR_GET_NAME, comm, 0, 0, 0);
	struct shmring_rec rec = {.type = SHMR_PROC, .call = SC_execve,
				  .t_us = now_ns() / 1000, .fd = -1, .fd2 = -1};
	push(&rec, comm, strlen(comm));
}

__attribute__((constructor)) static void preload_init(void)
{
	attach();
}

__attribute__((destructor)) static void preload_fini(void)
{
	/* Trapping from here on, exit's own flush of stdio is seen and the
	 * exit's trap sends the counts; else they go now. */
	if (!pl_dispatch_at_exit())
		pl_report_counts(1);
}

/* With dispatch, the call is trapped and booked as the system call libc
 * really makes (stat is newfstatat in glibc >= 2.33); without it, under
 * the name given here. */
#define META_TRAPPED(name, args)					\
		if (!pl_ring || pl_trap_depth)				\
			return REAL(name) args;				\
		__typeof__(real_##name) f_ = REAL(name);		\
		int t_ = pl_trap_begin();				\
		if (t_) {						\
			__typeof__(f_ args) r_ = f_ args;		\
			pl_trap_end(t_);				\
			return r_;					\
		}

/* ---- wrappers ------------------------------------------------------------- */

/* Inside a trapped libc function the system call itself is recorded
 * (dispatch.c), so a wrapper called from there passes through. */
#define IO1(ret_t, name, call, cls, params, args, fd)		\
	IO1_OFF(ret_t, name, call, cls, params, args, fd, NULL)
#define IO1_OFF(ret_t, name, call, cls, params, args, fd, offp)	\
	EXPORT ret_t name params					\
	{							\
		if (!pl_ring || pl_trap_depth)			\
			return REAL(name) args;			\
		int64_t t0 = now_ns();				\
		ssize_t r = REAL(name) args;			\
		return (ret_t)io_done(call, cls, fd, r, t0, offp);	\
	}

IO1(ssize_t, read, SC_read, OPC_READ, (int fd, void *b, size_t n), (fd, b, n), fd)
IO1(ssize_t, write, SC_write, OPC_WRITE, (int fd, const void *b, size_t n), (fd, b, n), fd)
/* The fortified reads (-D_FORTIFY_SOURCE with a known buffer size) */
IO1(ssize_t, __read_chk, SC_read, OPC_READ, (int fd, void *b, size_t n, size_t l), (fd, b, n, l), fd)
IO1_OFF(ssize_t, __pread_chk, SC_pread64, OPC_READ, (int fd, void *b, size_t n, off_t o, size_t l), (fd, b, n, o, l), fd, &(int64_t){o})
IO1_OFF(ssize_t, __pread64_chk, SC_pread64, OPC_READ, (int fd, void *b, size_t n, off_t o, size_t l), (fd, b, n, o, l), fd, &(int64_t){o})
IO1_OFF(ssize_t, pread, SC_pread64, OPC_READ, (int fd, void *b, size_t n, off_t o), (fd, b, n, o), fd, &(int64_t){o})
IO1_OFF(ssize_t, pread64, SC_pread64, OPC_READ, (int fd, void *b, size_t n, off_t o), (fd, b, n, o), fd, &(int64_t){o})
IO1_OFF(ssize_t, pwrite, SC_pwrite64, OPC_WRITE, (int fd, const void *b, size_t n, off_t o), (fd, b, n, o), fd, &(int64_t){o})
IO1_OFF(ssize_t, pwrite64, SC_pwrite64, OPC_WRITE, (int fd, const void *b, size_t n, off_t o), (fd, b, n, o), fd, &(int64_t){o})
IO1(ssize_t, readv, SC_readv, OPC_READ, (int fd, const struct iovec *v, int c), (fd, v, c), fd)
IO1(ssize_t, writev, SC_writev, OPC_WRITE, (int fd, const struct iovec *v, int c), (fd, v, c), fd)
IO1_OFF(ssize_t, preadv, SC_preadv, OPC_READ, (int fd, const struct iovec *v, int c, off_t o), (fd, v, c, o), fd, &(int64_t){o})
IO1_OFF(ssize_t, preadv64, SC_preadv, OPC_READ, (int fd, const struct iovec *v, int c, off_t o), (fd, v, c, o), fd, &(int64_t){o})
IO1_OFF(ssize_t, pwritev, SC_pwritev, OPC_WRITE, (int fd, const struct iovec *v, int c, off_t o), (fd, v, c, o), fd, &(int64_t){o})
IO1_OFF(ssize_t, pwritev64, SC_pwritev, OPC_WRITE, (int fd, const struct iovec *v, int c, off_t o), (fd, v, c, o), fd, &(int64_t){o})
IO1_OFF(ssize_t, preadv2, SC_preadv2, OPC_READ, (int fd, const struct iovec *v, int c, off_t o, int f), (fd, v, c, o, f), fd, &(int64_t){o})
IO1_OFF(ssize_t, preadv64v2, SC_preadv2, OPC_READ, (int fd, const struct iovec *v, int c, off_t o, int f), (fd, v, c, o, f), fd, &(int64_t){o})
IO1_OFF(ssize_t, pwritev2, SC_pwritev2, OPC_WRITE, (int fd, const struct iovec *v, int c, off_t o, int f), (fd, v, c, o, f), fd, &(int64_t){o})
IO1_OFF(ssize_t, pwritev64v2, SC_pwritev2, OPC_WRITE, (int fd, const struct iovec *v, int c, off_t o, int f), (fd, v, c, o, f), fd, &(int64_t){o})

/* Both halves: one event per half, as the strace parser gives. */
static ssize_t both_done(uint16_t call, int in, int out, ssize_t ret, int64_t t0)
{
	int err = errno;
	pl_count_seen(OPC_READ, ret, err);
	pl_count_seen(OPC_WRITE, ret, err);
	pl_emit(call, in, out, ret, err, t0, NULL, NULL);
	errno = err;
	return ret;
}

EXPORT ssize_t sendfile(int out, int in, off_t *off, size_t n)
{
	if (!pl_ring)
		return REAL(sendfile)(out, in, off, n);
	int64_t t0 = now_ns();
	return both_done(SC_sendfile, in, out, REAL(sendfile)(out, in, off, n), t0);
}

EXPORT ssize_t sendfile64(int out, int in, off_t *off, size_t n)
{
	if (!pl_ring)
		return REAL(sendfile64)(out, in, off, n);
	int64_t t0 = now_ns();
	return both_done(SC_sendfile, in, out, REAL(sendfile64)(out, in, off, n), t0);
}

EXPORT ssize_t copy_file_range(int in, off_t *oi, int out, off_t *oo, size_t n, unsigned f)
{
	if (!pl_ring)
		return REAL(copy_file_range)(in, oi, out, oo, n, f);
	int64_t t0 = now_ns();
	return both_done(SC_copy_file_range, in, out,
			 REAL(copy_file_range)(in, oi, out, oo, n, f), t0);
}

/* Opens: the new descriptor's name is announced at once. */
static int open_done(uint16_t call, int dirfd, const char *path, int fd, int64_t t0)
{
	int err = errno;
	if (fd >= 0) {
		pl_forget(fd);
		pl_emit(call, fd, -1, fd, err, t0, NULL, NULL);
	} else {
		/* Named as strace names a failed openat: joined to its dirfd's. */
		char buf[SHMRING_PATH_MAX + 1];
		pl_emit(call, -1, -1, fd, err, t0, pl_dir_join(dirfd, path, buf, sizeof buf), NULL);
	}
	errno = err;
	return fd;
}

static mode_t open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

#define OPEN(name, call)							\
	EXPORT int name(const char *p, int flags, ...)				\
	{									\
		va_list ap;							\
		va_start(ap, flags);						\
		mode_t m = open_mode(flags, ap);				\
		va_end(ap);							\
		if (!pl_ring || pl_trap_depth)					\
			return REAL(name)(p, flags, m);				\
		int64_t t0 = now_ns();						\
		return open_done(call, AT_FDCWD, p, REAL(name)(p, flags, m), t0);	\
	}
OPEN(open, SC_openat)
OPEN(open64, SC_openat)

#define OPENAT(name)								\
	EXPORT int name(int dfd, const char *p, int flags, ...)			\
	{									\
		va_list ap;							\
		va_start(ap, flags);						\
		mode_t m = open_mode(flags, ap);				\
		va_end(ap);							\
		if (!pl_ring || pl_trap_depth)					\
			return REAL(name)(dfd, p, flags, m);			\
		int64_t t0 = now_ns();						\
		return open_done(SC_openat, dfd, p, REAL(name)(dfd, p, flags, m), t0); \
	}
OPENAT(openat)
OPENAT(openat64)

/* The fortified opens (-D_FORTIFY_SOURCE: tar, coreutils) take no mode. */
#define OPEN2(name)								\
	EXPORT int name(const char *p, int flags)				\
	{									\
		if (!pl_ring || pl_trap_depth)					\
			return REAL(name)(p, flags);				\
		int64_t t0 = now_ns();						\
		return open_done(SC_openat, AT_FDCWD, p, REAL(name)(p, flags), t0);	\
	}
#define OPENAT2(name)								\
	EXPORT int name(int dfd, const char *p, int flags)			\
	{									\
		if (!pl_ring || pl_trap_depth)					\
			return REAL(name)(dfd, p, flags);			\
		int64_t t0 = now_ns();						\
		return open_done(SC_openat, dfd, p, REAL(name)(dfd, p, flags), t0);	\
	}
OPEN2(__open_2)
OPEN2(__open64_2)
OPENAT2(__openat_2)
OPENAT2(__openat64_2)

EXPORT int creat(const char *p, mode_t m)
{
	META_TRAPPED(creat, (p, m))
	int64_t t0 = now_ns();
	return open_done(SC_creat, AT_FDCWD, p, REAL(creat)(p, m), t0);
}

EXPORT int creat64(const char *p, mode_t m)
{
	META_TRAPPED(creat64, (p, m))
	int64_t t0 = now_ns();
	return open_done(SC_creat, AT_FDCWD, p, REAL(creat64)(p, m), t0);
}

EXPORT int close(int fd)
{
	if (!pl_ring || pl_trap_depth)
		return REAL(close)(fd);
	int64_t t0 = now_ns();
	pl_announce(fd);	/* the close is counted against its file */
	int r = REAL(close)(fd);
	r = (int)meta_done(SC_close, fd, NULL, r, t0);
	pl_forget(fd);
	return r;
}

/* A descriptor made by dup: named lazily, at its first use. */
static int dup_done(int fd)
{
	pl_forget(fd);
	return fd;
}

EXPORT int dup(int fd) { return dup_done(REAL(dup)(fd)); }
EXPORT int dup2(int a, int b) { return dup_done(REAL(dup2)(a, b)); }
EXPORT int dup3(int a, int b, int f) { return dup_done(REAL(dup3)(a, b, f)); }

#define FCNTL(name)							\
	EXPORT int name(int fd, int cmd, ...)				\
	{								\
		va_list ap;						\
		va_start(ap, cmd);					\
		void *arg = va_arg(ap, void *);				\
		va_end(ap);						\
		__typeof__(real_##name) f_ = REAL(name);		\
		/* trapped only where fcntl is a traced call */		\
		int t_ = pl_trap_depth ? 0 : pl_trap_wanted(SYS_fcntl) && pl_trap_begin(); \
		int r = f_(fd, cmd, arg);				\
		pl_trap_end(t_);					\
		if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)		\
			pl_forget(r);					\
		return r;						\
	}
FCNTL(fcntl)
FCNTL(fcntl64)

/* Metadata calls: the name is the descriptor's or the path argument. */
#define META_FD(ret_t, name, call, params, args, fd)			\
	EXPORT ret_t name params						\
	{								\
		META_TRAPPED(name, args)				\
		int64_t t0 = now_ns();					\
		return (ret_t)meta_done(call, fd, NULL, REAL(name) args, t0); \
	}
#define META_PATH(ret_t, name, call, params, args, path)		\
	EXPORT ret_t name params						\
	{								\
		META_TRAPPED(name, args)				\
		int64_t t0 = now_ns();					\
		return (ret_t)meta_done(call, -1, path, REAL(name) args, t0); \
	}

META_PATH(int, stat, SC_stat, (const char *p, struct stat *b), (p, b), p)
META_PATH(int, stat64, SC_stat, (const char *p, struct stat64 *b), (p, b), p)
META_PATH(int, lstat, SC_lstat, (const char *p, struct stat *b), (p, b), p)
META_PATH(int, lstat64, SC_lstat, (const char *p, struct stat64 *b), (p, b), p)
META_FD(int, fstat, SC_fstat, (int fd, struct stat *b), (fd, b), fd)
META_FD(int, fstat64, SC_fstat, (int fd, struct stat64 *b), (fd, b), fd)
META_PATH(int, fstatat, SC_newfstatat, (int d, const char *p, struct stat *b, int f), (d, p, b, f), p)
META_PATH(int, fstatat64, SC_newfstatat, (int d, const char *p, struct stat64 *b, int f), (d, p, b, f), p)
META_PATH(int, statx, SC_statx, (int d, const char *p, int f, unsigned m, struct statx *b), (d, p, f, m, b), p)
META_PATH(int, __xstat, SC_stat, (int v, const char *p, struct stat *b), (v, p, b), p)
META_PATH(int, __xstat64, SC_stat, (int v, const char *p, struct stat64 *b), (v, p, b), p)
META_PATH(int, __lxstat, SC_lstat, (int v, const char *p, struct stat *b), (v, p, b), p)
META_PATH(int, __lxstat64, SC_lstat, (int v, const char *p, struct stat64 *b), (v, p, b), p)
META_FD(int, __fxstat, SC_fstat, (int v, int fd, struct stat *b), (v, fd, b), fd)
META_FD(int, __fxstat64, SC_fstat, (int v, int fd, struct stat64 *b), (v, fd, b), fd)
META_PATH(int, __fxstatat, SC_newfstatat, (int v, int d, const char *p, struct stat *b, int f), (v, d, p, b, f), p)
META_PATH(int, __fxstatat64, SC_newfstatat, (int v, int d, const char *p, struct stat64 *b, int f), (v, d, p, b, f), p)
META_PATH(int, access, SC_access, (const char *p, int m), (p, m), p)
META_PATH(int, faccessat, SC_faccessat, (int d, const char *p, int m, int f), (d, p, m, f), p)
META_PATH(int, unlink, SC_unlink, (const char *p), (p), p)
META_PATH(int, unlinkat, SC_unlinkat, (int d, const char *p, int f), (d, p, f), p)
META_PATH(int, rename, SC_rename, (const char *a, const char *b), (a, b), a)
META_PATH(int, renameat, SC_renameat, (int d, const char *a, int e, const char *b), (d, a, e, b), a)
META_PATH(int, mkdir, SC_mkdir, (const char *p, mode_t m), (p, m), p)
META_PATH(int, mkdirat, SC_mkdirat, (int d, const char *p, mode_t m), (d, p, m), p)
META_PATH(int, rmdir, SC_rmdir, (const char *p), (p), p)
META_PATH(int, truncate, SC_truncate, (const char *p, off_t l), (p, l), p)
META_PATH(int, truncate64, SC_truncate, (const char *p, off_t l), (p, l), p)
META_FD(int, ftruncate, SC_ftruncate, (int fd, off_t l), (fd, l), fd)
META_FD(int, ftruncate64, SC_ftruncate, (int fd, off_t l), (fd, l), fd)
META_FD(int, fsync, SC_fsync, (int fd), (fd), fd)
META_FD(int, fdatasync, SC_fdatasync, (int fd), (fd), fd)
META_FD(off_t, lseek, SC_lseek, (int fd, off_t o, int w), (fd, o, w), fd)
META_FD(off_t, lseek64, SC_lseek, (int fd, off_t o, int w), (fd, o, w), fd)

/* An exec ends this image: report its counts first (if exec fails the
 * next segment simply starts now). */
EXPORT int execve(const char *p, char *const *a, char *const *e)
{
	pl_report_counts(1);
	return REAL(execve)(p, a, e);
}

EXPORT int execv(const char *p, char *const *a)
{
	pl_report_counts(1);
	return REAL(execv)(p, a);
}

EXPORT int execvp(const char *p, char *const *a)
{
	pl_report_counts(1);
	return REAL(execvp)(p, a);
}

EXPORT int execvpe(const char *p, char *const *a, char *const *e)
{
	pl_report_counts(1);
	return REAL(execvpe)(p, a, e);
}

EXPORT void _exit(int st)
{
	pl_report_counts(1);
	REAL(_exit)(st);
	__builtin_unreachable();
}

EXPORT void _Exit(int st)
{
	pl_report_counts(1);
	REAL(_Exit)(st);
	__builtin_unreachable();
}
