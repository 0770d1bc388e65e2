/* test_bins.c - the bins form of a recording: generated calls written
 * per-interval-aggregated and read back give the same totals, size and
 * latency histograms, metadata counts by call, processes and files as the
 * events themselves; and its size follows the variety of the calls, not
 * their number. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intern.h"
#include "model.h"
#include "record.h"
#include "record_parse.h"
#include "syscalls.h"

#define NMAX 200000
#define START 1700000000000000LL
#define SECS 5
#define FILES 20	/* under the 32 kept per interval: per-file exact */

static uint64_t rng = 42;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* n calls over SECS seconds; varied: sizes and durations uniformly
 * random (the worst case for aggregation), else a few sizes and
 * durations, as real programs have. */
static void gen(struct intern *in, struct io_event *ev, int n, int varied)
{
	static const int64_t sizes[] = {0, 512, 4096, 65536};
	static const uint32_t durs[] = {2, 20, 300};
	char path[32];
	static const enum sc_id meta[] = {SC_openat, SC_close, SC_newfstatat, SC_lseek};
	for (int i = 0; i < n; i++) {
		struct io_event *e = &ev[i];
		memset(e, 0, sizeof *e);
		e->t_us = START + (int64_t)i * (SECS * 1000000LL) / n;
		e->pid = e->tid = 100 + (int)(next() % 3);
		snprintf(path, sizeof path, "/scratch/f%02d", (int)(next() % FILES));
		e->file = intern_get(in, path, strlen(path), FDK_FILE);
		e->dur_us = varied ? (uint32_t)(next() % 5000) : durs[next() % 3];
		unsigned k = (unsigned)(next() % 10);
		if (k < 5) {
			e->cls = OPC_READ;
			e->call = next() % 2 ? SC_read : SC_pread64;
			e->bytes = varied ? (int64_t)(next() % 70000) : sizes[next() % 4];
		} else if (k < 8) {
			e->cls = OPC_WRITE;
			e->call = SC_write;
			e->bytes = varied ? (int64_t)(next() % 1000000) : sizes[next() % 4];
		} else {
			e->cls = OPC_META;
			e->call = meta[next() % 4];
			if (next() % 7 == 0)
				e->err = 2;	/* ENOENT */
		}
		if (e->cls < 2 && next() % 50 == 0) {
			e->err = 9;	/* EBADF */
			e->bytes = -1;
		}
	}
}

/* Record n generated calls in the bins form, read them back, compare;
 * returns the recording's size. */
static long round_trip(int N, int varied)
{
	struct intern *in1 = intern_new(), *in2 = intern_new();
	struct model *m1 = model_new(in1, 1000000), *m2 = model_new(in2, 1000000);
	struct io_event *ev = malloc(N * sizeof *ev);
	assert_non_null(ev);
	gen(in1, ev, N, varied);
	char path[] = "/tmp/iopstop-test-bins.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char err[256];
	struct recorder *r = recorder_open(path, 1, NULL, "strace", err, sizeof err);
	assert_non_null(r);
	recorder_set_bins(r, 1);
	model_set_start(m1, START);
	/* As the sampler does: batches, the clock moving with them. */
	for (int i = 0; i < N; i += 4096) {
		size_t n = N - i < 4096 ? (size_t)(N - i) : 4096;
		model_add(m1, ev + i, n);
		m1->now_us = ev[i + n - 1].t_us - START;
		recorder_batch(r, m1, ev + i, n, 0);
	}
	recorder_batch(r, m1, NULL, 0, 1);
	assert_int_equal(recorder_close(r), 0);

	/* Read it back. */
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	struct record_parser *p = record_parser_new(in2);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lines = 0, agg = 0;
	struct io_event e;
	while ((len = getline(&line, &cap, f)) > 0) {
		line[--len] = '\0';
		int got = record_parse_line(p, line, (size_t)len, &e);
		assert_true(got >= 0);
		if (got == 1) {
			if (!m2->started)
				model_set_start(m2, p->start_us);
			model_add(m2, &e, 1);
			agg += line[0] == 'A';
		}
		lines++;
	}
	fclose(f);
	free(line);
	assert_int_equal(p->bins, 1);
	assert_true(p->ended);
	long size = 0;
	f = fopen(path, "r");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	unlink(path);
	assert_true(agg > 0);
	assert_true(agg < N);

	const struct totals *a = &m1->tot, *b = &m2->tot;
	assert_memory_equal(a->ops, b->ops, sizeof a->ops);
	assert_memory_equal(a->errors, b->errors, sizeof a->errors);
	assert_memory_equal(a->bytes, b->bytes, sizeof a->bytes);
	assert_memory_equal(a->by_call, b->by_call, sizeof a->by_call);
	assert_memory_equal(a->err_by_call, b->err_by_call, sizeof a->err_by_call);
	assert_memory_equal(a->hist_ops, b->hist_ops, sizeof a->hist_ops);
	assert_memory_equal(a->hist_bytes, b->hist_bytes, sizeof a->hist_bytes);
	assert_memory_equal(a->lat, b->lat, sizeof a->lat);
	assert_memory_equal(a->dur_us, b->dur_us, sizeof a->dur_us);
	assert_int_equal(m1->nprocs, m2->nprocs);
	for (uint32_t i = 0; i < m1->nprocs; i++) {
		const struct proc_stats *x = &m1->procs[i], *y = model_proc(m2, x->pid);
		assert_non_null(y);
		assert_memory_equal(x->ops, y->ops, sizeof x->ops);
		assert_memory_equal(x->bytes, y->bytes, sizeof x->bytes);
		assert_int_equal(x->errors, y->errors);
	}
	/* Files by name: ids differ between the two intern tables. */
	for (uint32_t id = 2; id < m1->files_cap; id++) {
		if (!m1->files[id].seen)
			continue;
		size_t nl;
		const char *name = intern_name(in1, id, &nl);
		uint32_t id2 = intern_get(in2, name, nl, FDK_FILE);
		assert_true(id2 < m2->files_cap);
		assert_memory_equal(m1->files[id].ops, m2->files[id2].ops, sizeof m1->files[id].ops);
		assert_memory_equal(m1->files[id].bytes, m2->files[id2].bytes,
				    sizeof m1->files[id].bytes);
	}
	/* Each interval's bins, as batch lines and the heatmap show them. */
	for (int64_t idx = 0; idx < SECS; idx++) {
		const struct bin *x = model_ring_bin(m1, idx), *y = model_ring_bin(m2, idx);
		assert_non_null(x);
		assert_non_null(y);
		assert_memory_equal(x->nops, y->nops, sizeof x->nops);
		assert_memory_equal(x->ops, y->ops, sizeof x->ops);
		assert_memory_equal(x->lat, y->lat, sizeof x->lat);
	}
	record_parser_free(p);
	free(ev);
	model_destroy(m1);
	model_destroy(m2);
	free(m1);
	free(m2);
	intern_free(in1);
	intern_free(in2);
	return size;
}

static void test_exact_when_varied(void **state)
{
	(void)state;
	round_trip(NMAX, 1);
}

static void test_size_follows_variety_not_rate(void **state)
{
	(void)state;
	long small = round_trip(NMAX / 10, 0), big = round_trip(NMAX, 0);
	print_message("bins: %ld bytes for %d calls, %ld for %d\n", small, NMAX / 10, big, NMAX);
	/* 4,000 and 40,000 calls a second: about the same bytes a second */
	assert_true(big < small * 13 / 10);
	assert_true(big / SECS < 64 * 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_when_varied),
		cmocka_unit_test(test_size_follows_variety_not_rate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
