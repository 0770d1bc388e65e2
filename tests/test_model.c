/* test_model.c - aggregation: bins, whole-run merging, tables. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "intern.h"
#include "model.h"

static struct io_event ev(int64_t t, int cls, int64_t bytes, uint32_t file)
{
	struct io_event e;
	memset(&e, 0, sizeof e);
	e.t_us = t;
	e.cls = (uint8_t)cls;
	e.call = cls == OPC_READ ? SC_read : cls == OPC_WRITE ? SC_write : SC_openat;
	e.bytes = bytes;
	e.file = file;
	e.pid = e.tid = 10;
	e.dur_us = 100;
	return e;
}

static void test_bins_and_totals(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct model *m = malloc(sizeof *m);
	model_init(m, in, 1000000);
	model_set_start(m, 5000000);
	uint32_t a = intern_get(in, "/a", 2, FDK_FILE);
	struct io_event e[] = {
		ev(5000000, OPC_WRITE, 1024, a),	/* interval 0, bucket 11 */
		ev(5500000, OPC_WRITE, 1024, a),
		ev(7200000, OPC_READ, 0, a),		/* interval 2, bucket 0 */
		ev(7300000, OPC_META, 0, a),
	};
	e[3].err = 2;	/* a failed open: an error, not an op */
	model_add(m, e, 4);
	assert_int_equal(m->tot.ops[OPC_WRITE], 2);
	assert_int_equal(m->tot.bytes[OPC_WRITE], 2048);
	assert_int_equal(m->tot.ops[OPC_READ], 1);
	assert_int_equal(m->tot.ops[OPC_META], 0);
	assert_int_equal(m->tot.errors[OPC_META], 1);
	assert_int_equal(m->tot.hist_ops[1][11], 2);
	assert_int_equal(m->tot.hist_ops[0][0], 1);
	assert_int_equal(m->tot.peak_ops[OPC_WRITE], 2);
	const struct bin *b0 = model_ring_bin(m, 0), *b1 = model_ring_bin(m, 1);
	const struct bin *b2 = model_ring_bin(m, 2);
	assert_non_null(b0);
	assert_int_equal(b0->ops[1][11], 2);
	assert_int_equal(b1->nops[0] + b1->nops[1], 0);
	assert_int_equal(b2->ops[0][0], 1);
	assert_int_equal(b2->errors, 1);
	assert_null(model_ring_bin(m, 3));
	assert_int_equal(m->files[a].ops[OPC_WRITE], 2);
	assert_int_equal(m->files[a].bytes[OPC_WRITE], 2048);
	assert_int_equal(m->files[a].errors, 1);
	assert_int_equal(m->nprocs, 1);
	assert_int_equal(m->procs[0].ops[OPC_WRITE], 2);
	model_free(m);
	intern_free(in);
}

/* A long run: the whole-run heatmap keeps WR_COLS columns and every op. */
static void test_whole_run_doubling(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct model *m = malloc(sizeof *m);
	model_init(m, in, 1000000);
	model_set_start(m, 0);
	uint64_t n = 0;
	for (int64_t t = 0; t < 3600LL * 1000000; t += 7919 * 100) {
		struct io_event e = ev(t, OPC_READ, 4096, 0);
		model_add(m, &e, 1);
		n++;
	}
	assert_true(m->wr_width_us >= 3600LL * 1000000 / WR_COLS);
	assert_true(m->wr_width_us < 2 * 3600LL * 1000000 / WR_COLS * 2);
	uint64_t sum = 0;
	for (int c = 0; c < WR_COLS; c++)
		sum += m->wr[c].ops[0][13];
	assert_int_equal(sum, n);
	assert_int_equal(m->tot.ops[0], n);
	/* The ring holds only the last RING_BINS intervals. */
	assert_null(model_ring_bin(m, 0));
	assert_non_null(model_ring_bin(m, m->ring_last));
	model_free(m);
	intern_free(in);
}

static void test_path_filter_and_procs(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct model *m = malloc(sizeof *m);
	model_init(m, in, 1000000);
	static const char *const prefixes[] = {"/scratch", NULL};
	m->path_prefixes = prefixes;
	uint32_t in_id = intern_get(in, "/scratch/x", 10, FDK_FILE);
	uint32_t out_id = intern_get(in, "/scratchy", 9, FDK_FILE);
	struct io_event e[] = {ev(0, OPC_WRITE, 10, in_id), ev(1, OPC_WRITE, 10, out_id)};
	model_add(m, e, 2);
	assert_int_equal(m->tot.ops[OPC_WRITE], 1);
	assert_int_equal(m->filtered_out, 1);
	/* exec names the process; fork copies the name; exit sets status. */
	struct io_event p = ev(2, OPC_PROC, 0, intern_get(in, "dd", 2, FDK_OTHER));
	p.call = SC_execve;
	model_add(m, &p, 1);
	p.call = SC_FORK;
	p.bytes = 11;
	model_add(m, &p, 1);
	p.call = SC_EXIT;
	p.bytes = 3;
	model_add(m, &p, 1);
	const struct proc_stats *c = model_proc(m, 11);
	assert_non_null(c);
	assert_string_equal(intern_name(in, c->comm, NULL), "dd");
	assert_int_equal(m->exit_status, 3);
	model_free(m);
	intern_free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bins_and_totals),
		cmocka_unit_test(test_whole_run_doubling),
		cmocka_unit_test(test_path_filter_and_procs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
