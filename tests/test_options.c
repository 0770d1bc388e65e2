/* test_options.c - the command line: modes, numbers, errors. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "options.h"

static int run(struct options *o, char *err, const char *a0, ...)
{
	static char *argv[32];	/* o->command points into it */
	int argc = 0;
	va_list ap;
	va_start(ap, a0);
	argv[argc++] = (char *)"iopstop";
	for (const char *a = a0; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return options_parse(o, argc, argv, err, 256);
}

static void test_modes(void **state)
{
	(void)state;
	struct options o;
	char err[256];
	assert_int_equal(run(&o, err, "--json", "--", "dd", "if=x", NULL), 0);
	assert_int_equal(o.mode, MODE_COMMAND);
	assert_string_equal(o.command[0], "dd");
	assert_string_equal(o.command[1], "if=x");
	assert_string_equal(o.json, "-");
	assert_int_equal(run(&o, err, "-p", "12,34", "-d", "0.5", NULL), 0);
	assert_int_equal(o.mode, MODE_PID);
	assert_int_equal(o.npids, 2);
	assert_int_equal(o.pids[1], 34);
	assert_true(o.delay == 0.5);
	assert_int_equal(run(&o, err, "-r", "log", "--json=out.json", NULL), 0);
	assert_int_equal(o.mode, MODE_REPLAY);
	assert_string_equal(o.json, "out.json");
	assert_int_equal(run(&o, err, NULL), 0);
	assert_int_equal(o.mode, MODE_LIST);
	/* Options after COMMAND belong to COMMAND. */
	assert_int_equal(run(&o, err, "ls", "-d", "x", NULL), 0);
	assert_string_equal(o.command[1], "-d");
	assert_true(o.delay == 1.0);
}

static void test_errors(void **state)
{
	(void)state;
	struct options o;
	char err[256];
	assert_int_equal(run(&o, err, "-d", "-1", NULL), 2);
	assert_non_null(strstr(err, "interval"));
	assert_int_equal(run(&o, err, "-d", "abc", NULL), 2);
	assert_int_equal(run(&o, err, "-d", "100", NULL), 2);
	assert_int_equal(run(&o, err, "-d", "0.01", NULL), 2);
	assert_int_equal(run(&o, err, "-n", "0", NULL), 2);
	assert_int_equal(run(&o, err, "-p", "12,", NULL), 2);
	assert_int_equal(run(&o, err, "-p", "abc", NULL), 2);
	assert_int_equal(run(&o, err, "--bogus", NULL), 2);
	assert_non_null(strstr(err, "--bogus"));
	assert_int_equal(run(&o, err, "-Z", NULL), 2);
	assert_int_equal(run(&o, err, "-p", "1", "-r", "x", NULL), 2);
	assert_int_equal(run(&o, err, "--csv", "-r", "x", NULL), 2);
	assert_int_equal(run(&o, err, "--backend=magic", NULL), 2);
	assert_int_equal(run(&o, err, "-d", NULL), 2);
	assert_non_null(strstr(err, "needs an argument"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
