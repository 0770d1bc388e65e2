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

#include "fuzz_check.h"
#include "strace_parse.h"
#include "syscalls.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FS_NAME "fuzz_strace_parse"
#define FS_FAIL(...) fuzz_fail(FS_NAME, __VA_ARGS__)

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

struct fs_ctx {
	struct strace_parser *p;
	struct intern *in;
};

static void fs_line(void *ctx, const char *line, size_t len)
{
	struct fs_ctx *c = ctx;
	struct io_event ev[STRACE_MAX_EVENTS + 1];
	memset(ev, 0xa5, sizeof ev);
	int n = strace_parse_line(c->p, line, len, ev);
	if (n < -1 || n > STRACE_MAX_EVENTS)
		FS_FAIL("strace_parse_line returned %d", n);
	for (int i = 0; i < n; i++)
		fs_check_event(c->in, &ev[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct intern *in = intern_new();
	struct strace_parser *p = in ? strace_parser_new(in) : NULL;
	if (p) {
		fuzz_lines(data, size, fs_line, &(struct fs_ctx){p, in});
		(void)strace_parser_unfinished(p);
		/* Every name the input produced, once (cheaper than per event). */
		for (uint32_t id = 0; id < intern_count(in); id++)
			fuzz_check_name(FS_NAME, in, id);
	}
	strace_parser_free(p);
	intern_free(in);
	return 0;
}
