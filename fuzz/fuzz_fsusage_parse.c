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

#include "fuzz_check.h"
#include "fsusage_parse.h"
#include "syscalls.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FU_NAME "fuzz_fsusage_parse"
#define FU_FAIL(...) fuzz_fail(FU_NAME, __VA_ARGS__)

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

struct fu_ctx {
	struct fsusage_parser *p;
	struct intern *in;
};

static void fu_line(void *ctx, const char *line, size_t len)
{
	struct fu_ctx *c = ctx;
	struct io_event ev[FSUSAGE_MAX_EVENTS + 1];
	memset(ev, 0xa5, sizeof ev);
	int looks = fsusage_line_looks(line, len);
	int n = fsusage_parse_line(c->p, line, len, ev);
	if (n < -1 || n > FSUSAGE_MAX_EVENTS)
		FU_FAIL("fsusage_parse_line returned %d", n);
	if (n > 0 && !looks)
		FU_FAIL("events from a line that does not look like fs_usage's");
	if (n < 0 && looks)
		FU_FAIL("a line that looks like fs_usage's does not parse");
	for (int i = 0; i < n; i++)
		fu_check_event(c->in, &ev[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct intern *in = intern_new();
	struct fsusage_parser *p = in ? fsusage_parser_new(in) : NULL;
	if (p) {
		fuzz_lines(data, size, fu_line, &(struct fu_ctx){p, in});
		(void)fsusage_parser_waited(p);
		/* Every name the input produced, once (cheaper than per event). */
		for (uint32_t id = 0; id < intern_count(in); id++)
			fuzz_check_name(FU_NAME, in, id);
	}
	fsusage_parser_free(p);
	intern_free(in);
	return 0;
}
