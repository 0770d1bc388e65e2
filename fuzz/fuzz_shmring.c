/* fuzz_shmring.c - libFuzzer target for the consumer side of the preload
 * ring (shmring_pop): the ring lives in memory the traced program shares
 * and may scribble on, so its slots, sequence numbers, head and tail are
 * arbitrary bytes here.
 *
 * The input is laid over a 64-slot ring: its first 16 bytes are head and
 * tail, the rest fills the slots (seq and data) in order, repeated.  Then
 * records are popped (force on for inputs with an odd first byte, as at
 * the end of a run) until none is ready, at most 4 x cap times per pass,
 * two passes.  Checks: no crash, no sanitizer report, no endless loop
 * (libFuzzer's -timeout), every record's length within the buffer and the
 * data NUL-terminated there.
 *
 * Also built into tests/test_fuzz_regress (LLVMFuzzerTestOneInput renamed
 * there), so nothing here may depend on libFuzzer itself. */
#include <config.h>

#include "shmring.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FSR_FAIL(...) do { \
		fprintf(stderr, "fuzz_shmring: " __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum { CAP = 64 };
	static _Alignas(64) unsigned char mem[1 << 16];
	size_t msize = shmring_size(CAP);
	if (msize > sizeof mem)
		FSR_FAIL("ring of %d slots needs %zu bytes", CAP, msize);
	memset(mem, 0, msize);
	shmring_init(mem, CAP);
	struct shmring_hdr *r = shmring_attach(mem, msize);
	if (!r)
		FSR_FAIL("a fresh ring does not attach");
	if (size >= 16) {
		memcpy(&r->head, data, 8);
		memcpy(&r->tail, data + 8, 8);
		unsigned char *slots = (unsigned char *)r + (msize - (size_t)CAP * SHMRING_SLOT);
		size_t n = size - 16;
		for (size_t i = 0; n && i < (size_t)CAP * SHMRING_SLOT; i++)
			slots[i] = data[16 + i % n];
	}
	int force = size && (data[0] & 1);
	char buf[SHMRING_PATH_MAX + 1];
	size_t caps[] = {sizeof buf, 7};
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 4 * CAP; i++) {
			struct shmring_rec rec;
			size_t cap = caps[pass];
			memset(buf, 0x55, sizeof buf);
			int got = shmring_pop(r, &rec, buf, cap, force);
			if (got == 0)
				break;
			if (got != 1)
				FSR_FAIL("shmring_pop returned %d", got);
			if (rec.len >= cap)
				FSR_FAIL("record length %u for a %zu-byte buffer", rec.len, cap);
			if (buf[rec.len] != '\0')
				FSR_FAIL("data not NUL-terminated at %u", rec.len);
		}
		force = 1;
	}
	return 0;
}
