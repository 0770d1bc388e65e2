/* test_record_parse.c - the recording format: escaping, parsing, and a
 * round trip through the recorder of hostile paths and every field. */
#include <config.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "intern.h"
#include "model.h"
#include "record.h"
#include "record_parse.h"
#include "errnames.h"
#include "syscalls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_escape_all_bytes(void **state)
{
	(void)state;
	char in[255], out[255 * 4 + 1], back[255];
	for (int i = 0; i < 255; i++)
		in[i] = (char)(i + 1);
	size_t n = record_escape(out, sizeof out, in, sizeof in);
	assert_int_equal(n, strlen(out));
	assert_null(strchr(out, ' '));
	assert_null(strchr(out, '\n'));
	assert_null(strchr(out, '\t'));
	for (size_t i = 0; i < n; i++)
		assert_true((unsigned char)out[i] > 0x20 && (unsigned char)out[i] < 0x7f);
	long m = record_unescape(back, out, n);
	assert_int_equal(m, 255);
	assert_memory_equal(back, in, 255);
}

static void test_unescape_rejects(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(record_unescape(out, "a\\x0", 4), -1);
	assert_int_equal(record_unescape(out, "a\\y41", 5), -1);
	assert_int_equal(record_unescape(out, "a\\x00", 5), -1);	/* NUL */
	assert_int_equal(record_unescape(out, "a b", 3), -1);
	assert_int_equal(record_unescape(out, "\\x41\\x5c", 8), 2);
	assert_memory_equal(out, "A\\", 2);
}

static int parse(struct record_parser *p, const char *line, struct io_event *ev)
{
	return record_parse_line(p, line, strlen(line), ev);
}

