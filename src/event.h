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
};
/* PROC events: call = SC_EXECVE (file = comm), SC_FORK (bytes = child pid),
 * SC_EXIT (bytes = exit status, 128+N when killed by signal N). */

#endif
