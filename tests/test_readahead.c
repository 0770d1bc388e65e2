/* test_readahead.c - readahead_fill hands the parser exactly the lines
 * linebuf_fill would: in order, none lost or doubled where blocks swap
 * (lines of every length up to several blocks), the last one without its
 * newline, and overlong lines cut. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linebuf.h"
#include "readahead.h"

/* Line i: its length, from 0 to well past a block, and its bytes. */
static size_t line_len(unsigned i)
{
	static const size_t big[] = {(1u << 20) - 1, (1u << 20) + 7, 3u << 20};
	if (i % 97 == 50)
		return big[(i / 97) % 3];
	return (size_t)(i * 7919u % 300u);
}

static char line_byte(unsigned i, size_t k)
{
	return (char)('a' + (i * 31u + (unsigned)k) % 26u);
}

#define NLINES 600

static int make_file(char *path)
{
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(dup(fd), "w");
	for (unsigned i = 0; i < NLINES; i++) {
		for (size_t k = 0, n = line_len(i); k < n; k++)
			fputc(line_byte(i, k), f);
		fputs("\n", f);
	}
	fputs("tail-without-newline", f);
	fclose(f);
	return fd;
}

/* All lines of fd through either reader: a digest per line. */
static void collect(int fd, int ahead, size_t *lens, int *cuts, unsigned *sums, unsigned *n)
{
	struct linebuf lb;
	linebuf_init(&lb);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	struct readahead *ra = ahead ? readahead_new(fd) : NULL;
	assert_true(!ahead || ra);
	*n = 0;
	for (int eof = 0;;) {
		size_t len;
		int cut;
		const char *l;
		while ((l = linebuf_next(&lb, &len, &cut))) {
			unsigned s = 0;
			for (size_t k = 0; k < len; k++)
				s = s * 33u + (unsigned char)l[k];
			lens[*n] = len;
			cuts[*n] = cut;
			sums[(*n)++] = s;
		}
		if (eof)
			break;
		ssize_t got = ra ? readahead_fill(ra, &lb) : linebuf_fill(&lb, fd, NULL);
		assert_true(got >= 0);
		eof = got == 0;
	}
	size_t len;
	const char *l = linebuf_rest(&lb, &len);
	assert_non_null(l);
	assert_int_equal(len, strlen("tail-without-newline"));
	assert_memory_equal(l, "tail-without-newline", len);
	readahead_free(ra);
	linebuf_free(&lb);
}

/* The lines shorter than LINEBUF_MAX, which no reader may cut, must come
 * out whole and in order; the overlong ones are cut where reads happen to
 * fall, so they are left out of the comparison. */
static void check_short(const size_t *lens, const int *cuts, const unsigned *sums, unsigned n)
{
	unsigned i = 0;
	for (unsigned k = 0; k < n; k++) {
		if (cuts[k] || lens[k] >= LINEBUF_MAX)
			continue;
		while (i < NLINES && line_len(i) >= LINEBUF_MAX)
			i++;
		assert_true(i < NLINES);
		unsigned s = 0;
		for (size_t j = 0; j < line_len(i); j++)
			s = s * 33u + (unsigned char)line_byte(i, j);
		assert_int_equal(lens[k], line_len(i));
		assert_int_equal(sums[k], s);
		i++;
	}
	while (i < NLINES && line_len(i) >= LINEBUF_MAX)
		i++;
	assert_int_equal(i, NLINES);
}

static void test_same_lines(void **state)
{
	(void)state;
	char path[] = "/tmp/test_readahead.XXXXXX";
	int fd = make_file(path);
	static size_t lens[NLINES * 4];
	static int cuts[NLINES * 4];
	static unsigned sums[NLINES * 4];
	unsigned n;
	collect(fd, 0, lens, cuts, sums, &n);	/* the reference reader */
	check_short(lens, cuts, sums, n);
	collect(fd, 1, lens, cuts, sums, &n);
	check_short(lens, cuts, sums, n);
	close(fd);
	unlink(path);
}

static void test_not_regular(void **state)
{
	(void)state;
	int p[2];
	assert_int_equal(pipe(p), 0);
	assert_null(readahead_new(p[0]));	/* a pipe read may never end */
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_lines),
		cmocka_unit_test(test_not_regular),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