static void test_parse_lines(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct record_parser *p = record_parser_new(in);
	struct io_event ev;
	assert_int_equal(parse(p, "1 2 3 read read 4 5 0 file 0", &ev), -1); /* no magic */
	assert_int_equal(parse(p, "# iopstop-recording 1", &ev), 0);
	assert_int_equal(parse(p, "# command [\"a b\", \"\\u00e9\\udcff\\n\"]", &ev), 0);
	assert_non_null(p->command);
	assert_string_equal(p->command[0], "a b");
	assert_string_equal(p->command[1], "\xc3\xa9\xff\n");
	assert_null(p->command[2]);
	assert_int_equal(parse(p, "# start_us 1000000", &ev), 0);
	assert_int_equal(parse(p, "# interval_us 500000", &ev), 0);
	assert_int_equal(parse(p, "# some_future_key whatever", &ev), 0);
	assert_int_equal(p->start_us, 1000000);
	assert_int_equal(p->interval_us, 500000);
	assert_int_equal(parse(p, "P 2 file /a\\x20b", &ev), 0);
	assert_int_equal(parse(p, "-7 10 11 write pwrite64 4096 12 0 file 2", &ev), 1);
	assert_int_equal(ev.t_us, 1000000 - 7);
	assert_int_equal(ev.pid, 10);
	assert_int_equal(ev.tid, 11);
	assert_int_equal(ev.cls, OPC_WRITE);
	assert_int_equal(ev.call, syscalls_lookup("pwrite64", 8));
	assert_int_equal(ev.bytes, 4096);
	assert_int_equal(ev.dur_us, 12);
	size_t len;
	const char *name = intern_name(in, ev.file, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(name, "/a b", 4);
	assert_int_equal(parse(p, "5 10 10 meta openat 0 3 ENOENT file 2", &ev), 1);
	assert_int_equal(ev.err, errnames_lookup("ENOENT", 6));
	assert_int_equal(parse(p, "5 10 10 proc exit 42 0 0 other 0", &ev), 1);
	assert_int_equal(ev.call, SC_EXIT);
	/* Corrupt lines, each refused with a reason. */
	static const char *const badl[] = {
		"5 10 10 read read 1 1 0 file", "5 10 10 read read 1 1 0 file 2 9",
		"5 10 10 reed read 1 1 0 file 2", "5 10 10 read nosuchcall 1 1 0 file 2",
		"5 10 10 read read -1 1 0 file 2", "5 10 10 read read 1 1 EWHAT file 2",
		"5 10 10 read read 1 1 0 fyle 2", "5 10 10 read read 1 1 0 file 77",
		"5  10 10 read read 1 1 0 file 2", "5 10 10 read read 1 1 0 file 2 ",
		"x 10 10 read read 1 1 0 file 2", "5x 10 10 read read 1 1 0 file 2",
		"99999999999999999999 1 1 read read 1 1 0 file 2", "Q what", "P 2 file",
		"P 1 file /x", "P 3 file a\\x", "P 3 disk /x", "X end_us=", "X nonsense",
		"5 10 10 read read 1 1 0 file 2\r",
	};
	for (size_t i = 0; i < sizeof badl / sizeof *badl; i++) {
		assert_int_equal(parse(p, badl[i], &ev), -1);
		assert_true(p->error[0] != '\0');
	}
	assert_int_equal(parse(p, "X end_us=123 lines=9 unparsed=1 unfinished=2 "
			 "exit_status=42 future=7", &ev), 0);
	assert_true(p->ended);
	assert_int_equal(p->end_us, 123);
	assert_int_equal(p->lines, 9);
	assert_int_equal(p->unparsed, 1);
	assert_int_equal(p->unfinished, 2);
	assert_int_equal(p->exit_status, 42);
	record_parser_free(p);
	intern_free(in);
}

/* Version 2: who wrote it (host, rank, job), its form, aggregate lines. */
static void test_version2(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct record_parser *p = record_parser_new(in);
	struct io_event ev;
	assert_int_equal(p->rank, -1);
	assert_int_equal(parse(p, "# iopstop-recording 2", &ev), 0);
	assert_int_equal(parse(p, "# start_us 1000000", &ev), 0);
	assert_int_equal(parse(p, "# host node07", &ev), 0);
	assert_int_equal(parse(p, "# rank 3", &ev), 0);
	assert_int_equal(parse(p, "# job 123456", &ev), 0);
	assert_int_equal(parse(p, "# start_wall 1970-01-01T00:00:01.000000Z", &ev), 0);
	assert_int_equal(parse(p, "# form bins", &ev), 0);
	assert_string_equal(p->host, "node07");
	assert_int_equal(p->rank, 3);
	assert_string_equal(p->job, "123456");
	assert_int_equal(p->bins, 1);
	assert_int_equal(parse(p, "P 2 file /x", &ev), 0);
	assert_int_equal(parse(p, "A 500 10 7 7 read read 2048000 5000 0 file 2 - - -", &ev), 1);
	assert_int_equal(ev.count, 500);
	assert_true(ev.flags & EVF_AGG);
	assert_int_equal(ev.bytes, 2048000);
	assert_int_equal(ev.dur_us, 5000);
	assert_int_equal(ev.t_us, 1000010);
	assert_int_equal(ev.cls, OPC_READ);
	assert_int_equal(parse(p, "A 2 10 7 7 meta openat 0 9 ENOENT file 0 - - -", &ev), 1);
	assert_int_equal(ev.count, 2);
	assert_int_equal(ev.err, 2);
	assert_false(ev.flags & EVF_FILEONLY);
	assert_int_equal(parse(p, "F 12 10 0 0 write ? 4096 70 0 file 2 - - -", &ev), 1);
	assert_int_equal(ev.count, 12);
	assert_true(ev.flags & EVF_FILEONLY);
	assert_false(ev.flags & EVF_AGG);
	assert_int_equal(ev.cls, OPC_WRITE);
	assert_int_equal(ev.bytes, 4096);
	/* the count fits an event's; no aggregate of process events */
	assert_int_equal(parse(p, "A 65536 10 7 7 read read 1 1 0 file 2 - - -", &ev), -1);
	assert_int_equal(parse(p, "A 0 10 7 7 read read 1 1 0 file 2 - - -", &ev), -1);
	assert_int_equal(parse(p, "A 1 10 7 7 proc exit 0 0 0 other 0 - - -", &ev), -1);
	assert_int_equal(parse(p, "A 1", &ev), -1);
	/* a counter event keeps its count, and is no aggregate */
	assert_int_equal(parse(p, "C 7 10 7 7 read read 700 0 0 file 2 - - -", &ev), 1);
	assert_int_equal(ev.count, 7);
	assert_int_equal(ev.bytes, 700);
	assert_false(ev.flags & (EVF_AGG | EVF_FILEONLY));
	assert_int_equal(parse(p, "C 0 10 7 7 read read 1 0 0 file 2 - - -", &ev), -1);
	assert_int_equal(parse(p, "# rank x", &ev), -1);
	assert_int_equal(parse(p, "# form tiny", &ev), -1);
	record_parser_free(p);
	intern_free(in);
}

static void test_newer_version(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct record_parser *p = record_parser_new(in);
	struct io_event ev;
	assert_int_equal(parse(p, "# iopstop-recording 3", &ev), -1);
	assert_non_null(strstr(p->error, "newer"));
	assert_int_equal(parse(p, "# iopstop-recording x", &ev), -1);
	record_parser_free(p);
	intern_free(in);
}

/* Random bytes never crash the parser. */
static void test_garbage(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct record_parser *p = record_parser_new(in);
	struct io_event ev;
	parse(p, "# iopstop-recording 1", &ev);
	unsigned seed = 12345;
	char line[200];
	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)(rand_r(&seed) % (int)sizeof line);
		for (size_t k = 0; k < n; k++) {
			int r = rand_r(&seed);
			line[k] = (char)(r % 4 ? "0123456789 P-X#\\xafile"[r % 22] : r >> 8);
		}
		int got = record_parse_line(p, line, n, &ev);
		assert_true(got >= -1 && got <= 1);
	}
	record_parser_free(p);
	intern_free(in);
}

