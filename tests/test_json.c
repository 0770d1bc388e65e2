/* test_json.c - any byte string survives as valid JSON. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static char *render(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	json_str(f, s, len);
	fclose(f);
	return buf;
}

static void test_escapes(void **state)
{
	(void)state;
	static const char in[] = "a\"b\\c\nd\te\x1b[31m";
	char *r = render(in, sizeof in - 1);
	assert_string_equal(r, "\"a\\\"b\\\\c\\nd\\te\\u001b[31m\"");
	free(r);
	r = render("caf\xc3\xa9", 5);	/* valid UTF-8 passes */
	assert_string_equal(r, "\"caf\xc3\xa9\"");
	free(r);
	r = render("x\xff\xc3", 3);	/* invalid bytes: \udcXX */
	assert_string_equal(r, "\"x\\udcff\\udcc3\"");
	free(r);
	r = render("\xed\xa0\x80", 3);	/* an encoded surrogate is invalid */
	assert_string_equal(r, "\"\\udced\\udca0\\udc80\"");
	free(r);
}

static void test_numbers(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	json_num(f, 2.0);
	fputc(' ', f);
	json_num(f, 1.5);
	fputc(' ', f);
	json_num(f, 0.0 / 0.0);
	fclose(f);
	assert_string_equal(buf, "2.0 1.5 0.0");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
