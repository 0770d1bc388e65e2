/* shmring.c - the bounded MPSC ring in shared memory (see shmring.h).
 *
 * Built into both iopstop and the preloaded library, so it uses only
 * compiler atomics and string.h: no libc state, no locks, no allocation. */
#include <config.h>

#include "shmring.h"

#include <string.h>

#define LOAD(p, o) __atomic_load_n(p, __ATOMIC_##o)
#define STORE(p, v, o) __atomic_store_n(p, v, __ATOMIC_##o)

static struct shmring_slot *slots(struct shmring_hdr *r)
{
	return (struct shmring_slot *)((char *)r + sizeof *r);
}

size_t shmring_size(uint32_t cap)
{
	return sizeof(struct shmring_hdr) + (size_t)cap * sizeof(struct shmring_slot);
}

void shmring_init(void *mem, uint32_t cap)
{
	struct shmring_hdr *r = mem;
	memset(r, 0, sizeof *r);
	r->cap = cap;
	r->slot_size = SHMRING_SLOT;
	r->version = SHMRING_VERSION;
	struct shmring_slot *s = slots(r);
	for (uint32_t i = 0; i < cap; i++)
		s[i].seq = i;	/* slot i is free for position i */
	STORE(&r->magic, SHMRING_MAGIC, RELEASE);
}

struct shmring_hdr *shmring_attach(void *mem, size_t size)
{
	struct shmring_hdr *r = mem;
	if (!r || (uintptr_t)mem % _Alignof(struct shmring_hdr) || size < sizeof *r ||
	    LOAD(&r->magic, ACQUIRE) != SHMRING_MAGIC ||
	    r->version != SHMRING_VERSION || r->slot_size != SHMRING_SLOT ||
	    r->cap == 0 || (r->cap & (r->cap - 1)) || shmring_size(r->cap) > size)
		return NULL;
	return r;
}

static size_t extra_slots(size_t len)
{
	return (len + SHMRING_DATA - 1) / SHMRING_DATA;
}

int shmring_push(struct shmring_hdr *r, const struct shmring_rec *rec,
		 const void *data, size_t len)
{
	if (len > SHMRING_PATH_MAX)
		len = SHMRING_PATH_MAX;
	uint64_t n = 1 + extra_slots(len), mask = r->cap - 1;
	struct shmring_slot *s = slots(r);
	uint64_t pos = LOAD(&r->tail, RELAXED);
	for (;;) {
		/* The consumer frees slots in order: if the last one we need
		 * is free, so are those before it. */
		uint64_t last = pos + n - 1;
		uint64_t seq = LOAD(&s[last & mask].seq, ACQUIRE);
		int64_t dif = (int64_t)(seq - last);
		if (dif == 0) {
			if (__atomic_compare_exchange_n(&r->tail, &pos, pos + n, 1,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED))
				break;
		} else if (dif < 0) {
			__atomic_fetch_add(&r->dropped, 1, __ATOMIC_RELAXED);
			return -1;
		} else {
			pos = LOAD(&r->tail, RELAXED);
		}
	}
	struct shmring_rec h = *rec;
	h.len = (uint16_t)len;
	memcpy(s[pos & mask].data, &h, sizeof h);
	const unsigned char *d = data;
	for (uint64_t i = 1; i < n; i++) {
		size_t k = len > SHMRING_DATA ? SHMRING_DATA : len;
		memcpy(s[(pos + i) & mask].data, d, k);
		d += k;
		len -= k;
	}
	/* Publish the continuation slots first: a consumer that sees the
	 * first slot finds the rest ready (unless we die in between). */
	for (uint64_t i = n; i-- > 0;)
		STORE(&s[(pos + i) & mask].seq, pos + i + 1, RELEASE);
	return 0;
}

/* Is position pos published?  With force, skip it if it is claimed but
 * not published (returns -1 after freeing it). */
static int ready(struct shmring_hdr *r, uint64_t pos, int force)
{
	struct shmring_slot *s = &slots(r)[pos & (r->cap - 1)];
	if (LOAD(&s->seq, ACQUIRE) == pos + 1)
		return 1;
	if (!force || pos >= LOAD(&r->tail, ACQUIRE))
		return 0;
	STORE(&s->seq, pos + r->cap, RELEASE);
	r->lost++;
	return -1;
}

static void release(struct shmring_hdr *r, uint64_t pos)
{
	STORE(&slots(r)[pos & (r->cap - 1)].seq, pos + r->cap, RELEASE);
}

int shmring_pop(struct shmring_hdr *r, struct shmring_rec *rec, char *data,
		size_t datacap, int force)
{
	/* The ring is shared with the traced program, which may scribble on
	 * it: a tail far past head must not make one call skip for ever (no
	 * more producers can die mid-record than there are slots). */
	for (uint64_t skipped = 0;;) {
		uint64_t pos = r->head;
		int k = ready(r, pos, force);
		if (k == 0)
			return 0;
		if (k < 0) {
			r->head = pos + 1;
			if (++skipped >= r->cap)
				return 0;
			continue;
		}
		memcpy(rec, slots(r)[pos & (r->cap - 1)].data, sizeof *rec);
		size_t len = rec->len > SHMRING_PATH_MAX ? SHMRING_PATH_MAX : rec->len;
		size_t n = 1 + extra_slots(len), got = 0;
		/* The continuation slots are published before the first. */
		for (size_t i = 1; i < n; i++) {
			if (ready(r, pos + i, force) <= 0) {
				n = i;	/* a producer died mid-record */
				break;
			}
			size_t c = len - got > SHMRING_DATA ? SHMRING_DATA : len - got;
			if (got + c < datacap)
				memcpy(data + got, slots(r)[(pos + i) & (r->cap - 1)].data, c);
			got += c;
		}
		for (size_t i = 0; i < n; i++)
			release(r, pos + i);
		r->head = pos + n;
		if (datacap) {
			if (got >= datacap)
				got = datacap - 1;
			data[got] = '\0';
		}
		rec->len = (uint16_t)got;
		return 1;
	}
}