static const char *const hostile[] = {
	"/tmp/plain.dat", "/tmp/with space", "/tmp/tab\there", "/tmp/new\nline",
	"/tmp/quote\"'", "/tmp/back\\slash", "/tmp/\\x41 not an escape",
	"/tmp/\xff\xfe invalid utf8", "/tmp/caf\xc3\xa9", "/tmp/P 2 file x",
	"/tmp/\x01\x02\x7f", "-", "#", "X end_us=1",
};
#define NH (sizeof hostile / sizeof *hostile)

/* Events written by the recorder come back field for field, paths byte
 * for byte. */
static void test_round_trip(void **state)
{
	(void)state;
	char path[] = "/tmp/iopstop-test-recXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);

	struct intern *in = intern_new();
	static struct model m;
	model_init(&m, in, 1000000);
	model_set_start(&m, 1700000000000000);
	char *cmd[] = {"prog", "arg with space", "\xff", NULL};
	char err[256];
	struct recorder *r = recorder_open(path, 0, cmd, "strace", err, sizeof err);
	assert_non_null(r);
	/* O_EXCL: a second open is refused. */
	assert_null(recorder_open(path, 0, cmd, "strace", err, sizeof err));
	assert_non_null(strstr(err, "exists"));

	struct io_event ev[NH + 3];
	memset(ev, 0, sizeof ev);
	for (size_t i = 0; i < NH; i++) {
		ev[i].t_us = m.start_us + (int64_t)i * 1000 - 5;
		ev[i].pid = 100 + (int32_t)i;
		ev[i].tid = 200 + (int32_t)i;
		ev[i].cls = (uint8_t)(i % 3);
		ev[i].call = (uint16_t)(i % 3 == 0 ? syscalls_lookup("read", 4)
				       : i % 3 == 1 ? syscalls_lookup("write", 5)
				       : syscalls_lookup("openat", 6));
		ev[i].bytes = i % 3 == 2 ? 0 : (int64_t)i * 1000;
		ev[i].dur_us = (uint32_t)i * 7;
		ev[i].err = i == 4 ? errnames_lookup("EBADF", 5) : 0;
		ev[i].fdkind = (uint8_t)(i % FDK_COUNT);
		ev[i].file = intern_get(in, hostile[i], strlen(hostile[i]), i % FDK_COUNT);
	}
	ev[NH] = (struct io_event){.t_us = m.start_us + 50, .pid = 1, .tid = 1,
		.cls = OPC_PROC, .call = SC_FORK, .bytes = 99};
	ev[NH + 1] = (struct io_event){.t_us = m.start_us + 60, .pid = 1, .tid = 1,
		.cls = OPC_READ, .call = (uint16_t)syscalls_lookup("read", 4),
		.err = ERR_NORETURN, .file = 0};
	ev[NH + 2] = (struct io_event){.t_us = m.start_us + 70, .pid = 1, .tid = 1,
		.cls = OPC_PROC, .call = SC_EXIT, .bytes = 137};
	recorder_batch(r, &m, ev, 5, 0);
	recorder_batch(r, &m, ev + 5, NH + 3 - 5, 0);
	recorder_batch(r, &m, NULL, 0, 1);
	assert_int_equal(recorder_close(r), 0);

	FILE *f = fopen(path, "r");
	assert_non_null(f);
	struct intern *in2 = intern_new();
	struct record_parser *p = record_parser_new(in2);
	char *line = NULL;
	size_t cap = 0, got = 0;
	ssize_t n;
	struct io_event back;
	int lineno = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		assert_int_equal(line[n - 1], '\n');
		int k = record_parse_line(p, line, (size_t)n - 1, &back);
		if (k < 0)
			fail_msg("line %d: %s", lineno, p->error);
		if (k == 0)
			continue;
		assert_true(got < NH + 3);
		const struct io_event *e = &ev[got++];
		assert_int_equal(back.t_us, e->t_us);
		assert_int_equal(back.pid, e->pid);
		assert_int_equal(back.tid, e->tid);
		assert_int_equal(back.cls, e->cls);
		assert_int_equal(back.call, e->call);
		assert_int_equal(back.bytes, e->bytes);
		assert_int_equal(back.dur_us, e->dur_us);
		assert_int_equal(back.err, e->err);
		assert_int_equal(back.fdkind, e->fdkind);
		/* Same ids, same bytes, same kinds: paths are defined in id order. */
		assert_int_equal(back.file, e->file);
		size_t l1, l2;
		const char *a = intern_name(in, e->file, &l1);
		const char *b = intern_name(in2, back.file, &l2);
		assert_int_equal(l1, l2);
		assert_memory_equal(a, b, l1);
		assert_int_equal(intern_kind(in, e->file), intern_kind(in2, back.file));
	}
	assert_int_equal(got, NH + 3);
	assert_true(p->ended);
	assert_int_equal(p->start_us, m.start_us);
	assert_non_null(p->command);
	assert_string_equal(p->command[1], "arg with space");
	assert_string_equal(p->command[2], "\xff");
	free(line);
	fclose(f);
	record_parser_free(p);
	intern_free(in2);

	/* --force truncates; a symlink is never followed. */
	r = recorder_open(path, 1, NULL, "strace", err, sizeof err);
	assert_non_null(r);
	assert_int_equal(recorder_close(r), 0);
	char link[sizeof path + 8];
	snprintf(link, sizeof link, "%s.lnk", path);
	assert_int_equal(symlink(path, link), 0);
	assert_null(recorder_open(link, 1, NULL, "strace", err, sizeof err));
	unlink(link);
	unlink(path);
	model_destroy(&m);
	intern_free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_all_bytes),
		cmocka_unit_test(test_unescape_rejects),
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test(test_newer_version),
		cmocka_unit_test(test_version2),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
