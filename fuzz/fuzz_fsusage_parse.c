/* fuzz_fsusage_parse.c - libFuzzer target for the fs_usage line parser.
 *
 * Each input is a whole fs_usage -w log: split into lines by linebuf (the
 * way the replay source splits them), every line goes through
 * fsusage_parse_line with one parser and one intern table, shared by all
 * lines of the input; every line also through fsusage_line_looks, which
 * must agree with the parser.  Every event must be sane (class, kind, call, file
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
#include "fsusage_parse.h"
#include "syscalls.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FU_FAIL(...) do { \
		fprintf(stderr, "fuzz_fsusage_parse: " __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} while (0)

static void fu_check_name(struct intern *in, uint32_t id)
{
	if (id >= intern_count(in))
		FU_FAIL("file id %u beyond the table (%u)", id, intern_count(in));
	size_t len = 0;
	const char *name = intern_name(in, id, &len);
	if (!name)
		FU_FAIL("no name for id %u", id);
	if (strlen(name) > len)
		FU_FAIL("name of id %u longer than its length", id);
	if (id > INTERN_OTHER && len > 0) {
		uint32_t again = intern_get(in, name, len, intern_kind(in, id));
		if (again != id)
			FU_FAIL("name of id %u interns as %u", id, again);
	}
	if (intern_kind(in, id) >= FDK_COUNT)
		FU_FAIL("bad kind for id %u", id);
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	if (!f)
		return;
	json_str(f, name, len);
	if (fclose(f) == 0) {
		if (blen < 2 || buf[0] != '"' || buf[blen - 1] != '"')
			FU_FAIL("json_str wrote no string");
		for (size_t i = 0; i < blen; i++)
			if ((unsigned char)buf[i] < 0x20)
				FU_FAIL("json_str wrote a raw control byte");
	}
	free(buf);
}

static void fu_check_event(struct intern *in, const struct io_event *ev)
{
	if (ev->cls > OPC_DISK)
		FU_FAIL("bad class %u", ev->cls);
	if ((ev->cls == OPC_DISK) != (sc_table[ev->call < SC_COUNT ? ev->call : 0].cls == OPC_DISK))
		FU_FAIL("class %u for call %u", ev->cls, ev->call);
	if (ev->cls != OPC_PROC && ev->pid <= 0)
		FU_FAIL("no pid");
	if (ev->fdkind >= FDK_COUNT)
		FU_FAIL("bad fd kind %u", ev->fdkind);
	if (ev->call == SC_NONE || ev->call >= SC_COUNT)
		FU_FAIL("bad call %u", ev->call);
	if ((ev->cls == OPC_READ || ev->cls == OPC_WRITE || ev->cls == OPC_DISK) && ev->bytes < 0)
		FU_FAIL("negative byte count %lld", (long long)ev->bytes);
	if (ev->err > ERR_NORETURN)
		FU_FAIL("bad errno %u", ev->err);
	if (ev->file >= intern_count(in))
		FU_FAIL("file id %u beyond the table (%u)", ev->file, intern_count(in));
}

static void fu_line(struct fsusage_parser *p, struct intern *in,
		    const char *line, size_t len)
{
	/* The line is copied to a buffer of its exact size, so ASan sees any
	 * read past its end (the parser must never rely on a terminator). */
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return;
	memcpy(copy, line, len);
	struct io_event ev[FSUSAGE_MAX_EVENTS + 1];
	memset(ev, 0xa5, sizeof ev);
	int looks = fsusage_line_looks(copy, len);
	int n = fsusage_parse_line(p, copy, len, ev);
	if (n < -1 || n > FSUSAGE_MAX_EVENTS)
		FU_FAIL("fsusage_parse_line returned %d", n);
	if (n > 0 && !looks)
		FU_FAIL("events from a line that does not look like fs_usage's");
	if (n < 0 && looks)
		FU_FAIL("a line that looks like fs_usage's does not parse");
	for (int i = 0; i < n; i++)
		fu_check_event(in, &ev[i]);
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
	struct fsusage_parser *p = in ? fsusage_parser_new(in) : NULL;
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
		fu_line(p, in, line, len);
	if ((line = linebuf_rest(&lb, &len)) != NULL)
		fu_line(p, in, line, len);
	(void)fsusage_parser_waited(p);
	/* Every name the input produced, once (cheaper than per event). */
	for (uint32_t id = 0; id < intern_count(in); id++)
		fu_check_name(in, id);
out:
	linebuf_free(&lb);
	fsusage_parser_free(p);
	intern_free(in);
	return 0;
}
