/* intern.c - open-addressing hash from bytes to id, names in fixed chunks. */
#include <config.h>

#include "intern.h"
#include "event.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK 1024
#define NCHUNKS (INTERN_MAX / CHUNK)

struct entry {
	char *name;
	uint32_t len;
	uint32_t hash;
	uint8_t kind;
};

struct intern {
	struct entry *chunks[NCHUNKS];
	uint32_t count;
	uint32_t *slots;	/* ids; 0 = empty */
	uint32_t nslots;	/* power of two, kept <= 50% full */
	uint64_t overflow;
};

/* Eight bytes at a time (names are paths, often 30-60 bytes): the hash
 * was a byte-at-a-time FNV-1a and a seventh of the replay profile.  Ids do
 * not depend on it, only the probe order does. */
static uint32_t intern_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	if (i < len) {
		uint64_t w = 0;
		memcpy(&w, s + i, len - i);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	h *= 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(h ^ (h >> 32));
}

static struct entry *intern_entry(const struct intern *in, uint32_t id)
{
	return &in->chunks[id / CHUNK][id % CHUNK];
}

static uint32_t intern_add(struct intern *in, const char *s, size_t len,
		    uint32_t h, unsigned kind)
{
	uint32_t id = in->count;
	if (!in->chunks[id / CHUNK]) {
		in->chunks[id / CHUNK] = calloc(CHUNK, sizeof(struct entry));
		if (!in->chunks[id / CHUNK])
			return INTERN_OTHER;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return INTERN_OTHER;
	memcpy(copy, s, len);
	copy[len] = '\0';
	struct entry *e = intern_entry(in, id);
	e->name = copy;
	e->len = (uint32_t)len;
	e->hash = h;
	e->kind = (uint8_t)kind;
	in->count++;
	return id;
}

static void intern_rehash(struct intern *in)
{
	uint32_t n = in->nslots * 2;
	uint32_t *slots = calloc(n, sizeof *slots);
	if (!slots)
		return;	/* stay at the old size: still correct, just fuller */
	for (uint32_t id = 2; id < in->count; id++) {
		uint32_t i = intern_entry(in, id)->hash & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = id;
	}
	free(in->slots);
	in->slots = slots;
	in->nslots = n;
}

struct intern *intern_new(void)
{
	struct intern *in = calloc(1, sizeof *in);
	if (!in)
		return NULL;
	in->nslots = 1024;
	in->slots = calloc(in->nslots, sizeof *in->slots);
	if (!in->slots) {
		free(in);
		return NULL;
	}
	intern_add(in, "", 0, 0, FDK_OTHER);
	intern_add(in, "[other files]", 13, 0, FDK_OTHER);
	return in;
}

void intern_free(struct intern *in)
{
	if (!in)
		return;
	for (uint32_t id = 0; id < in->count; id++)
		free(intern_entry(in, id)->name);
	for (unsigned c = 0; c < NCHUNKS; c++)
		free(in->chunks[c]);
	free(in->slots);
	free(in);
}

uint32_t intern_get(struct intern *in, const char *s, size_t len, unsigned kind)
{
	if (len == 0)
		return INTERN_NONE;
	uint32_t h = intern_hash(s, len);
	uint32_t mask = in->nslots - 1, i = h & mask;
	for (uint32_t id; (id = in->slots[i]) != 0; i = (i + 1) & mask) {
		const struct entry *e = intern_entry(in, id);
		if (e->hash == h && e->len == len && memcmp(e->name, s, len) == 0)
			return id;
	}
	if (in->count >= INTERN_MAX) {
		in->overflow++;
		return INTERN_OTHER;
	}
	uint32_t id = intern_add(in, s, len, h, kind);
	if (id == INTERN_OTHER) {
		in->overflow++;
		return id;
	}
	in->slots[i] = id;
	if (in->count * 2 > in->nslots)
		intern_rehash(in);
	return id;
}

const char *intern_name(const struct intern *in, uint32_t id, size_t *len)
{
	/* No look at in->count: the sampler may be adding.  Ids come from the
	 * model, published after their entry was written. */
	if (id >= INTERN_MAX || !in->chunks[id / CHUNK])
		id = INTERN_NONE;
	const struct entry *e = intern_entry(in, id);
	if (len)
		*len = e->len;
	return e->name;
}

unsigned intern_kind(const struct intern *in, uint32_t id)
{
	if (id >= INTERN_MAX || !in->chunks[id / CHUNK])
		return FDK_OTHER;
	return intern_entry(in, id)->kind;
}

uint32_t intern_count(const struct intern *in)
{
	return in->count;
}

uint64_t intern_overflow(const struct intern *in)
{
	return in->overflow;
}

unsigned intern_name_kind(const char *s, size_t len)
{
#define PFX(lit) (len >= sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)
	if (len == 0)
		return FDK_OTHER;
	if (s[0] == '/') {
		if (PFX("/dev/pts/") || PFX("/dev/tty") || PFX("/dev/console"))
			return FDK_TTY;
		return FDK_FILE;
	}
	if (PFX("pipe:"))
		return FDK_PIPE;
	if (PFX("socket:") || PFX("UNIX") || PFX("TCP") || PFX("UDP") ||
	    PFX("NETLINK") || PFX("RAW") || PFX("SCTP"))
		return FDK_SOCKET;
	return FDK_OTHER;
#undef PFX
}
