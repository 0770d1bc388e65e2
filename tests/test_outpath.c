/* test_outpath.c - %h %p %r %j %% templates and the rank's sources. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "outpath.h"

static const struct outpath_env env = {"node07", 4242, 3, "123456"};

static void test_expand(void **state)
{
	(void)state;
	char out[256];
	assert_int_equal(outpath_expand("/s/%j.%r.rec", &env, out, sizeof out), 0);
	assert_string_equal(out, "/s/123456.3.rec");
	assert_int_equal(outpath_expand("%h-%p-%%r%%", &env, out, sizeof out), 0);
	assert_string_equal(out, "node07-4242-%r%");
	assert_int_equal(outpath_expand("plain", &env, out, sizeof out), 0);
	assert_string_equal(out, "plain");
	assert_int_equal(outpath_expand("", &env, out, sizeof out), 0);
	assert_string_equal(out, "");
}

static void test_errors(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(outpath_expand("x%", &env, out, sizeof out), -1);
	assert_non_null(strstr(out, "lone %"));
	assert_int_equal(outpath_expand("x%q", &env, out, sizeof out), -1);
	assert_non_null(strstr(out, "unknown %q"));
	char small[8];
	assert_int_equal(outpath_expand("%h%h%h", &env, small, sizeof small), -1);
	assert_int_equal(outpath_expand("%h", &env, small, sizeof small), 0);
	assert_string_equal(small, "node07");
}

static const char *const *vars;
static const char *fake_get(const char *name)
{
	for (const char *const *v = vars; *v; v += 2)
		if (strcmp(v[0], name) == 0)
			return v[1];
	return NULL;
}

static void test_rank(void **state)
{
	(void)state;
	static const char *const none[] = {NULL};
	static const char *const slurm[] = {"PMI_RANK", "5", "SLURM_PROCID", "2", NULL};
	static const char *const ompi[] = {"OMPI_COMM_WORLD_RANK", "7", "PMIX_RANK", "1", NULL};
	static const char *const pmix[] = {"SLURM_PROCID", "x", "PMIX_RANK", "9", NULL};
	vars = none;
	assert_int_equal(outpath_rank(fake_get), 0);
	vars = slurm;
	assert_int_equal(outpath_rank(fake_get), 2);
	vars = ompi;
	assert_int_equal(outpath_rank(fake_get), 7);
	vars = pmix;	/* a non-number is skipped */
	assert_int_equal(outpath_rank(fake_get), 9);
}

static void test_apply(void **state)
{
	(void)state;
	char err[256], store[OUTPATH_MAX];
	const char *p = "/a/%r.json", *q = "/a/b.json", *n = NULL, *bad = "%z";
	assert_int_equal(outpath_apply(&p, store, "--json", &env, err, sizeof err), 0);
	assert_string_equal(p, "/a/3.json");
	assert_ptr_equal(p, store);
	assert_int_equal(outpath_apply(&q, store, "--json", &env, err, sizeof err), 0);
	assert_string_equal(q, "/a/b.json");
	assert_int_equal(outpath_apply(&n, store, "--json", &env, err, sizeof err), 0);
	assert_null(n);
	assert_int_equal(outpath_apply(&bad, store, "-w", &env, err, sizeof err), -1);
	assert_non_null(strstr(err, "-w '%z' has an unknown %z"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
