/* procscan.h - one pass over every process in /proc: the facts the
 * process list (proclist.c) and the counters source (source_proc.c) need.
 *
 * Two readers give the same results: libproc2's (procscan_libproc2.c,
 * procps-ng 4) and a small built-in one (procscan_builtin.c) for systems
 * without it (RHEL/Rocky/Alma 8-9 ship procps-ng 3.3) or built with
 * ./configure --without-libproc2.  procscan_new() opens the one configure
 * chose; the built-in one is always compiled on Linux so that a test can
 * compare the two. */
#ifndef IOPSTOP_PROCSCAN_H
#define IOPSTOP_PROCSCAN_H

#include <stddef.h>

#include "iorate.h"

/* What a caller wants beyond pid, ppid, start time, name and counters. */
enum procscan_want {
	PROCSCAN_EUID = 1 << 0,		/* euid (a read of status) */
	PROCSCAN_CMDLINE = 1 << 1,	/* cmdline (and the euid) */
};

struct procscan_proc {
	int pid, ppid;
	unsigned euid;			/* with PROCSCAN_EUID */
	int kthread;			/* a kernel thread (PF_KTHREAD) */
	unsigned long long began;	/* start time, clock ticks after boot */
	struct io_counters io;		/* all 0 when unreadable (not ours) */
	char comm[64];			/* the name, unprintable bytes as '?' */
	char cmdline[256];		/* with PROCSCAN_CMDLINE: args joined by
					 * spaces, "[comm]" when empty */
};

struct procscan;

/* A reader: libproc2's, or the built-in one. */
struct procscan_ops {
	const char *name;
	void *(*open)(unsigned want);
	/* Every process (not threads), in no particular order; the array
	 * stays valid until the next read.  The count, or -1. */
	int (*read)(void *impl, const struct procscan_proc **procs);
	void (*close)(void *impl);
};

extern const struct procscan_ops procscan_builtin_ops;
extern const struct procscan_ops procscan_libproc2_ops;	/* with HAVE_LIBPROC2 */

/* The reader configure chose; NULL if it cannot start. */
struct procscan *procscan_new(unsigned want);
struct procscan *procscan_new_with(const struct procscan_ops *ops, unsigned want);
int procscan_read(struct procscan *ps, const struct procscan_proc **procs);
void procscan_free(struct procscan *ps);
/* "libproc2" or "built-in", for messages. */
const char *procscan_name(void);

/* Copy src (n bytes) to dst (cap >= 1) as libproc2 escapes names: bytes
 * a terminal must not see become '?' (controls, DEL, and, unless the
 * locale's codeset is UTF-8, everything above ASCII; in UTF-8, invalid
 * sequences and C1 controls).  Returns the length written. */
size_t procscan_escape(char *dst, size_t cap, const char *src, size_t n);

#endif
