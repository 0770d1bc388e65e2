/* source_pick.c - the table of sources and the choice among them.
 *
 * Each source's probe says, before anything starts, whether it can watch
 * the run and if not why; auto takes the first that can, in the table's
 * order (preload where it is exact, strace, the /proc counters), and says
 * in one line why it passed over the others. */
#include <config.h>

#include "source.h"
#include "options.h"
#include "procfs.h"

#include <stdio.h>
#include <string.h>

const struct source_ops *const source_table[] = {
	&source_replay_ops,
#ifdef PLATFORM_LINUX
	&source_preload_ops,
	&source_strace_ops,
	&source_proc_ops,
#endif
	&source_fsusage_ops,
	NULL,
};

/* Does ops answer this run's mode and --backend? */
static int pick_applies(const struct source_ops *ops, const struct options *o)
{
	if ((o->mode == MODE_REPLAY) != (ops->asked_by < 0))
		return 0;
#ifdef PLATFORM_LINUX
	if (o->backend != BACKEND_AUTO && ops->asked_by >= 0)
		return ops->asked_by == (int)o->backend;
#endif
	return 1;
}

const struct source_ops *source_pick(const struct options *o, char *why, size_t len)
{
	why[0] = '\0';
	if (o->mode == MODE_PID) {
		for (int i = 0; i < o->npids; i++) {
			if (!procfs_exists(o->pids[i])) {
				snprintf(why, len, "no process with PID %d", o->pids[i]);
				return NULL;
			}
		}
	}
	int asked = o->mode != MODE_REPLAY && o->backend != BACKEND_AUTO;
#ifndef PLATFORM_LINUX
	asked = 0;	/* fs_usage is the way in, whatever was asked */
#endif
	char passed[512] = "";	/* why auto passed over sources */
	for (const struct source_ops *const *t = source_table; *t; t++) {
		if (!pick_applies(*t, o))
			continue;
		char r[512] = "";
		int ok = (*t)->probe ? (*t)->probe(o, asked, r, sizeof r) : 1;
		if (ok < 0 || (!ok && asked)) {
			snprintf(why, len, "%s", r);
			return NULL;
		}
		if (!ok && r[0]) {
			size_t n = strlen(passed);
			snprintf(passed + n, sizeof passed - n, "%s%s", n ? "; " : "", r);
		}
		if (!ok)
			continue;
		if (passed[0] && r[0])
			snprintf(why, len, "%s; %s", passed, r);
		else if (passed[0])
			snprintf(why, len, "%s; using %s", passed, (*t)->name);
		else
			snprintf(why, len, "%s", r);
		return *t;
	}
	snprintf(why, len, "%s", passed[0] ? passed : "no source can watch this run here");
	return NULL;
}

const char *source_backend(const struct source *s)
{
	return s->backend ? s->backend : s->ops->backend ? s->ops->backend : s->ops->name;
}

int source_conclude(struct source *s, struct run_info *ri, int exit_seen)
{
	return s->ops->conclude ? s->ops->conclude(s, ri, exit_seen) : 0;
}
