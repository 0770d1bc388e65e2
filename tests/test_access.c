/* test_access.c - the open-file tracker: positions per open file
 * description (fork, threads, O_APPEND, pread, lseek, exec, fds from
 * before the trace), classification, coverage; and the strace parser's
 * fd/offset/flags fields it feeds on. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "intern.h"
#include "record_parse.h"
#include "strace_parse.h"
#include "syscalls.h"

#define F 7	/* a file id (no intern table: every id is a regular file) */

static struct io_event e_open(int32_t pid, int32_t fd, uint16_t flags)
{
	struct io_event e;
	memset(&e, 0, sizeof e);
	e.pid = e.tid = pid;
	e.cls = OPC_META;
	e.call = SC_openat;
	e.file = F;
	e.fd = fd;
	e.flags = (uint16_t)(EVF_FD | flags);
	return e;
}

static struct io_event e_data(int32_t pid, int cls, int32_t fd, int64_t bytes)
{
	struct io_event e;
	memset(&e, 0, sizeof e);
	e.pid = e.tid = pid;
	e.cls = (uint8_t)cls;
	e.call = cls == OPC_READ ? SC_read : SC_write;
	e.file = F;
	e.fd = fd;
	e.flags = EVF_FD;
	e.bytes = bytes;
	e.dur_us = 10;
	return e;
}

static struct io_event e_pread(int32_t pid, int32_t fd, int64_t bytes, int64_t off)
{
	struct io_event e = e_data(pid, OPC_READ, fd, bytes);
	e.call = SC_pread64;
	e.offset = off;
	e.flags |= EVF_OFFSET;
	return e;
}

static struct io_event e_lseek(int32_t pid, int32_t fd, int64_t to)
{
	struct io_event e;
	memset(&e, 0, sizeof e);
	e.pid = e.tid = pid;
	e.cls = OPC_META;
	e.call = SC_lseek;
	e.file = F;
	e.fd = fd;
	e.offset = to;
	e.flags = EVF_FD | EVF_OFFSET;
	return e;
}

static struct io_event e_proc(int32_t pid, enum sc_id call, int64_t bytes)
{
	struct io_event e;
	memset(&e, 0, sizeof e);
	e.pid = e.tid = pid;
	e.cls = OPC_PROC;
	e.call = (uint16_t)call;
	e.bytes = bytes;
	return e;
}

static void feed(struct access *a, const struct io_event *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		access_event(a, &e[i]);
}

static void test_sequential_pread_lseek(void **state)
{
	(void)state;
	struct access *a = access_new(NULL);
	struct io_event e[] = {
		e_open(1, 3, 0),
		e_data(1, OPC_READ, 3, 100),	/* at 0: consecutive (the open position) */
		e_data(1, OPC_READ, 3, 100),	/* at 100 */
		e_pread(1, 3, 50, 1000),	/* forward gap: sequential; no move */
		e_data(1, OPC_READ, 3, 100),	/* at 200 (pread left it): jumps back */
		e_lseek(1, 3, 5000),
		e_data(1, OPC_READ, 3, 100),	/* at 5000: forward */
		e_lseek(1, 3, 0),
		e_data(1, OPC_READ, 3, 100),	/* at 0: back */
		e_data(1, OPC_READ, 3, 0),	/* EOF probe at 100: not a read */
	};
	feed(a, e, sizeof e / sizeof e[0]);
	const struct acc_file *f = access_file(a, F);
	assert_non_null(f);
	assert_int_equal(f->data[0], 6);
	assert_int_equal(f->classified[0], 6);
	assert_int_equal(f->consec[0], 2);
	assert_int_equal(f->seq[0], 2);
	assert_int_equal(f->rnd[0], 2);
	assert_int_equal(f->zero_reads, 1);
	assert_int_equal(f->eof_seen, 1);
	assert_int_equal(f->size, 100);
	assert_int_equal(f->seeks, 2);
	/* Read ranges: [0,200) [1000,1050) [5000,5100); the last two reads at
	 * 200 and 0 overlapped [0,200) by 100 bytes... the one at 200 did not. */
	assert_int_equal(f->reread_bytes, 100);
	assert_int_equal(f->read_distinct, 450);
	access_free(a);
}

/* fork shares the description: the parent reads on from where the child
 * stopped, so nothing jumps back. */
static void test_fork_shares_position(void **state)
{
	(void)state;
	struct access *a = access_new(NULL);
	struct io_event e[] = {
		e_open(1, 3, 0),
		e_proc(1, SC_FORK, 2),
		e_data(2, OPC_READ, 3, 100),
		e_data(1, OPC_READ, 3, 100),
		e_data(2, OPC_READ, 3, 100),
	};
	feed(a, e, sizeof e / sizeof e[0]);
	const struct acc_file *f = access_file(a, F);
	assert_int_equal(f->classified[0], 3);
	assert_int_equal(f->consec[0], 3);
	assert_int_equal(f->rnd[0], 0);
	assert_int_equal(f->reread_bytes, 0);
	access_free(a);
}

