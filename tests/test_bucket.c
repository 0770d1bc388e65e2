/* test_bucket.c - the size-bucket contract of docs/DESIGN.md. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "bucket.h"

static void test_bounds(void **state)
{
	(void)state;
	assert_int_equal(bucket_of(0), 0);
	assert_int_equal(bucket_of(1), 1);
	assert_int_equal(bucket_of(2), 2);
	assert_int_equal(bucket_of(3), 2);
	assert_int_equal(bucket_of(1023), 10);
	assert_int_equal(bucket_of(1024), 11);
	assert_int_equal(bucket_of(2047), 11);
	assert_int_equal(bucket_of(1 << 20), 21);
	assert_int_equal(bucket_of(~0ull), NBUCKETS - 1);
	/* Every size lies in [lo, hi] of its bucket. */
	for (unsigned k = 1; k < NBUCKETS - 1; k++) {
		assert_int_equal(bucket_of(bucket_lo(k)), k);
		assert_int_equal(bucket_of(bucket_hi(k)), k);
		assert_int_equal(bucket_hi(k) + 1, bucket_lo(k + 1));
	}
	assert_int_equal(bucket_lo(0), 0);
	assert_int_equal(bucket_hi(0), 0);
}

static void test_labels(void **state)
{
	(void)state;
	char b[16];
	static const struct { unsigned k; const char *s; } want[] = {
		{0, "0"}, {1, "1"}, {2, "2"}, {3, "4"}, {10, "512"}, {11, "1K"},
		{12, "2K"}, {21, "1M"}, {31, "1G"},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		bucket_label(want[i].k, b, sizeof b);
		assert_string_equal(b, want[i].s);
	}
	bucket_fmt_bytes(1536, b, sizeof b);
	assert_string_equal(b, "1.5K");
	bucket_fmt_bytes(512, b, sizeof b);
	assert_string_equal(b, "512");
	bucket_fmt_us(1500, b, sizeof b);
	assert_string_equal(b, "1.5ms");
}

static void test_quantile(void **state)
{
	(void)state;
	uint64_t h[NLAT] = {0};
	assert_true(bucket_lat_quantile(h, 0.5) < 0);
	h[bucket_lat_of(100)] = 99;	/* [64,128) us */
	h[bucket_lat_of(5000)] = 1;	/* [4096,8192) us */
	double p50 = bucket_lat_quantile(h, 0.5), p100 = bucket_lat_quantile(h, 1.0);
	assert_true(p50 >= 64 && p50 < 128);
	assert_true(p100 >= 4096 && p100 <= 8192);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_quantile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
