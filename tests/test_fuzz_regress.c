/* test_fuzz_regress.c - replay the fuzzers' inputs in the ordinary build.
 *
 * Every file in fuzz/regress/<target>/ once crashed a fuzz target; every
 * file in fuzz/corpus/<target>/ is a seed.  Each goes through the fuzz
 * target's own entry point (compiled in here under another name), so the
 * same checks run: a regression aborts this test, and under
 * --enable-sanitizers ASan/UBSan report it. */
#include <config.h>

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define LLVMFuzzerTestOneInput fuzz_strace_one
#include "../fuzz/fuzz_strace_parse.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_json_one
#include "../fuzz/fuzz_json.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_fsusage_one
#include "../fuzz/fuzz_fsusage_parse.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_record_one
#include "../fuzz/fuzz_record_parse.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_replay_one
#include "../fuzz/fuzz_replay.c"
#undef LLVMFuzzerTestOneInput
#ifdef PLATFORM_LINUX	/* the preload ring is Linux's */
#define LLVMFuzzerTestOneInput fuzz_shmring_one
#include "../fuzz/fuzz_shmring.c"
#undef LLVMFuzzerTestOneInput
#endif

#ifndef FUZZDIR
#define FUZZDIR "fuzz"
#endif

static int replay_dir(const char *sub, int (*one)(const uint8_t *, size_t))
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/%s", FUZZDIR, sub);
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cannot open %s\n", dir);
		return -1;
	}
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0;
		for (;;) {
			if (len == cap) {
				cap = cap ? cap * 2 : 4096;
				buf = realloc(buf, cap);
				assert_non_null(buf);
			}
			size_t r = fread(buf + len, 1, cap - len, f);
			if (r == 0)
				break;
			len += r;
		}
		fclose(f);
		one(buf, len);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

static void t_strace_regress(void **s)
{
	(void)s;
	assert_true(replay_dir("regress/strace", fuzz_strace_one) > 0);
}

static void t_strace_corpus(void **s)
{
	(void)s;
	assert_true(replay_dir("corpus/strace", fuzz_strace_one) > 0);
}

static void t_json_regress(void **s)
{
	(void)s;
	assert_true(replay_dir("regress/json", fuzz_json_one) >= 0);
}

static void t_json_corpus(void **s)
{
	(void)s;
	assert_true(replay_dir("corpus/json", fuzz_json_one) > 0);
}

static void t_fsusage_regress(void **s)
{
	(void)s;
	assert_true(replay_dir("regress/fsusage", fuzz_fsusage_one) > 0);
}

static void t_fsusage_corpus(void **s)
{
	(void)s;
	assert_true(replay_dir("corpus/fsusage", fuzz_fsusage_one) > 0);
}

static void t_record_regress(void **s)
{
	(void)s;
	assert_true(replay_dir("regress/record", fuzz_record_one) > 0);
}

static void t_record_corpus(void **s)
{
	(void)s;
	assert_true(replay_dir("corpus/record", fuzz_record_one) > 0);
}

/* The whole program on each file (fuzz_replay): the regression inputs and
 * the three parsers' seeds, as recordings, strace and fs_usage logs. */
static void t_replay_regress(void **s)
{
	(void)s;
	setenv("FUZZ_REPLAY_QUIET", "1", 1);
	assert_true(replay_dir("regress/replay", fuzz_replay_one) > 0);
}

static void t_replay_corpus(void **s)
{
	(void)s;
	setenv("FUZZ_REPLAY_QUIET", "1", 1);
	assert_true(replay_dir("corpus/replay", fuzz_replay_one) > 0);
	assert_true(replay_dir("corpus/record", fuzz_replay_one) > 0);
	assert_true(replay_dir("corpus/fsusage", fuzz_replay_one) > 0);
	assert_true(replay_dir("corpus/strace", fuzz_replay_one) > 0);
}

static void t_shmring_regress(void **s)
{
	(void)s;
#ifdef PLATFORM_LINUX
	assert_true(replay_dir("regress/shmring", fuzz_shmring_one) > 0);
	assert_true(replay_dir("corpus/shmring", fuzz_shmring_one) > 0);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_strace_regress),
		cmocka_unit_test(t_strace_corpus),
		cmocka_unit_test(t_json_regress),
		cmocka_unit_test(t_json_corpus),
		cmocka_unit_test(t_fsusage_regress),
		cmocka_unit_test(t_fsusage_corpus),
		cmocka_unit_test(t_record_regress),
		cmocka_unit_test(t_record_corpus),
		cmocka_unit_test(t_replay_regress),
		cmocka_unit_test(t_replay_corpus),
		cmocka_unit_test(t_shmring_regress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
