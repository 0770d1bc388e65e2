/* outpath.c - expand %h %p %r %j %% in output paths. */
#include <config.h>

#include "outpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int outpath_expand(const char *tmpl, const struct outpath_env *e, char *out, size_t len)
{
	size_t n = 0;
	char num[32];
	for (const char *s = tmpl; *s; s++) {
		const char *add = NULL;
		char one[2] = {*s, '\0'};
		if (*s != '%') {
			add = one;
		} else {
			switch (*++s) {
			case 'h': add = e->host; break;
			case 'j': add = e->job; break;
			case 'p': snprintf(num, sizeof num, "%ld", e->pid); add = num; break;
			case 'r': snprintf(num, sizeof num, "%ld", e->rank); add = num; break;
			case '%': add = "%"; break;
			case '\0':
				snprintf(out, len, "'%s' ends in a lone %%", tmpl);
				return -1;
			default:
				snprintf(out, len, "'%.200s' has an unknown %%%c (use %%h %%p %%r %%j or %%%%)",
					 tmpl, *s);
				return -1;
			}
		}
		size_t a = strlen(add);
		if (n + a + 1 > len) {
			snprintf(out, len, "the path from '%.200s' is too long", tmpl);
			return -1;
		}
		memcpy(out + n, add, a);
		n += a;
	}
	if (len)
		out[n] = '\0';
	return 0;
}

long outpath_rank(const char *(*get)(const char *))
{
	static const char *const vars[] = {
		"SLURM_PROCID", "PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK",
	};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = get(vars[i]);
		char *end;
		if (!v || !*v)
			continue;
		long r = strtol(v, &end, 10);
		if (!*end && r >= 0)
			return r;
	}
	return 0;
}

static const char *env_get(const char *name)
{
	return getenv(name);
}

void outpath_env_get(struct outpath_env *e)
{
	memset(e, 0, sizeof *e);
	if (gethostname(e->host, sizeof e->host - 1) < 0 || !e->host[0])
		snprintf(e->host, sizeof e->host, "localhost");
	/* A host name goes into file names: no '/' in it. */
	for (char *c = e->host; *c; c++)
		if (*c == '/' || *c == ' ')
			*c = '_';
	e->pid = (long)getpid();
	e->rank = outpath_rank(env_get);
	const char *job = getenv("SLURM_JOB_ID");
	snprintf(e->job, sizeof e->job, "%s", job && *job && !strchr(job, '/') ? job : "nojob");
}

int outpath_apply(const char **path, char store[OUTPATH_MAX], const char *what,
		  const struct outpath_env *e, char *err, size_t errlen)
{
	if (!*path || !strchr(*path, '%'))
		return 0;
	if (outpath_expand(*path, e, store, OUTPATH_MAX) < 0) {
		snprintf(err, errlen, "%s %s", what, store);
		return -1;
	}
	*path = store;
	return 0;
}
