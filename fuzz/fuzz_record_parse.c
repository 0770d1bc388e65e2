/* fuzz_record_parse.c - libFuzzer target for the recording parser (-r of
 * a -w file).
 *
 * Each input is a whole recording: split into lines by linebuf (as the
 * replay source splits them), every line through record_parse_line with
 * one parser and one intern table.  Checks:
 * - the return value is -1, 0 or 1, and -1 always comes with a reason;
 * - every event is sane (class, kind, call, file id within the table, no
 *   negative byte count for reads and writes);
 * - every path the input defined round-trips through record_escape /
 *   record_unescape to the same bytes, escaped as printable ASCII only;
 * - a command the header gave, written back with json_str as the
 *   recorder writes it, parses again to the same strings.
 *
 * Also built into tests/test_fuzz_regress (LLVMFuzzerTestOneInput renamed
 * there), so nothing here may depend on libFuzzer itself. */
#include <config.h>

#include "fuzz_check.h"
#include "record_parse.h"
#include "syscalls.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FR_FAIL(...) fuzz_fail("fuzz_record_parse", __VA_ARGS__)

static void fr_check_event(struct intern *in, const struct io_event *ev)
{
	if (ev->cls > OPC_DISK)
		FR_FAIL("bad class %u", ev->cls);
	if (ev->cls == OPC_DISK && ev->bytes < 0)
		FR_FAIL("negative disk byte count %lld", (long long)ev->bytes);
	if (ev->fdkind >= FDK_COUNT)
		FR_FAIL("bad fd kind %u", ev->fdkind);
	if (ev->call >= SC_COUNT)
		FR_FAIL("bad call %u", ev->call);
	if ((ev->cls == OPC_READ || ev->cls == OPC_WRITE) && ev->bytes < 0)
		FR_FAIL("negative byte count %lld", (long long)ev->bytes);
	if (ev->file >= intern_count(in))
		FR_FAIL("file id %u beyond the table (%u)", ev->file, intern_count(in));
}

/* A name escapes to printable ASCII and unescapes to the same bytes. */
static void fr_check_name(struct intern *in, uint32_t id)
{
	size_t len = 0;
	const char *name = intern_name(in, id, &len);
	if (!name)
		FR_FAIL("no name for id %u", id);
	if (len == 0 || memchr(name, '\0', len))
		return;		/* never escaped: "" and NUL cannot be paths */
	size_t need = record_escape(NULL, 0, name, len);
	char *esc = malloc(need + 1), *back = malloc(need + 1);
	if (!esc || !back)
		goto out;
	if (record_escape(esc, need + 1, name, len) != need || strlen(esc) != need)
		FR_FAIL("record_escape: inconsistent lengths for id %u", id);
	for (size_t i = 0; i < need; i++)
		if ((unsigned char)esc[i] <= 0x20 || (unsigned char)esc[i] >= 0x7f)
			FR_FAIL("record_escape wrote byte 0x%02x", (unsigned char)esc[i]);
	long n = record_unescape(back, esc, need);
	if (n != (long)len || memcmp(back, name, len) != 0)
		FR_FAIL("path of id %u does not round-trip (%ld of %zu bytes)", id, n, len);
out:
	free(esc);
	free(back);
}

/* The command, written as the recorder writes it, parses back the same. */
static void fr_check_command(char **cmd)
{
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	if (!f)
		return;
	fputs("# command [", f);
	for (int i = 0; cmd[i]; i++) {
		if (i)
			fputs(", ", f);
		json_str(f, cmd[i], strlen(cmd[i]));
	}
	fputc(']', f);
	if (fclose(f) != 0) {
		free(buf);
		return;
	}
	struct intern *in = intern_new();
	struct record_parser *p = in ? record_parser_new(in) : NULL;
	if (p) {
		struct io_event ev;
		static const char magic[] = RECORD_MAGIC "1";
		if (record_parse_line(p, magic, sizeof magic - 1, &ev) != 0)
			FR_FAIL("the magic line is refused");
		if (record_parse_line(p, buf, blen, &ev) != 0)
			FR_FAIL("a written command is refused: %s", p->error);
		int i = 0;
		for (; cmd[i]; i++)
			if (!p->command || !p->command[i] || strcmp(cmd[i], p->command[i]))
				FR_FAIL("command argument %d does not round-trip", i);
		if (p->command && p->command[i])
			FR_FAIL("command grew on the round trip");
	}
	record_parser_free(p);
	intern_free(in);
	free(buf);
}

struct fr_ctx {
	struct record_parser *p;
	struct intern *in;
};

static void fr_line(void *ctx, const char *line, size_t len)
{
	struct fr_ctx *c = ctx;
	struct io_event ev;
	memset(&ev, 0xa5, sizeof ev);
	int r = record_parse_line(c->p, line, len, &ev);
	if (r < -1 || r > 1)
		FR_FAIL("record_parse_line returned %d", r);
	if (r < 0 && !c->p->error[0])
		FR_FAIL("a line refused without a reason");
	if (r == 1)
		fr_check_event(c->in, &ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct intern *in = intern_new();
	struct record_parser *p = in ? record_parser_new(in) : NULL;
	if (p) {
		fuzz_lines(data, size, fr_line, &(struct fr_ctx){p, in});
		for (uint32_t id = 2; id < intern_count(in); id++)
			fr_check_name(in, id);
		if (p->command)
			fr_check_command(p->command);
	}
	record_parser_free(p);
	intern_free(in);
	return 0;
}
