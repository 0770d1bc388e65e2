/* test_strace_parse.c - the parser against real strace 6.1 lines.
 *
 * Expectations are written from reading each line, not from the parser's
 * output; the whole-trace tests compare with counts the traced workload
 * itself printed (tests/fixtures/strace/workload.counts.json). */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errnames.h"
#include "event.h"
#include "intern.h"
#include "strace_parse.h"
#include "syscalls.h"

struct fx {
	struct intern *in;
	struct strace_parser *p;
	struct io_event ev[STRACE_MAX_EVENTS];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->in = intern_new();
	f->p = strace_parser_new(f->in);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	strace_parser_free(f->p);
	intern_free(f->in);
	free(f);
	return 0;
}

static int parse(struct fx *f, const char *line)
{
	memset(f->ev, 0xa5, sizeof f->ev);
	return strace_parse_line(f->p, line, strlen(line), f->ev);
}

static const char *path_of(struct fx *f, int i)
{
	return intern_name(f->in, f->ev[i].file, NULL);
}

static void test_simple_write(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "5803  1795331683.236751 write(5</tmp/st/plain.dat>, "
			      "\"xxxx\"..., 4096) = 4096 <0.000052>\n"), 1);
	assert_int_equal(f->ev[0].cls, OPC_WRITE);
	assert_int_equal(f->ev[0].call, SC_write);
	assert_int_equal(f->ev[0].pid, 5803);
	assert_int_equal(f->ev[0].tid, 5803);
	assert_int_equal(f->ev[0].bytes, 4096);
	assert_int_equal(f->ev[0].dur_us, 52);
	assert_int_equal(f->ev[0].err, 0);
	assert_int_equal(f->ev[0].t_us, 1795331683236751LL);
	assert_int_equal(f->ev[0].fdkind, FDK_FILE);
	assert_string_equal(path_of(f, 0), "/tmp/st/plain.dat");
}

static void test_escaped_paths(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "5803  1795331683.236751 write(5</tmp/st/we\\\"ird \\74name\\76.dat>, "
			      "\"x\"..., 4096) = 4096 <0.000052>"), 1);
	assert_string_equal(path_of(f, 0), "/tmp/st/we\"ird <name>.dat");
	assert_int_equal(parse(f, "5803  1795331683.238206 write(5</tmp/st/tab\\there\\nnl.dat>, "
			      "\"x\"..., 4096) = 4096 <0.000071>"), 1);
	assert_string_equal(path_of(f, 0), "/tmp/st/tab\there\nnl.dat");
	assert_int_equal(parse(f, "5803  1795331683.239693 write(5</tmp/st/caf\\303\\251.dat>, "
			      "\"x\"..., 4096) = 4096 <0.000072>"), 1);
	assert_string_equal(path_of(f, 0), "/tmp/st/caf\xc3\xa9.dat");
	assert_int_equal(parse(f, "5803  1795331683.241253 write(5</tmp/st/back\\\\slash.dat>, "
			      "\"x\"..., 4096) = 4096 <0.000071>"), 1);
	assert_string_equal(path_of(f, 0), "/tmp/st/back\\slash.dat");
	/* A ')' and ', ' inside a name must not end the argument list. */
	assert_int_equal(parse(f, "7  1.000001 read(3</tmp/a), b(.dat>, \"\", 10) = 0 <0.000001>"), 1);
	assert_string_equal(path_of(f, 0), "/tmp/a), b(.dat");
	assert_int_equal(f->ev[0].bytes, 0);
	/* (deleted) after the decoration is not part of the name. */
	assert_int_equal(parse(f, "5803  1795331683.244195 write(5</tmp/st/del.dat>(deleted), "
			      "\"abc\", 3) = 3 <0.000038>"), 1);
	assert_string_equal(path_of(f, 0), "/tmp/st/del.dat");
	assert_int_equal(f->ev[0].bytes, 3);
}

