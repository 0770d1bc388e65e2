/* origins.c - the table of merged recordings. */
#include <config.h>

#include "origins.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>

struct origins *origins_new(void)
{
	struct origins *o = calloc(1, sizeof *o);
	if (o)
		pthread_mutex_init(&o->lock, NULL);
	return o;
}

void origins_free(struct origins *o)
{
	if (!o)
		return;
	pthread_mutex_destroy(&o->lock);
	free(o->v);
	free(o);
}

uint16_t origins_add(struct origins *o, const char *path)
{
	pthread_mutex_lock(&o->lock);
	uint16_t idx = 0;
	if (o->n < ORIGINS_MAX - 1) {
		if (o->n == o->cap) {
			uint32_t cap = o->cap ? o->cap * 2 : 16;
			struct origin *v = realloc(o->v, cap * sizeof *v);
			if (!v)
				goto out;
			o->v = v;
			o->cap = cap;
		}
		struct origin *g = &o->v[o->n];
		memset(g, 0, sizeof *g);
		snprintf(g->path, sizeof g->path, "%s", path);
		g->rank = -1;
		g->exit_status = -1;
		idx = (uint16_t)++o->n;
	}
out:
	pthread_mutex_unlock(&o->lock);
	return idx;
}

uint32_t origins_count(const struct origins *o)
{
	if (!o)
		return 0;
	pthread_mutex_lock((pthread_mutex_t *)&o->lock);
	uint32_t n = o->n;
	pthread_mutex_unlock((pthread_mutex_t *)&o->lock);
	return n;
}

int origins_get(const struct origins *o, uint16_t idx, struct origin *out)
{
	int rc = -1;
	if (!o || !idx)
		return -1;
	pthread_mutex_lock((pthread_mutex_t *)&o->lock);
	if (idx <= o->n) {
		*out = o->v[idx - 1];
		rc = 0;
	}
	pthread_mutex_unlock((pthread_mutex_t *)&o->lock);
	return rc;
}

void origins_set(struct origins *o, uint16_t idx, const struct origin *in)
{
	pthread_mutex_lock(&o->lock);
	if (idx && idx <= o->n)
		o->v[idx - 1] = *in;
	pthread_mutex_unlock(&o->lock);
}

const char *origins_state_name(enum origin_state s)
{
	static const char *const names[] = {"waiting", "active", "quiet", "finished", "broken"};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}
