/* shmring.h - the shared-memory ring between the preloaded library (many
 * producers: every thread of every traced process) and iopstop (one
 * consumer).
 *
 * A bounded MPSC queue of 64-byte slots with a sequence number per slot
 * (Vyukov's bounded queue): a producer claims slots with one CAS on the
 * tail and publishes each slot by storing its sequence; nothing ever
 * blocks.  A full ring drops the record and counts it.  Lives in a memfd
 * mapped by processes that share no address space, so it holds no
 * pointers, only atomics on plain integers. */
#ifndef IOPSTOP_SHMRING_H
#define IOPSTOP_SHMRING_H

#include <stddef.h>
#include <stdint.h>

#define SHMRING_MAGIC 0x69707231u	/* "ipr1" */
#define SHMRING_VERSION 1
#define SHMRING_SLOT 64
#define SHMRING_DATA (SHMRING_SLOT - 8)	/* payload bytes per slot */
#define SHMRING_PATH_MAX 4096		/* PATH_MAX: longer paths are cut (flag set) */
#define SHMRING_MAX_EXTRA ((SHMRING_PATH_MAX + SHMRING_DATA - 1) / SHMRING_DATA)

enum shmring_type {
	SHMR_EVENT = 1,	/* a call: fd names the file, or the path inline */
	SHMR_NAME,	/* fd now names the path inline (no call) */
	SHMR_PROC,	/* call = SC_execve (path = comm) or SC_FORK (ret = child) */
	SHMR_COUNTS,	/* inline: 7 x uint64: kernel syscr, syscw; seen r, w;
			 * kernel rchar, wchar; bytes of the library's own
			 * reads of /proc/self/io before this one;
			 * SHMRF_IMAGE_END says which report */
};

enum shmring_flag {
	SHMRF_CUT = 0x01,	/* the path was longer than SHMRING_PATH_MAX */
	SHMRF_IMAGE_END = 0x02,	/* SHMR_COUNTS: the image ends (exit, exec);
				 * without it, one starts */
	SHMRF_OFFSET = 0x04,	/* off is known (pread's, lseek's result) */
};

/* A record's first slot.  Its path (if len > 0) follows in the next
 * ceil(len / SHMRING_DATA) slots. */
struct shmring_rec {
	int64_t t_us;	/* call start, CLOCK_REALTIME */
	int64_t ret;	/* return value (bytes, new fd, child pid) */
	uint32_t dur_us;
	int32_t pid, tid;
	int32_t fd;	/* the call's descriptor (dirfd for *at), -1 none */
	uint16_t call;	/* enum sc_id */
	uint16_t err;	/* errno, 0 on success */
	uint8_t type;	/* enum shmring_type */
	uint8_t flags;	/* SHMRF_* */
	uint16_t len;	/* inline bytes */
	int32_t fd2;	/* second descriptor (sendfile's in, ...), -1 none */
	uint32_t pad;
	int64_t off;	/* SHMRF_OFFSET: the file position (io_event.offset) */
};
/* A record is the first slot's payload; both sides of the ring (two
 * builds: the library and iopstop) must agree on its layout. */
_Static_assert(sizeof(struct shmring_rec) == 56, "shmring_rec's layout is the ring's format");
_Static_assert(sizeof(struct shmring_rec) <= SHMRING_DATA, "a record fits one slot");
_Static_assert(SHMR_COUNTS <= UINT8_MAX, "shmring_rec.type is 8 bits");

struct shmring_hdr {
	uint32_t magic, version;
	uint32_t cap;		/* slots, a power of two */
	uint32_t slot_size;
	uint64_t reserved[6];
	_Alignas(64) uint64_t tail;	/* producers: next position to claim */
	_Alignas(64) uint64_t head;	/* consumer: next position to read */
	_Alignas(64) uint64_t dropped;	/* records not written: ring full */
	uint64_t lost;			/* slots skipped: a producer died */
};

struct shmring_slot {
	uint64_t seq;
	unsigned char data[SHMRING_DATA];
};
_Static_assert(sizeof(struct shmring_slot) == SHMRING_SLOT, "a slot is SHMRING_SLOT bytes");

/* Bytes to map for cap slots (cap a power of two). */
size_t shmring_size(uint32_t cap);
/* Lay out a ring in zeroed memory of shmring_size(cap) bytes. */
void shmring_init(void *mem, uint32_t cap);
/* The ring at mem if its header is sane for size bytes, else NULL. */
struct shmring_hdr *shmring_attach(void *mem, size_t size);

/* Producer: write rec and len bytes of data; 0, or -1 when full (the
 * record is counted as dropped).  Async-signal-safe, lock-free. */
int shmring_push(struct shmring_hdr *r, const struct shmring_rec *rec,
		 const void *data, size_t len);

/* Consumer (one thread): take the next record into rec and its data
 * (NUL-terminated, cut to datacap - 1).  1 if one was read, 0 if none is
 * ready.  With force, a slot claimed but never published (its producer
 * died) is skipped and counted in lost, so a final drain always ends. */
int shmring_pop(struct shmring_hdr *r, struct shmring_rec *rec, char *data,
		size_t datacap, int force);

#endif