static void test_unfinished_resumed(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "5804  1795331683.133931 read(3<pipe:[11646]>,  <unfinished ...>"), 0);
	/* Another thread's line in between must not disturb the pair. */
	assert_int_equal(parse(f, "5805  1795331683.140000 write(1</dev/pts/0>, \"a\", 1) = 1 <0.000010>"), 1);
	assert_int_equal(f->ev[0].fdkind, FDK_TTY);
	assert_int_equal(parse(f, "5804  1795331683.242750 <... read resumed>\"hello\", 64) = 5 <0.108783>"), 1);
	assert_int_equal(f->ev[0].cls, OPC_READ);
	assert_int_equal(f->ev[0].tid, 5804);
	assert_int_equal(f->ev[0].bytes, 5);
	assert_int_equal(f->ev[0].dur_us, 108783);
	/* The op happened when it started, not when it returned. */
	assert_int_equal(f->ev[0].t_us, 1795331683133931LL);
	assert_int_equal(f->ev[0].fdkind, FDK_PIPE);
	assert_string_equal(path_of(f, 0), "pipe:[11646]");
	assert_int_equal(strace_parser_unfinished(f->p), 0);
	/* An unfinished call never resumed is counted, not lost silently. */
	assert_int_equal(parse(f, "[pid  5977] 1795331687.607334 read(3<pipe:[11777]>,  <unfinished ...>"), 0);
	assert_int_equal(strace_parser_unfinished(f->p), 1);
	/* Old strace: "<... NAME resumed> )" with a space. */
	assert_int_equal(parse(f, "5977  1795331687.700000 <... read resumed> ) = 7 <0.1>"), 1);
	assert_int_equal(f->ev[0].bytes, 7);
	assert_int_equal(strace_parser_unfinished(f->p), 0);
}

static void test_errors_and_noreturn(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "5803  1795331683.248333 read(12345, 0x7ffc41f9eb50, 10) = -1 EBADF "
			      "(Bad file descriptor) <0.000024>"), 1);
	assert_int_equal(f->ev[0].cls, OPC_READ);
	assert_int_equal(f->ev[0].err, 9 /* EBADF */);
	assert_string_equal(errnames_name(f->ev[0].err), "EBADF");
	assert_int_equal(f->ev[0].bytes, 0);
	assert_int_equal(f->ev[0].file, INTERN_NONE);
	assert_int_equal(parse(f, "10  1.5 read(0</dev/pts/1>,  <unfinished ...>"), 0);
	assert_int_equal(parse(f, "10  1.9 <... read resumed> <unfinished ...>) = ?"), 1);
	assert_int_equal(f->ev[0].err, ERR_NORETURN);
	assert_int_equal(parse(f, "11  2.0 read(3</x>, \"\", 5) = ? ERESTARTSYS (To be restarted if "
			      "SA_RESTART is set) <0.5>"), 1);
	assert_int_equal(f->ev[0].err, ERR_NORETURN);
	assert_int_equal(f->ev[0].dur_us, 500000);
	/* Failed open: the file is the path asked for, joined to the dirfd. */
	assert_int_equal(parse(f, "12  2.1 openat(AT_FDCWD</home/u>, \"nothere\", O_RDONLY) = -1 ENOENT "
			      "(No such file or directory) <0.000010>"), 1);
	assert_int_equal(f->ev[0].cls, OPC_META);
	assert_int_equal(f->ev[0].err, 2);
	assert_string_equal(path_of(f, 0), "/home/u/nothere");
}

