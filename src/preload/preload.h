/* preload.h - what the preloaded library's two halves share: the ring and
 * its records (iopstop_preload.c) and the system calls libc makes inside
 * its own functions, caught by syscall user dispatch (dispatch.c).
 * Everything here is hidden (-fvisibility=hidden): none of it is the
 * program's. */
#ifndef IOPSTOP_PRELOAD_H
#define IOPSTOP_PRELOAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

struct shmring_hdr;

extern struct shmring_hdr *pl_ring;	/* NULL: not watching */
/* > 0 while this thread is inside a trapped libc function: its system
 * calls are recorded as the kernel sees them, so wrappers pass through. */
extern __thread int pl_trap_depth;

static inline int64_t pl_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One call into the ring: fd names the file unless path does; fd2 is a
 * second descriptor (sendfile's), -1 none; off (NULL: unknown) the file
 * position.  err is the call's errno when ret < 0. */
void pl_emit(uint16_t call, int fd, int fd2, int64_t ret, int err, int64_t t0,
	     const char *path, const int64_t *off);
/* Tell iopstop what fd names in this process (once); forget it when the
 * descriptor is closed or reused. */
void pl_announce(int fd);
/* A relative path as strace -y shows it: joined to what dirfd (or
 * AT_FDCWD) names; path itself when absolute or unknown. */
const char *pl_dir_join(int dirfd, const char *path, char *buf, size_t cap);
void pl_forget(int fd);
/* Count a read (cls OPC_READ) or write call as the kernel's syscr/syscw do. */
void pl_count_seen(unsigned cls, ssize_t ret, int err);
/* Send the kernel's counters (end: this image ends, with what we saw). */
void pl_report_counts(int end);

/* dispatch.c: set up at attach (1: libc's internal calls will be seen);
 * the start of a trapped libc function and its end; after fork; at exit,
 * trap everything left (exit's flush of stdio) up to the exit itself. */
int pl_dispatch_init(void);
int pl_trap_begin(void);
/* Would trapping book system call nr (is it one iopstop traces)? */
int pl_trap_wanted(long nr);
void pl_trap_end(int t);
void pl_dispatch_after_fork(void);
int pl_dispatch_at_exit(void);

#endif
