/* syscalls.h - what each traced system call means to iopstop. */
#ifndef IOPSTOP_SYSCALLS_H
#define IOPSTOP_SYSCALLS_H

#include <stddef.h>
#include <stdint.h>

/* Where the file an op applies to is printed in strace's argument list. */
enum sc_args {
	SCA_NONE = 0,
	SCA_FD,		/* arg0 is a descriptor: 3</path> */
	SCA_PATH,	/* arg0 is a path string */
	SCA_DIRFD_PATH,	/* arg0 dirfd, arg1 path string (the *at calls) */
	SCA_FD_IN1_OUT0,/* sendfile(out, in, ...) */
	SCA_FD_IN0_OUT2,/* copy_file_range/splice(in, off, out, ...) */
};

#define SCF_RETFD  0x01	 /* success returns a descriptor naming the file */
#define SCF_CLONE  0x02	 /* creates a task: return value is its tid */
#define SCF_EXEC   0x04	 /* replaces the program: arg0 (or arg1) is its path */
#define SCF_BOTH   0x08	 /* counts as a read and a write */
#define SCF_DARWIN 0x10	 /* macOS name, from fs_usage only: never asked of
			  * strace nor taken from its lines */
#define SCF_DISKW  0x20	 /* OPC_DISK: a write to storage (else a read) */

struct sc_info {
	const char *name;
	uint8_t cls;	/* enum op_class */
	uint8_t args;	/* enum sc_args */
	uint8_t flags;	/* SCF_* */
};

/* Ids index sc_table; SC_EXIT and SC_FORK are pseudo-calls for PROC events. */
enum sc_id {
	SC_NONE = 0,
	SC_EXIT,
	SC_FORK,
#define X(name, cls, args, flags) SC_##name,
#include "syscalls.def"
#undef X
	SC_COUNT
};

extern const struct sc_info sc_table[SC_COUNT];

/* Nothing left to do: the lookup table is built before main (a
 * constructor in syscalls.c).  Kept for the callers that still call it. */
void syscalls_init(void);

/* Id of the call named by name[0..len), SC_NONE when iopstop ignores it. */
enum sc_id syscalls_lookup(const char *name, size_t len);

/* Comma-separated list of the calls to ask strace for. */
const char *syscalls_trace_list(void);

#endif