static void test_open_and_meta(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "5803  1795331683.234567 openat(AT_FDCWD</tmp/st>, \"/tmp/st/plain.dat\", "
			      "O_RDWR|O_CREAT|O_TRUNC, 0644) = 5</tmp/st/plain.dat> <0.000391>"), 1);
	assert_int_equal(f->ev[0].cls, OPC_META);
	assert_int_equal(f->ev[0].call, SC_openat);
	assert_int_equal(f->ev[0].dur_us, 391);
	assert_string_equal(path_of(f, 0), "/tmp/st/plain.dat");
	/* AT_EMPTY_PATH: the descriptor itself. */
	assert_int_equal(parse(f, "1  1.0 newfstatat(3</etc/ld.so.cache>, \"\", {st_mode=S_IFREG|0644, "
			      "st_size=41667, ...}, AT_EMPTY_PATH) = 0 <0.000017>"), 1);
	assert_string_equal(path_of(f, 0), "/etc/ld.so.cache");
	assert_int_equal(parse(f, "1  1.0 close(3</etc/ld.so.cache>) = 0 <0.000017>"), 1);
	assert_int_equal(f->ev[0].call, SC_close);
	/* Calls iopstop does not count are not errors. */
	assert_int_equal(parse(f, "1  1.0 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, -1, 0) = 0x7f89474cf000 <0.000026>"), 0);
}

static void test_vectors_and_both_halves(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "5803  1795331683.235981 writev(5</tmp/st/plain.dat>, [{iov_base=\"xxxxxxxxxx\", "
			      "iov_len=10}, {iov_base=\"xxxxxxxxxxxxxxxxxxxx\", iov_len=20}], 2) = 30 <0.000070>"), 1);
	assert_int_equal(f->ev[0].call, SC_writev);
	assert_int_equal(f->ev[0].bytes, 30);
	assert_int_equal(parse(f, "5982  1795331687.845982 preadv(5</tmp/st/plain.dat>, [...], 2, 0) = 30 <0.000049>"), 1);
	assert_int_equal(f->ev[0].cls, OPC_READ);
	assert_int_equal(parse(f, "9  3.0 sendfile(4</out.dat>, 3</in.dat>, NULL, 65536) = 65536 <0.0001>"), 2);
	assert_int_equal(f->ev[0].cls, OPC_READ);
	assert_string_equal(path_of(f, 0), "/in.dat");
	assert_int_equal(f->ev[1].cls, OPC_WRITE);
	assert_string_equal(path_of(f, 1), "/out.dat");
	assert_int_equal(f->ev[1].bytes, 65536);
	assert_int_equal(parse(f, "9  3.0 copy_file_range(3</in.dat>, NULL, 4</out.dat>, NULL, 100, 0) = 100 <0.0001>"), 2);
	assert_string_equal(path_of(f, 0), "/in.dat");
	assert_string_equal(path_of(f, 1), "/out.dat");
}

static void test_process_lines(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "100  1.0 execve(\"/usr/bin/dd\", [\"dd\"], 0x7ffd /* 20 vars */) = 0 <0.001>"), 1);
	assert_int_equal(f->ev[0].cls, OPC_PROC);
	assert_int_equal(f->ev[0].call, SC_execve);
	assert_string_equal(path_of(f, 0), "dd");
	/* A thread: its events belong to the process. */
	assert_int_equal(parse(f, "100  1.1 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|"
			      "CLONE_SYSVSEM, child_tid=0x7f, parent_tid=0x7f, exit_signal=0, stack=0x7f, "
			      "stack_size=0x7fff00, tls=0x7f} => {parent_tid=[101]}, 88) = 101 <0.0001>"), 0);
	assert_int_equal(parse(f, "101  1.2 write(3</t>, \"a\", 1) = 1 <0.000001>"), 1);
	assert_int_equal(f->ev[0].pid, 100);
	assert_int_equal(f->ev[0].tid, 101);
	/* A child whose first line comes before its parent's clone returns. */
	assert_int_equal(parse(f, "100  1.3 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD "
			      "<unfinished ...>"), 0);
	assert_int_equal(parse(f, "102  1.4 write(3</c>, \"a\", 1) = 1 <0.000001>"), 1);
	assert_int_equal(f->ev[0].pid, 102);
	assert_int_equal(parse(f, "100  1.5 <... clone resumed>, child_tidptr=0x7f) = 102 <0.0002>"), 1);
	assert_int_equal(f->ev[0].call, SC_FORK);
	assert_int_equal(f->ev[0].bytes, 102);
	/* Exits: the process's, with a status; a thread's, nothing. */
	assert_int_equal(parse(f, "101  1.6 +++ exited with 0 +++"), 0);
	assert_int_equal(parse(f, "102  1.7 +++ killed by SIGKILL +++"), 1);
	assert_int_equal(f->ev[0].call, SC_EXIT);
	assert_int_equal(f->ev[0].bytes, 128 + 9);
	assert_int_equal(parse(f, "100  1.8 +++ killed by SIGSEGV (core dumped) +++"), 1);
	assert_int_equal(f->ev[0].bytes, 128 + 11);
	assert_int_equal(parse(f, "103  1.9 +++ superseded by execve in pid 100 +++"), 0);
	assert_int_equal(parse(f, "5803  1795331683.248162 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, "
			      "si_pid=5805, si_uid=0, si_status=3, si_utime=0, si_stime=0} ---"), 0);
	assert_int_equal(parse(f, "6189  1795331699.072974 read(0<pipe:[11898]>,  <detached ...>"), 0);
}

