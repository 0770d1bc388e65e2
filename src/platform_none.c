/* platform_none.c - what a build without Linux's /proc, ptrace and
 * libproc2 (macOS) has in their place: fs_usage watches commands and
 * pids (source_pick.c's table has no Linux sources here); the process
 * list is empty.  Built by --with-platform=darwin on Linux too,
 * so this file set is compiled and linked where CI runs. */
#include <config.h>

#include "source.h"
#include "procfs.h"
#include "proclist.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>

int procfs_exists(int pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

long procfs_status(int pid, const char *key)
{
	(void)pid;
	(void)key;
	return -1;
}

int procfs_yama_scope(void)
{
	return -1;
}

int procfs_io_access(int pid)
{
	(void)pid;
	return ENOSYS;
}

char **procfs_cmdline(int pid)
{
	(void)pid;
	return NULL;
}

int procfs_tasks(int pid, int *tids, int cap)
{
	(void)pid;
	(void)tids;
	(void)cap;
	return 0;
}

/* No process list yet: iopstop without arguments says it cannot read it. */
struct proclist *proclist_new(void)
{
	return NULL;
}

void proclist_free(struct proclist *pl)
{
	(void)pl;
}

int proclist_refresh(struct proclist *pl, int64_t now_us)
{
	(void)pl;
	(void)now_us;
	return -1;
}

const char *proclist_reader(void)
{
	return "no reader on this platform";
}

const struct proc_row *proclist_rows(const struct proclist *pl, int *n)
{
	(void)pl;
	*n = 0;
	return NULL;
}
