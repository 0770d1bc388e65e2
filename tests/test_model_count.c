/* test_model_count.c - io_event.count: one event standing for many ops
 * (the proc backend) keeps exact op and byte counts, lands at its
 * average size, and stays out of the latency histogram. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "bucket.h"
#include "intern.h"
#include "model.h"
#include "syscalls.h"

static struct model m;

static void test_count(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	model_init(&m, in, 1000000);
	model_set_start(&m, 0);
	struct io_event ev[3];
	memset(ev, 0, sizeof ev);
	/* 1000 writes, 4096000 bytes, in the first interval. */
	ev[0].t_us = 500000;
	ev[0].bytes = 4096000;
	ev[0].pid = ev[0].tid = 7;
	ev[0].call = SC_write;
	ev[0].cls = OPC_WRITE;
	ev[0].count = 1000;
	/* One traced read of 100 bytes (count 0 = one call), 30 us. */
	ev[1].t_us = 600000;
	ev[1].bytes = 100;
	ev[1].dur_us = 30;
	ev[1].pid = ev[1].tid = 7;
	ev[1].call = SC_read;
	ev[1].cls = OPC_READ;
	/* 65535 reads of 1 byte each in the second interval. */
	ev[2] = ev[1];
	ev[2].t_us = 1500000;
	ev[2].bytes = 65535;
	ev[2].dur_us = 0;
	ev[2].count = 65535;
	model_add(&m, ev, 3);

	assert_int_equal(m.tot.ops[OPC_WRITE], 1000);
	assert_int_equal(m.tot.bytes[OPC_WRITE], 4096000);
	assert_int_equal(m.tot.ops[OPC_READ], 65536);
	assert_int_equal(m.tot.bytes[OPC_READ], 100 + 65535);
	assert_int_equal(m.tot.hist_ops[OPC_WRITE][bucket_of(4096)], 1000);
	assert_int_equal(m.tot.hist_ops[OPC_READ][bucket_of(1)], 65535);
	assert_int_equal(m.tot.hist_ops[OPC_READ][bucket_of(100)], 1);
	/* Only the traced call has a latency. */
	uint64_t lat = 0;
	for (int k = 0; k < NLAT; k++)
		lat += m.tot.lat[OPC_READ][k] + m.tot.lat[OPC_WRITE][k];
	assert_int_equal(lat, 1);
	const struct bin *b0 = model_ring_bin(&m, 0), *b1 = model_ring_bin(&m, 1);
	assert_non_null(b0);
	assert_non_null(b1);
	assert_int_equal(b0->nops[OPC_WRITE], 1000);
	assert_int_equal(b0->ops[OPC_WRITE][bucket_of(4096)], 1000);
	assert_int_equal(b0->nbytes[OPC_WRITE], 4096000);
	assert_int_equal(b0->nops[OPC_READ], 1);
	assert_int_equal(b1->nops[OPC_READ], 65535);
	assert_int_equal(m.tot.peak_ops[OPC_READ], 65535);
	const struct proc_stats *p = model_proc(&m, 7);
	assert_non_null(p);
	assert_int_equal(p->ops[OPC_WRITE], 1000);
	assert_int_equal(p->ops[OPC_READ], 65536);
	model_destroy(&m);
	intern_free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