/* Threads are one process: same table (events carry the tgid). */
static void test_threads_share_table(void **state)
{
	(void)state;
	struct access *a = access_new(NULL);
	struct io_event e[] = {e_open(1, 3, 0), e_data(1, OPC_READ, 3, 10),
			       e_data(1, OPC_READ, 3, 10)};
	e[2].tid = 99;
	feed(a, e, 3);
	assert_int_equal(access_file(a, F)->consec[0], 2);
	access_free(a);
}

static void test_append(void **state)
{
	(void)state;
	struct access *a = access_new(NULL);
	struct io_event e[] = {e_open(1, 3, EVF_APPEND), e_data(1, OPC_WRITE, 3, 10),
			       e_data(1, OPC_WRITE, 3, 10), e_open(1, 4, EVF_APPEND),
			       e_data(1, OPC_WRITE, 4, 10)};
	feed(a, e, 5);
	const struct acc_file *f = access_file(a, F);
	assert_int_equal(f->data[1], 3);
	assert_int_equal(f->rnd[1], 0);
	access_free(a);
}

/* exec drops close-on-exec descriptors; a descriptor never seen opened
 * (from before the trace) has no position until an lseek gives one. */
static void test_exec_cloexec_and_unknown(void **state)
{
	(void)state;
	struct access *a = access_new(NULL);
	struct io_event e[] = {
		e_open(1, 3, EVF_CLOEXEC),
		e_open(1, 4, 0),
		e_data(1, OPC_READ, 3, 10),	/* classified */
		e_proc(1, SC_execve, 0),
		e_data(1, OPC_READ, 3, 10),	/* fd 3 is gone: unknown position */
		e_data(1, OPC_READ, 4, 10),	/* fd 4 survived: classified */
		e_data(1, OPC_READ, 0, 10),	/* stdin, from before: unknown */
		e_lseek(1, 0, 20),
		e_data(1, OPC_READ, 0, 10),	/* now known: forward... */
	};
	feed(a, e, sizeof e / sizeof e[0]);
	const struct acc_file *f = access_file(a, F);
	assert_int_equal(f->data[0], 5);
	/* The read at 20 on fd 0 has no previous end on its description:
	 * it is placed, not classified; so 2 classified reads. */
	assert_int_equal(f->classified[0], 2);
	assert_int_equal(f->rnd[0], 0);
	access_free(a);
}

/* Close and exit drop descriptors; a new open at the same number starts
 * at 0 again. */
static void test_close_reopen(void **state)
{
	(void)state;
	struct access *a = access_new(NULL);
	struct io_event c = e_open(1, 3, 0);
	c.call = SC_close;
	c.flags = EVF_FD;
	struct io_event e[] = {e_open(1, 3, 0), e_data(1, OPC_READ, 3, 10), c,
			       e_open(1, 3, 0), e_data(1, OPC_READ, 3, 10),
			       e_proc(1, SC_EXIT, 0)};
	feed(a, e, 6);
	const struct acc_file *f = access_file(a, F);
	assert_int_equal(f->consec[0], 2);
	assert_int_equal(f->reread_bytes, 10);	/* the same 10 bytes, twice */
	access_free(a);
}

/* Past ACC_RANGES, coverage forgets: re-reads are missed, not invented. */
static void test_coverage_cap(void **state)
{
	(void)state;
	struct access *a = access_new(NULL);
	struct io_event o = e_open(1, 3, 0);
	access_event(a, &o);
	for (int i = 0; i < 200; i++) {
		struct io_event r = e_pread(1, 3, 10, (int64_t)i * 100);
		access_event(a, &r);
	}
	const struct acc_file *f = access_file(a, F);
	assert_int_equal(f->reread_bytes, 0);
	assert_int_equal(f->read_distinct, 2000);
	assert_true(f->nranges <= ACC_RANGES);
	access_free(a);
}

/* Pseudo files and pipes are not classified. */
static void test_regular_only(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct access *a = access_new(in);
	uint32_t proc = intern_get(in, "/proc/self/stat", 15, FDK_FILE);
	uint32_t pipe = intern_get(in, "pipe:[1]", 8, FDK_PIPE);
	struct io_event r = e_data(1, OPC_READ, 5, 10);
	r.file = proc;
	access_event(a, &r);
	r.file = pipe;
	access_event(a, &r);
	assert_null(access_file(a, proc));
	assert_null(access_file(a, pipe));
	access_free(a);
	intern_free(in);
}

static int parse1(struct strace_parser *p, const char *line, struct io_event *ev)
{
	struct io_event out[2];
	int n = strace_parse_line(p, line, strlen(line), out);
	if (n > 0)
		*ev = out[0];
	return n;
}

