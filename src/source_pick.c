/* source_pick.c - strace when ptrace is allowed, /proc counters when not.
 *
 * Everything that makes ptrace fail is checked before strace runs, so
 * that auto can fall back (with one line saying why) instead of leaving
 * the user with strace's own error. */
#include <config.h>

#include "source.h"
#include "options.h"
#include "procfs.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Why ptrace cannot watch this run, or NULL when it can.  pid 0: a
 * command we start (our own child). */
static const char *ptrace_refused(int pid, enum backend backend, char *buf, size_t len)
{
	int scope = procfs_yama_scope();
	int root = geteuid() == 0;
	if (scope >= 3) {
		snprintf(buf, len, "ptrace is disabled (kernel.yama.ptrace_scope=%d)", scope);
		return buf;
	}
	if (!pid)
		return NULL;
	if (scope == 2 && !root) {
		snprintf(buf, len, "only root may attach (kernel.yama.ptrace_scope=2)");
		return buf;
	}
	/* Asked for strace, our parent may have named us with
	 * PR_SET_PTRACER (the notebook magic does): let strace try, and say
	 * its own refusal.  auto keeps falling back to the counters. */
	if (scope == 1 && !root && !(backend == BACKEND_STRACE && pid == (int)getppid())) {
		snprintf(buf, len, "only a parent may attach to PID %d "
			 "(kernel.yama.ptrace_scope=1)", pid);
		return buf;
	}
	long uid = procfs_status(pid, "Uid");
	if (!root && uid >= 0 && uid != (long)geteuid()) {
		snprintf(buf, len, "PID %d belongs to another user", pid);
		return buf;
	}
	long tracer = procfs_status(pid, "TracerPid");
	if (tracer > 0) {
		snprintf(buf, len, "PID %d is already traced by PID %ld", pid, tracer);
		return buf;
	}
	return NULL;
}

const struct source_ops *source_pick(const struct options *o, char *why, size_t len)
{
	why[0] = '\0';
	if (o->mode == MODE_REPLAY)
		return &source_replay_ops;
#ifndef PLATFORM_LINUX
	return &source_fsusage_ops;	/* macOS: fs_usage is the way in */
#endif
	if (o->backend == BACKEND_FSUSAGE)
		return &source_fsusage_ops;	/* Linux: a stand-in, for tests */
	if (o->mode == MODE_PID) {
		for (int i = 0; i < o->npids; i++) {
			if (!procfs_exists(o->pids[i])) {
				snprintf(why, len, "no process with PID %d", o->pids[i]);
				return NULL;
			}
		}
	}
	char reason[256] = "";
	const char *r = NULL;
	char path[4096];
	if (o->backend == BACKEND_PRELOAD) {
		/* Checked here so the run fails before anything starts. */
		if (source_preload_lib(path, sizeof path) < 0) {
			snprintf(why, len, "cannot preload %.300s: %s", path, strerror(errno));
			return NULL;
		}
		if (source_path_search(o->command[0], path, sizeof path) == 0 &&
		    source_preload_static(path, why, len))
			return NULL;
		return &source_preload_ops;
	}
	if (o->backend != BACKEND_PROC) {
		if (source_strace_find(path, sizeof path) < 0) {
			snprintf(reason, sizeof reason, "strace not found");
			r = reason;
		}
		for (int i = 0; !r && i < (o->mode == MODE_PID ? o->npids : 1); i++)
			r = ptrace_refused(o->mode == MODE_PID ? o->pids[i] : 0, o->backend,
					   reason, sizeof reason);
		if (!r)
			return &source_strace_ops;
		if (o->backend == BACKEND_STRACE) {
			snprintf(why, len, "cannot trace: %s%s", reason,
				 strcmp(reason, "strace not found") ? "" :
				 " (install the 'strace' package, or use --backend=proc)");
			return NULL;
		}
	}
	/* The counters of another user's process are unreadable too. */
	if (o->mode == MODE_PID) {
		for (int i = 0; i < o->npids; i++) {
			int err = procfs_io_access(o->pids[i]);
			if (err == EACCES || err == EPERM) {
				snprintf(why, len, "PID %d: no permission to read its I/O "
					 "counters (another user's process?)", o->pids[i]);
				return NULL;
			}
		}
	}
	snprintf(why, len, "%s%susing the /proc I/O counters%s: per-interval "
		 "average sizes, no per-file data", r ? reason : "", r ? "; " : "",
		 r ? " instead" : " (--backend=proc)");
	return &source_proc_ops;
}
