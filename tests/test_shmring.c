/* test_shmring.c - the shared ring: records and paths round-trip, a full
 * ring drops and counts, a dead writer's slot is skipped at the end, and
 * several producer threads lose nothing and keep each one's order. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "shmring.h"

static struct shmring_hdr *ring_new(uint32_t cap)
{
	size_t size = shmring_size(cap);
	void *mem = aligned_alloc(64, (size + 63) & ~(size_t)63);
	assert_non_null(mem);
	memset(mem, 0, size);
	shmring_init(mem, cap);
	struct shmring_hdr *r = shmring_attach(mem, size);
	assert_non_null(r);
	return r;
}

static void test_roundtrip(void **state)
{
	(void)state;
	struct shmring_hdr *r = ring_new(64);
	char path[300], out[SHMRING_PATH_MAX + 1];
	memset(path, 'a', sizeof path);
	path[sizeof path - 1] = 'z';
	struct shmring_rec in = {.t_us = 123, .ret = 4096, .pid = 7, .tid = 8, .fd = 3,
				 .call = 9, .type = SHMR_EVENT};
	assert_int_equal(shmring_push(r, &in, NULL, 0), 0);
	in.type = SHMR_NAME;
	assert_int_equal(shmring_push(r, &in, path, sizeof path), 0);
	struct shmring_rec got;
	assert_int_equal(shmring_pop(r, &got, out, sizeof out, 0), 1);
	assert_int_equal(got.ret, 4096);
	assert_int_equal(got.type, SHMR_EVENT);
	assert_int_equal(got.len, 0);
	assert_int_equal(shmring_pop(r, &got, out, sizeof out, 0), 1);
	assert_int_equal(got.type, SHMR_NAME);
	assert_int_equal(got.len, sizeof path);
	assert_memory_equal(out, path, sizeof path);
	assert_int_equal(shmring_pop(r, &got, out, sizeof out, 0), 0);
	free(r);
}

static void test_full_drops(void **state)
{
	(void)state;
	struct shmring_hdr *r = ring_new(64);
	struct shmring_rec in = {.type = SHMR_EVENT};
	int ok = 0;
	for (int i = 0; i < 100; i++) {
		in.ret = i;
		ok += shmring_push(r, &in, NULL, 0) == 0;
	}
	assert_int_equal(ok, 64);
	assert_int_equal(r->dropped, 36);
	/* A record that needs more slots than are free is dropped whole. */
	struct shmring_rec got;
	char out[64];
	for (int i = 0; i < 2; i++)
		assert_int_equal(shmring_pop(r, &got, out, sizeof out, 0), 1);
	char path[200] = "x";	/* 1 + 4 slots */
	assert_int_equal(shmring_push(r, &in, path, sizeof path), -1);
	assert_int_equal(r->dropped, 37);
	for (int i = 2; i < 64; i++) {
		assert_int_equal(shmring_pop(r, &got, out, sizeof out, 0), 1);
		assert_int_equal(got.ret, i);	/* in order */
	}
	assert_int_equal(shmring_push(r, &in, path, sizeof path), 0);
	free(r);
}

static void test_dead_writer(void **state)
{
	(void)state;
	struct shmring_hdr *r = ring_new(64);
	/* A producer that claimed slot 0 and died before publishing it. */
	r->tail = 1;
	struct shmring_rec in = {.type = SHMR_EVENT, .ret = 5}, got;
	assert_int_equal(shmring_push(r, &in, NULL, 0), 0);
	char out[8];
	assert_int_equal(shmring_pop(r, &got, out, sizeof out, 0), 0);	/* waits */
	assert_int_equal(shmring_pop(r, &got, out, sizeof out, 1), 1);	/* skips */
	assert_int_equal(got.ret, 5);
	assert_int_equal(r->lost, 1);
	free(r);
}

#define PRODUCERS 4
#define PER 200000

struct prod {
	struct shmring_hdr *r;
	int id;
	uint64_t pushed;
};

static void *producer(void *arg)
{
	struct prod *p = arg;
	char path[100];
	memset(path, 'p', sizeof path);
	for (int i = 0; i < PER; i++) {
		struct shmring_rec in = {.type = SHMR_EVENT, .pid = p->id, .ret = i};
		/* Every 16th carries a path over two extra slots. */
		if (shmring_push(p->r, &in, path, i % 16 ? 0 : sizeof path) == 0)
			p->pushed++;
	}
	return NULL;
}

static void test_producers(void **state)
{
	(void)state;
	struct shmring_hdr *r = ring_new(1024);
	struct prod p[PRODUCERS];
	pthread_t t[PRODUCERS];
	for (int i = 0; i < PRODUCERS; i++) {
		p[i] = (struct prod){.r = r, .id = i};
		assert_int_equal(pthread_create(&t[i], NULL, producer, &p[i]), 0);
	}
	int64_t last[PRODUCERS];
	uint64_t got_n[PRODUCERS] = {0};
	for (int i = 0; i < PRODUCERS; i++)
		last[i] = -1;
	int running = PRODUCERS, bad = 0;
	struct shmring_rec got;
	char out[SHMRING_PATH_MAX + 1];
	for (;;) {
		int k = shmring_pop(r, &got, out, sizeof out, 0);
		if (k == 1) {
			if (got.pid < 0 || got.pid >= PRODUCERS || got.ret <= last[got.pid] ||
			    (got.ret % 16 == 0) != (got.len == 100))
				bad++;
			else
				last[got.pid] = got.ret, got_n[got.pid]++;
			continue;
		}
		if (!running)
			break;
		for (int i = 0; i < PRODUCERS; i++)
			if (t[i] && pthread_tryjoin_np(t[i], NULL) == 0)
				t[i] = 0, running--;
	}
	assert_int_equal(bad, 0);
	uint64_t pushed = 0, received = 0;
	for (int i = 0; i < PRODUCERS; i++) {
		assert_int_equal(got_n[i], p[i].pushed);
		pushed += p[i].pushed;
		received += got_n[i];
	}
	assert_int_equal(received + r->dropped, (uint64_t)PRODUCERS * PER);
	assert_int_equal(r->lost, 0);
	free(r);
}

static void test_attach_rejects(void **state)
{
	(void)state;
	_Alignas(64) char junk[4096] = {0};
	assert_null(shmring_attach(junk, sizeof junk));	/* no magic */
	assert_null(shmring_attach(junk + 8, sizeof junk - 8));	/* misaligned */
	struct shmring_hdr *r = ring_new(64);
	assert_null(shmring_attach(r, shmring_size(64) - 1));
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_full_drops),
		cmocka_unit_test(test_dead_writer),
		cmocka_unit_test(test_producers),
		cmocka_unit_test(test_attach_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