static void test_parser_fields(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct strace_parser *p = strace_parser_new(in);
	struct io_event ev;
	memset(&ev, 0, sizeof ev);
	assert_int_equal(parse1(p, "1 1.000001 openat(AT_FDCWD</h>, \"/tmp/x\", "
			 "O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC, 0666) = 3</tmp/x> <0.000010>", &ev), 1);
	assert_true(ev.flags & EVF_FD);
	assert_int_equal(ev.fd, 3);
	assert_true(ev.flags & EVF_APPEND);
	assert_true(ev.flags & EVF_CLOEXEC);
	assert_false(ev.flags & EVF_TRUNC);
	/* A name that says O_TRUNC is not a flag. */
	assert_int_equal(parse1(p, "1 1.000002 open(\"/tmp/O_TRUNC\", O_RDONLY) = 4</tmp/O_TRUNC> <0.000010>", &ev), 1);
	assert_false(ev.flags & EVF_TRUNC);
	assert_int_equal(ev.fd, 4);
	assert_int_equal(parse1(p, "1 1.000003 pread64(3</tmp/x>, \"a, 4\", 4, 8192) = 4 <0.000010>", &ev), 1);
	assert_true(ev.flags & EVF_OFFSET);
	assert_int_equal(ev.offset, 8192);
	assert_int_equal(ev.fd, 3);
	assert_int_equal(parse1(p, "1 1.000004 read(3</tmp/x>, \"ab\", 2) = 2 <0.000010>", &ev), 1);
	assert_true(ev.flags & EVF_FD);
	assert_false(ev.flags & EVF_OFFSET);
	assert_int_equal(parse1(p, "1 1.000005 lseek(3</tmp/x>, 0, SEEK_END) = 1234 <0.000010>", &ev), 1);
	assert_true(ev.flags & EVF_OFFSET);
	assert_int_equal(ev.offset, 1234);
	/* An unfinished pwrite: the offset is in the resumed half. */
	assert_int_equal(parse1(p, "1 1.000006 pwrite64(3</tmp/x>, <unfinished ...>", &ev), 0);
	assert_int_equal(parse1(p, "1 1.000007 <... pwrite64 resumed>\"ab\", 2, 77) = 2 <0.000010>", &ev), 1);
	assert_int_equal(ev.offset, 77);
	assert_int_equal(ev.fd, 3);
	assert_int_equal(parse1(p, "1 1.000008 creat(\"/tmp/y\", 0600) = 5</tmp/y> <0.000010>", &ev), 1);
	assert_true(ev.flags & EVF_TRUNC);
	/* A failed open has no descriptor. */
	assert_int_equal(parse1(p, "1 1.000009 openat(AT_FDCWD, \"/nope\", O_RDONLY) = -1 ENOENT (No such file) <0.000010>", &ev), 1);
	assert_false(ev.flags & EVF_FD);
	assert_int_equal(ev.err, ENOENT);
	strace_parser_free(p);
	intern_free(in);
}

static int rline(struct record_parser *p, const char *s, struct io_event *ev)
{
	return record_parse_line(p, s, strlen(s), ev);
}

/* Version 2 event lines carry FD OFFSET FLAGS; version 1 lines are still
 * read (ten fields), with nothing known. */
static void test_record_fields(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct record_parser *p = record_parser_new(in);
	struct io_event ev;
	assert_int_equal(rline(p, "# iopstop-recording 2", &ev), 0);
	assert_int_equal(rline(p, "10 5 5 meta openat 0 3 0 file 0 4 - act", &ev), 1);
	assert_int_equal(ev.flags, EVF_FD | EVF_APPEND | EVF_CLOEXEC | EVF_TRUNC);
	assert_int_equal(ev.fd, 4);
	assert_int_equal(rline(p, "11 5 5 read pread64 100 3 0 file 0 4 8192 -", &ev), 1);
	assert_int_equal(ev.flags, EVF_FD | EVF_OFFSET);
	assert_int_equal(ev.offset, 8192);
	assert_int_equal(rline(p, "12 5 5 read read 100 3 0 file 0 - - -", &ev), 1);
	assert_int_equal(ev.flags, 0);
	assert_int_equal(rline(p, "12 5 5 read read 100 3 0 file 0 - - x", &ev), -1);
	assert_int_equal(rline(p, "12 5 5 read read 100 3 0 file 0", &ev), -1);
	record_parser_free(p);
	p = record_parser_new(in);
	assert_int_equal(rline(p, "# iopstop-recording 1", &ev), 0);
	assert_int_equal(rline(p, "12 5 5 read read 100 3 0 file 0", &ev), 1);
	assert_int_equal(ev.flags, 0);
	assert_int_equal(rline(p, "12 5 5 read read 100 3 0 file 0 - - -", &ev), -1);
	record_parser_free(p);
	intern_free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequential_pread_lseek),
		cmocka_unit_test(test_fork_shares_position),
		cmocka_unit_test(test_threads_share_table),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_exec_cloexec_and_unknown),
		cmocka_unit_test(test_close_reopen),
		cmocka_unit_test(test_coverage_cap),
		cmocka_unit_test(test_regular_only),
		cmocka_unit_test(test_parser_fields),
		cmocka_unit_test(test_record_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