static void test_timestamps_and_prefixes(void **state)
{
	struct fx *f = *state;
	/* -tt time of day, and the midnight wrap. */
	assert_int_equal(parse(f, "23:59:59.900000 write(1</x>, \"a\", 1) = 1"), 1);
	int64_t before = f->ev[0].t_us;
	assert_int_equal(f->ev[0].dur_us, 0);	/* no -T */
	assert_int_equal(parse(f, "00:00:00.100000 write(1</x>, \"a\", 1) = 1"), 1);
	assert_int_equal(f->ev[0].t_us - before, 200000);
	/* No -y: no file, still counted. */
	assert_int_equal(parse(f, "[pid 42] 1.0 write(1, \"a\", 1) = 1 <0.000001>"), 1);
	assert_int_equal(f->ev[0].tid, 42);
	assert_int_equal(f->ev[0].file, INTERN_NONE);
	/* Nanosecond timestamps are cut to microseconds. */
	assert_int_equal(parse(f, "7 1.123456789 write(1</x>, \"a\", 1) = 1"), 1);
	assert_int_equal(f->ev[0].t_us, 1123456);
}

static void test_garbage(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
		"hello world", "123", "[pid", "[pid 1", "1 2.0 write(", "1 2.0 write(1</x>, \"a",
		"+++", "1 1.0 +++ whatever +++", "1 1.0 <... write", "1 1.0 write(1) =",
		"1 1.0 write(1) = x", "\x01\x02\xff", "1 12:3x write(1) = 1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(parse(f, bad[i]), -1);
	assert_int_equal(parse(f, ""), 0);
	assert_int_equal(parse(f, "strace: Process 5 attached"), 0);
	/* A very long line (a huge path) parses, nothing cut. */
	size_t n = 200000;
	char *line = malloc(n + 100);
	char *p = line + sprintf(line, "1 1.0 write(3</");
	memset(p, 'a', n);
	strcpy(p + n, ">, \"x\", 1) = 1 <0.000001>");
	assert_int_equal(parse(f, line), 1);
	assert_int_equal(strlen(path_of(f, 0)), n + 1);
	free(line);
}

/* Sum of per-file read/write counts over a whole fixture. */
struct fcount {
	char path[256];
	long long rops, wops, rbytes, wbytes;
};

static int replay(struct fx *f, const char *name, struct fcount *fc, int nfc, long *unparsed)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/strace/%s", FIXTURES, name);
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	*unparsed = 0;
	while ((len = getline(&line, &cap, in)) > 0) {
		int n = strace_parse_line(f->p, line, (size_t)len, f->ev);
		if (n < 0)
			(*unparsed)++;
		for (int i = 0; i < n; i++) {
			const struct io_event *e = &f->ev[i];
			if (e->cls > OPC_WRITE || e->err)
				continue;
			const char *p = intern_name(f->in, e->file, NULL);
			for (int j = 0; j < nfc; j++) {
				if (strcmp(fc[j].path, p))
					continue;
				if (e->cls == OPC_READ) {
					fc[j].rops++;
					fc[j].rbytes += e->bytes;
				} else {
					fc[j].wops++;
					fc[j].wbytes += e->bytes;
				}
			}
		}
	}
	free(line);
	fclose(in);
	return 0;
}

