/* procfs.h - the few facts about a process read straight from /proc/PID
 * (libproc2 gives counters and lists; these decide whether we may trace). */
#ifndef IOPSTOP_PROCFS_H
#define IOPSTOP_PROCFS_H

/* 1 if the process exists (ours or not), 0 if not. */
int procfs_exists(int pid);

/* The first number of the "Key:" line of /proc/PID/status (TracerPid,
 * Uid, Tgid...), or -1 when unreadable or absent. */
long procfs_status(int pid, const char *key);

/* kernel.yama.ptrace_scope, or -1 without Yama. */
int procfs_yama_scope(void);

/* 0 if /proc/PID/io can be opened, else the errno (EACCES: not ours). */
int procfs_io_access(int pid);

/* Its command line as a NULL-terminated argv in one malloc'd block (free
 * it once), or NULL (gone, kernel thread, out of memory). */
char **procfs_cmdline(int pid);

/* Thread ids of pid from /proc/PID/task, at most cap; the count or -1. */
int procfs_tasks(int pid, int *tids, int cap);

#endif
