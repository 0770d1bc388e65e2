/* fuzz_strace_parse.c - libFuzzer target for the strace line parser.
 *
 * Each input is a whole strace log: split into lines by linebuf (the way
 * the strace and replay sources split them), every line goes through
 * strace_parse_line with one parser and one intern table, shared by all
 * lines of the input.  Every event must be sane (class, kind, call, file
 * id in range); at the end every name the input produced is read back with
 * intern_name, looked up again (same id) and written with json_str, whose
 * output must at least be a quoted string without raw control bytes.
 *
 * Also built into tests/test_fuzz_regress (LLVMFuzzerTestOneInput renamed
 * there), so nothing here may depend on libFuzzer itself. */
#include <config.h>

#include "event.h"
#include "intern.h"
#include "json.h"
#include "linebuf.h"
#include "strace_parse.h"
#include "syscalls.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FS_FAIL(...) do { \
		fprintf(stderr, "fuzz_strace_parse: " __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} while (0)

static void fs_check_name(struct intern *in, uint32_t id)
{
	if (id >= intern_count(in))
		FS_FAIL("file id %u beyond the table (%u)", id, intern_count(in));
	size_t len = 0;
	const char *name = intern_name(in, id, &len);
	if (!name)
		FS_FAIL("no name for id %u", id);
	if (strlen(name) > len)
		FS_FAIL("name of id %u longer than its length", id);
	if (id > INTERN_OTHER && len > 0) {
		uint32_t again = intern_get(in, name, len, intern_kind(in, id));
		if (again != id)
			FS_FAIL("name of id %u interns as %u", id, again);
	}
	if (intern_kind(in, id) >= FDK_COUNT)
		FS_FAIL("bad kind for id %u", id);
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	if (!f)
		return;
	json_str(f, name, len);
	if (fclose(f) == 0) {
		if (blen < 2 || buf[0] != '"' || buf[blen - 1] != '"')
			FS_FAIL("json_str wrote no string");
		for (size_t i = 0; i < blen; i++)
			if ((unsigned char)buf[i] < 0x20)
				FS_FAIL("json_str wrote a raw control byte");
	}
	free(buf);
}

static void fs_check_event(struct intern *in, const struct io_event *ev)
{
	if (ev->cls > OPC_PROC)
		FS_FAIL("bad class %u", ev->cls);
	if (ev->fdkind >= FDK_COUNT)
		FS_FAIL("bad fd kind %u", ev->fdkind);
	if (ev->call == SC_NONE || ev->call >= SC_COUNT)
		FS_FAIL("bad call %u", ev->call);
	if ((ev->cls == OPC_READ || ev->cls == OPC_WRITE) && ev->bytes < 0)
		FS_FAIL("negative byte count %lld", (long long)ev->bytes);
	if (ev->err > ERR_NORETURN)
		FS_FAIL("bad errno %u", ev->err);
	if (ev->file >= intern_count(in))
		FS_FAIL("file id %u beyond the table (%u)", ev->file, intern_count(in));
}

static void fs_line(struct strace_parser *p, struct intern *in,
		    const char *line, size_t len)
{
	/* The line is copied to a buffer of its exact size, so ASan sees any
	 * read past its end (the parser must never rely on a terminator). */
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return;
	memcpy(copy, line, len);
	struct io_event ev[STRACE_MAX_EVENTS + 1];
	memset(ev, 0xa5, sizeof ev);
	int n = strace_parse_line(p, copy, len, ev);
	if (n < -1 || n > STRACE_MAX_EVENTS)
		FS_FAIL("strace_parse_line returned %d", n);
	for (int i = 0; i < n; i++)
		fs_check_event(in, &ev[i]);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		syscalls_init();
		ready = 1;
	}
	struct intern *in = intern_new();
	struct strace_parser *p = in ? strace_parser_new(in) : NULL;
	if (!p) {
		intern_free(in);
		return 0;
	}

	/* Hand the input to linebuf as if read from a file. */
	struct linebuf lb;
	linebuf_init(&lb);
	lb.buf = malloc(size ? size : 1);
	if (!lb.buf)
		goto out;
	memcpy(lb.buf, data, size);
	lb.cap = lb.end = size;
	const char *line;
	size_t len;
	int cut;
	while ((line = linebuf_next(&lb, &len, &cut)) != NULL)
		fs_line(p, in, line, len);
	if ((line = linebuf_rest(&lb, &len)) != NULL)
		fs_line(p, in, line, len);
	(void)strace_parser_unfinished(p);
	/* Every name the input produced, once (cheaper than per event). */
	for (uint32_t id = 0; id < intern_count(in); id++)
		fs_check_name(in, id);
out:
	linebuf_free(&lb);
	strace_parser_free(p);
	intern_free(in);
	return 0;
}
