/* platform_none.c - what a build without Linux's /proc, ptrace and
 * libproc2 (macOS) has in their place: fs_usage watches commands and
 * pids; the strace and counters sources say they are Linux-only; the
 * process list is empty.  Built by --with-platform=darwin on Linux too,
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

int source_strace_find(char *out, size_t len)
{
	(void)out;
	(void)len;
	return -1;
}

static int linux_only(struct source *s)
{
	snprintf(s->error, sizeof s->error, "the %s source is Linux-only: on this system "
		 "iopstop watches programs with fs_usage", s->ops->name);
	return -1;
}

static int none_poll(struct source *s, struct io_event *ev, size_t cap, int timeout_ms)
{
	(void)s;
	(void)ev;
	(void)cap;
	(void)timeout_ms;
	return -1;
}

static void none_stop(struct source *s)
{
	(void)s;
}

const struct source_ops source_strace_ops = {
	.name = "strace", .start = linux_only, .poll = none_poll, .stop = none_stop,
};

/* The counters fallback: proc_pid_rusage() could feed it on macOS one day. */
const struct source_ops source_proc_ops = {
	.name = "proc", .start = linux_only, .poll = none_poll, .stop = none_stop,
};

/* The preload backend needs Linux's memfd, pidfd and /proc. */
const struct source_ops source_preload_ops = {
	.name = "preload", .start = linux_only, .poll = none_poll, .stop = none_stop,
};

int source_preload_lib(char *out, size_t len)
{
	snprintf(out, len, "iopstop_preload.so");
	errno = ENOSYS;
	return -1;
}

int source_preload_static(const char *path, char *why, size_t len)
{
	(void)path;
	(void)why;
	(void)len;
	return 0;
}

int source_preload_check(const struct source *s, char *msg, size_t len)
{
	(void)s;
	(void)msg;
	(void)len;
	return 0;
}
