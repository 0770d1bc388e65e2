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
#define SCF_LOCKCMD 0x40 /* fcntl: counts only with a lock command */

/* Metadata families: the rows of the heatmap's metadata band. */
enum sc_family {
	FAM_NONE = 0,	/* not metadata */
	FAM_OPEN,	/* open and close descriptors */
	FAM_STAT,	/* look a name or its attributes up */
	FAM_DIR,	/* make, remove, rename, link, list names */
	FAM_ATTR,	/* change attributes or size */
	FAM_SYNC,	/* flush to storage */
	FAM_LOCK,	/* file locks */
	FAM_OTHER,	/* seek, advise, working directory */
	FAM_COUNT
};
/* Short row label of a family ("open", "stat", ...). */
const char *syscalls_family_name(enum sc_family f);

struct sc_info {
	const char *name;
	uint8_t cls;	/* enum op_class */
	uint8_t args;	/* enum sc_args */
	uint8_t flags;	/* SCF_* */
	uint8_t fam;	/* enum sc_family */
};

/* Ids index sc_table; SC_EXIT and SC_FORK are pseudo-calls for PROC events. */
enum sc_id {
	SC_NONE = 0,
	SC_EXIT,
	SC_FORK,
#define X(name, cls, args, flags, fam) SC_##name,
#include "syscalls.def"
#undef X
	SC_COUNT
};

extern const struct sc_info sc_table[SC_COUNT];

/* Id of the call named by name[0..len), SC_NONE when iopstop ignores it. */
enum sc_id syscalls_lookup(const char *name, size_t len);

/* SCF_LOCKCMD calls: is fcntl's command (as strace prints it, e.g.
 * "F_SETLKW", or the number) a lock command? */
int syscalls_lock_cmd(const char *cmd, size_t len);
int syscalls_lock_cmd_num(int cmd);

/* Comma-separated list of the calls to ask strace for. */
const char *syscalls_trace_list(void);

#endif
