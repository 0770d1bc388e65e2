/* fuzz_check.h - what the fuzz targets share: failing loudly, feeding an
 * input to a parser line by line as the sources do, and checking the
 * names a parser interned.
 *
 * tests/test_fuzz_regress.c includes every target in one translation
 * unit, so this header is included several times there: include guards,
 * and static inline functions (a target that uses only some of them
 * neither warns nor links what it does not use).  Nothing here may
 * depend on libFuzzer. */
#ifndef IOPSTOP_FUZZ_CHECK_H
#define IOPSTOP_FUZZ_CHECK_H

#include "event.h"
#include "intern.h"
#include "json.h"
#include "linebuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* target: what failed, message: why; then abort, which libFuzzer and
 * the regression test both report as a crash. */
__attribute__((noreturn, format(printf, 2, 3)))
static inline void fuzz_fail(const char *target, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", target);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Split data into lines with linebuf, as the strace and replay sources
 * do, and give each (and an unterminated last one) to line() in a
 * buffer of its exact size, so that ASan sees any read past its end (a
 * parser must never rely on a terminator). */
static inline void fuzz_lines(const uint8_t *data, size_t size,
			      void (*line)(void *ctx, const char *s, size_t len), void *ctx)
{
	struct linebuf lb;
	linebuf_init(&lb);
	lb.buf = malloc(size ? size : 1);
	if (!lb.buf)
		return;
	memcpy(lb.buf, data, size);
	lb.cap = lb.end = size;
	const char *s;
	size_t len;
	int cut;
	for (int last = 0; !last;) {
		if (!(s = linebuf_next(&lb, &len, &cut))) {
			last = 1;
			if (!(s = linebuf_rest(&lb, &len)))
				break;
		}
		char *copy = malloc(len ? len : 1);
		if (!copy)
			break;
		memcpy(copy, s, len);
		line(ctx, copy, len);
		free(copy);
	}
	linebuf_free(&lb);
}

/* A name the parser interned reads back with its length, interns again
 * to the same id, has a valid kind, and json_str writes it as a quoted
 * string without raw control bytes. */
static inline void fuzz_check_name(const char *target, struct intern *in, uint32_t id)
{
	if (id >= intern_count(in))
		fuzz_fail(target, "file id %u beyond the table (%u)", id, intern_count(in));
	size_t len = 0;
	const char *name = intern_name(in, id, &len);
	if (!name)
		fuzz_fail(target, "no name for id %u", id);
	if (strlen(name) > len)
		fuzz_fail(target, "name of id %u longer than its length", id);
	if (id > INTERN_OTHER && len > 0) {
		uint32_t again = intern_get(in, name, len, intern_kind(in, id));
		if (again != id)
			fuzz_fail(target, "name of id %u interns as %u", id, again);
	}
	if (intern_kind(in, id) >= FDK_COUNT)
		fuzz_fail(target, "bad kind for id %u", id);
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	if (!f)
		return;
	json_str(f, name, len);
	if (fclose(f) == 0) {
		if (blen < 2 || buf[0] != '"' || buf[blen - 1] != '"')
			fuzz_fail(target, "json_str wrote no string");
		for (size_t i = 0; i < blen; i++)
			if ((unsigned char)buf[i] < 0x20)
				fuzz_fail(target, "json_str wrote a raw control byte");
	}
	free(buf);
}

#endif