static void test_fixture_forms(void **state)
{
	struct fx *f = *state;
	struct fcount fc[] = {{"/tmp/st/plain.dat", 0, 0, 0, 0}, {"pipe:[11646]", 0, 0, 0, 0}};
	long unparsed;
	replay(f, "forms.in", fc, 2, &unparsed);
	assert_int_equal(unparsed, 0);
	/* writev 30 + write 4096 by 5982 = 2 writes; preadv 30 = 1 read. */
	assert_int_equal(fc[0].wops, 2);
	assert_int_equal(fc[0].wbytes, 4126);
	assert_int_equal(fc[0].rops, 1);
	assert_int_equal(fc[0].rbytes, 30);
	assert_int_equal(fc[1].rops, 1);
	assert_int_equal(fc[1].rbytes, 5);
	/* 5977's read was never resumed; 6189's was detached. */
	assert_int_equal(strace_parser_unfinished(f->p), 1);
}

/* The traced workload printed what it did; the trace must agree. */
static void test_fixture_workload(void **state)
{
	struct fx *f = *state;
	char path[1024];
	snprintf(path, sizeof path, "%s/strace/workload.counts.json", FIXTURES);
	FILE *j = fopen(path, "r");
	assert_non_null(j);
	char buf[8192];
	size_t got = fread(buf, 1, sizeof buf - 1, j);
	buf[got] = '\0';
	fclose(j);
	struct fcount fc[16], want[16];
	int n = 0;
	for (char *p = buf; (p = strstr(p, "\"/")) && n < 16; n++) {
		char *q = strchr(p + 1, '"');
		memset(&want[n], 0, sizeof want[n]);
		snprintf(want[n].path, sizeof want[n].path, "%.*s", (int)(q - p - 1), p + 1);
		assert_int_equal(sscanf(strchr(q, '{'), "{\"read_ops\": %lld, \"write_ops\": %lld, "
					"\"read_bytes\": %lld, \"write_bytes\": %lld",
					&want[n].rops, &want[n].wops, &want[n].rbytes, &want[n].wbytes), 4);
		fc[n] = want[n];
		fc[n].rops = fc[n].wops = fc[n].rbytes = fc[n].wbytes = 0;
		p = q;
	}
	assert_true(n >= 4);
	long unparsed;
	replay(f, "workload.in", fc, n, &unparsed);
	assert_int_equal(unparsed, 0);
	for (int i = 0; i < n; i++) {
		assert_int_equal(fc[i].rops, want[i].rops);
		assert_int_equal(fc[i].wops, want[i].wops);
		assert_int_equal(fc[i].rbytes, want[i].rbytes);
		assert_int_equal(fc[i].wbytes, want[i].wbytes);
	}
	assert_int_equal(strace_parser_unfinished(f->p), 0);
}

static void test_fixture_stderr_form(void **state)
{
	struct fx *f = *state;
	struct fcount fc[] = {{"/tmp/fx/x.txt", 0, 0, 0, 0}};
	long unparsed;
	replay(f, "stderr-tt.in", fc, 1, &unparsed);
	assert_int_equal(unparsed, 0);
	assert_int_equal(fc[0].wops, 1);
	assert_int_equal(fc[0].wbytes, 6);
	assert_int_equal(fc[0].rops, 4);	/* two reads of 6, two EOF reads */
	assert_int_equal(fc[0].rbytes, 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_simple_write),
		T(test_escaped_paths),
		T(test_unfinished_resumed),
		T(test_errors_and_noreturn),
		T(test_open_and_meta),
		T(test_vectors_and_both_halves),
		T(test_process_lines),
		T(test_timestamps_and_prefixes),
		T(test_garbage),
		T(test_fixture_forms),
		T(test_fixture_workload),
		T(test_fixture_stderr_form),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
