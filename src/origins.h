/* origins.h - the recordings one replay reads and merges: who wrote each
 * (host, rank, job), when its clock started and how far it has got.
 *
 * Written by the sampler thread (the replay source), read by reports and
 * views: a mutex of its own, and readers take copies. */
#ifndef IOPSTOP_ORIGINS_H
#define IOPSTOP_ORIGINS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define ORIGINS_MAX 4096	/* events carry the index in 16 bits */

enum origin_state {
	ORIGIN_WAITING,		/* named, not there yet (--follow) */
	ORIGIN_ACTIVE,		/* growing */
	ORIGIN_QUIET,		/* --follow: has not grown for a while */
	ORIGIN_FINISHED,	/* its end record was read */
	ORIGIN_BROKEN,		/* unreadable or corrupt */
};

struct origin {
	char path[1024];
	char host[256];		/* "" when the header does not say (version 1) */
	long rank;		/* -1 unknown */
	char job[64];
	int64_t start_us;	/* wall clock of its time 0 */
	int64_t first_us, last_us;	/* span of its events, absolute; 0 none */
	int64_t end_us;		/* its end record's end_us, relative; 0 none */
	int exit_status;	/* its end record's, -1 unknown */
	int bins;		/* compact (per-interval aggregate) form */
	enum origin_state state;
	uint64_t events;
};

struct origins {
	pthread_mutex_t lock;
	struct origin *v;	/* v[0] is index 1 */
	uint32_t n, cap;
	int merged;		/* read by the merge (many, a dir, a glob, --follow):
				 * reports list the sources; one plain -r replays
				 * byte for byte like the live run */
};

struct origins *origins_new(void);
void origins_free(struct origins *o);

/* Add a recording by path; its index (1..), or 0 when full. */
uint16_t origins_add(struct origins *o, const char *path);

/* Number of recordings. */
uint32_t origins_count(const struct origins *o);

/* A copy of recording idx (1..); 0, or -1 when there is none. */
int origins_get(const struct origins *o, uint16_t idx, struct origin *out);

/* Replace recording idx with *in (the writer's update). */
void origins_set(struct origins *o, uint16_t idx, const struct origin *in);

/* Name of a state: "waiting", "active", "quiet", "finished", "broken". */
const char *origins_state_name(enum origin_state s);

#endif
