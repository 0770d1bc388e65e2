/* event.h - the one record every source emits and every sink consumes.
 *
 * Fixed-size and pointer-free so batches can be copied, recorded and
 * fuzzed without ownership questions.  File names live in the intern
 * table; an event only carries the id. */
#ifndef IOPSTOP_EVENT_H
#define IOPSTOP_EVENT_H

#include <stdint.h>

enum op_class {
	OPC_READ = 0,	/* read family: bytes = bytes returned */
	OPC_WRITE = 1,	/* write family */
	OPC_META = 2,	/* open/close/stat/fsync/...: no size */
	OPC_PROC = 3,	/* process life: exec, fork, exit (not I/O) */
	OPC_DISK = 4,	/* storage-level traffic (fs_usage RdData/WrData...):
			 * counted apart, never as system calls */
};
#define OPC_IO_COUNT 3	/* classes that count as I/O ops */

enum fd_kind {
	FDK_FILE = 0,
	FDK_PIPE,
	FDK_SOCKET,
	FDK_TTY,
	FDK_OTHER,
	FDK_COUNT
};

/* errno values we cannot name are stored as ERR_UNKNOWN; a call that never
 * returned (`= ?`) as ERR_NORETURN. */
#define ERR_UNKNOWN 254
#define ERR_NORETURN 255

struct io_event {
	int64_t t_us;	  /* call start, microseconds on the source's clock */
	int64_t bytes;	  /* READ/WRITE: bytes returned; PROC: see below */
	uint32_t dur_us;  /* time spent in the call */
	uint32_t file;	  /* intern id of the path (0 = unknown); PROC exec: comm */
	int32_t pid;	  /* thread group (process) */
	int32_t tid;	  /* thread */
	uint16_t call;	  /* enum sc_id (syscalls.h) */
	uint8_t cls;	  /* enum op_class */
	uint8_t fdkind;	  /* enum fd_kind */
	uint16_t err;	  /* 0 = success, else errno (or ERR_*) */
	uint16_t count;	  /* 0: one traced call.  N >= 1: N ops known only from
			   * counters (the proc source): bytes is their total,
			   * placed at the average size bytes/N; no duration */
	uint16_t flags;	  /* enum ev_flag: which optional fields are known */
	uint16_t origin;  /* merged replay: which recording (1..), 0 = the only
			   * input; processes are keyed by (origin, pid) */
	int32_t fd;	  /* EVF_FD: the descriptor the call used (an open's
			   * returned descriptor; dup's new one) */
	int64_t offset;	  /* EVF_OFFSET: READ/WRITE: the file position the
			   * call started at (pread's argument, or known);
			   * lseek: the resulting position */
};

/* Optional knowledge an event may carry.  A source sets a bit only when
 * it knows the field; zero (memset) is always a valid, ignorant event. */
enum ev_flag {
	EVF_FD = 1u << 0,	/* fd is valid */
	EVF_OFFSET = 1u << 1,	/* offset is valid */
	EVF_SIGNALED = 1u << 2,	/* PROC exit: killed by signal (bytes-128) */
	EVF_APPEND = 1u << 3,	/* open with O_APPEND */
	EVF_CLOEXEC = 1u << 4,	/* open with O_CLOEXEC */
	EVF_TRUNC = 1u << 5,	/* open with O_TRUNC */
	/* count N >= 1 ops from a compact recording: dur_us is their total
	 * and they share one latency bucket (that of dur_us / N); their
	 * file's counts come apart, in EVF_FILEONLY events */
	EVF_AGG = 1u << 15,
	/* a compact recording's per-file row: N ops (count) of one class on
	 * file, bytes and dur_us their sums (err: they failed), counted for
	 * the file only, never in totals, bins or processes */
	EVF_FILEONLY = 1u << 14,
};

_Static_assert(sizeof(struct io_event) == 56, "io_event is a fixed 56-byte record");
/* PROC events: call = SC_EXECVE (file = comm), SC_FORK (bytes = child pid),
 * SC_EXIT (bytes = exit status, 128+N when killed by signal N). */

#endif
