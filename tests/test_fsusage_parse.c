/* test_fsusage_parse.c - the fs_usage parser against lines in fs_usage's
 * own layout.
 *
 * Lines are built with the printf formats of Apple's fs_usage.c
 * (system_cmds, format_print, wide mode; see
 * docs/DESIGN.md, Sources) or copied from published captures.
 * Expectations are written from reading each line, not from the parser's
 * output. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "fsusage_parse.h"
#include "intern.h"
#include "strace_parse.h"
#include "syscalls.h"

#define S(h, m, s, us) ((((int64_t)(h) * 60 + (m)) * 60 + (s)) * 1000000 + (us))

struct fx {
	struct intern *in;
	struct fsusage_parser *p;
	struct io_event ev[FSUSAGE_MAX_EVENTS];
	struct io_event *call;	/* the call's event (after any exec) */
	char buf[1024];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->in = intern_new();
	f->p = fsusage_parser_new(f->in);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fsusage_parser_free(f->p);
	intern_free(f->in);
	free(f);
	return 0;
}

/* A wide line as format_print writes it: time, "  %-17.17s", the
 * arguments, "   " and the path padded to a column, " %3llu.%06llu",
 * " W" or "  ", " command.thread". */
static const char *fmt(struct fx *f, const char *tod, const char *call, const char *args,
		       const char *path, unsigned long long us, int waited,
		       const char *cmd, unsigned long tid)
{
	snprintf(f->buf, sizeof f->buf, "%s  %-17.17s%s   %-60s %3llu.%06llu%s %s.%lu",
		 tod, call, args, path, us / 1000000, us % 1000000, waited ? " W" : "  ",
		 cmd, tid);
	return f->buf;
}

static int parse(struct fx *f, const char *line)
{
	memset(f->ev, 0xa5, sizeof f->ev);
	int n = fsusage_parse_line(f->p, line, strlen(line), f->ev);
	f->call = n > 0 ? &f->ev[n - 1] : NULL;
	return n;
}

static const char *path_of(struct fx *f, const struct io_event *ev)
{
	return intern_name(f->in, ev->file, NULL);
}

static void test_read_write_sizes(void **state)
{
	struct fx *f = *state;
	/* ' F=%-3d  B=0x%-6x' */
	assert_int_equal(parse(f, fmt(f, "10:00:00.000100", "read", " F=3    B=0x400   ", "",
				      12, 0, "dd", 501)), 2);
	/* The first line of a command names it. */
	assert_int_equal(f->ev[0].cls, OPC_PROC);
	assert_int_equal(f->ev[0].call, SC_execve);
	assert_string_equal(path_of(f, &f->ev[0]), "dd");
	assert_int_equal(f->ev[0].pid, FSUSAGE_SYNTH_PID);
	struct io_event *e = f->call;
	assert_int_equal(e->cls, OPC_READ);
	assert_int_equal(e->call, SC_read);
	assert_int_equal(e->bytes, 1024);
	assert_int_equal(e->dur_us, 12);
	assert_int_equal(e->t_us, S(10, 0, 0, 100) - 12);	/* stamp = end */
	assert_int_equal(e->pid, FSUSAGE_SYNTH_PID);
	assert_int_equal(e->tid, 501);
	assert_int_equal(e->err, 0);
	assert_int_equal(e->file, INTERN_NONE);

	assert_int_equal(parse(f, fmt(f, "10:00:00.000200", "write", " F=1    B=0x1fffff", "",
				      1000001, 0, "dd", 501)), 1);
	assert_int_equal(f->call->cls, OPC_WRITE);
	assert_int_equal(f->call->call, SC_write);
	assert_int_equal(f->call->bytes, 0x1fffff);
	assert_int_equal(f->call->dur_us, 1000001);
	assert_int_equal(f->call->pid, FSUSAGE_SYNTH_PID);

	/* Zero bytes (end of file) is an op of size 0. */
	assert_int_equal(parse(f, fmt(f, "10:00:00.000300", "read", " F=3    B=0x0     ", "",
				      1, 0, "dd", 501)), 1);
	assert_int_equal(f->call->bytes, 0);
	assert_int_equal(f->call->err, 0);
}

/* Every read and write form, with its _nocancel twin. */
static void test_every_call_form(void **state)
{
	struct fx *f = *state;
	static const struct { const char *name, *args; int cls, call; long long bytes; } t[] = {
		{"read", " F=4    B=0x10    ", OPC_READ, SC_read, 16},
		{"read_nocancel", " F=4    B=0x11    ", OPC_READ, SC_read, 17},
		{"pread", " F=4    B=0x1000     O=0x00000000", OPC_READ, SC_pread, 4096},
		{"pread_nocancel", " F=4    B=0x1001     O=0x00001000", OPC_READ, SC_pread, 4097},
		{"readv", " F=4    B=0x20    ", OPC_READ, SC_readv, 32},
		{"readv_nocancel", " F=4    B=0x21    ", OPC_READ, SC_readv, 33},
		{"preadv", " F=4    B=0x2000     O=0x00002000", OPC_READ, SC_preadv, 8192},
		{"preadv_nocancel", " F=4    B=0x2001     O=0x00004000", OPC_READ, SC_preadv, 8193},
		{"write", " F=5    B=0x30    ", OPC_WRITE, SC_write, 48},
		{"write_nocancel", " F=5    B=0x31    ", OPC_WRITE, SC_write, 49},
		{"pwrite", " F=5    B=0x3000     O=0x123456789a", OPC_WRITE, SC_pwrite, 12288},
		{"pwrite_nocancel", " F=5    B=0x3001     O=0x00000000", OPC_WRITE, SC_pwrite, 12289},
		{"writev", " F=5    B=0x40    ", OPC_WRITE, SC_writev, 64},
		{"writev_nocancel", " F=5    B=0x41    ", OPC_WRITE, SC_writev, 65},
		{"pwritev", " F=5    B=0x4000     O=0x00000000", OPC_WRITE, SC_pwritev, 16384},
		{"pwritev_nocancel", " F=5    B=0x4001     O=0x00000000", OPC_WRITE, SC_pwritev, 16385},
		{"guarded_pwrite_np", " F=5    B=0x50       O=0x00000000", OPC_WRITE, SC_guarded_pwrite_np, 80},
		/* metadata: no size, whatever B= they print */
		{"close", " F=4  ", OPC_META, SC_close, 0},
		{"fsync", " F=5  ", OPC_META, SC_fsync, 0},
		{"fcntl", " F=5  <FULLFSYNC>", OPC_META, SC_fcntl, 0},
		{"lseek", " F=3  O=0x20c42000  <SEEK_SET>", OPC_META, SC_lseek, 0},
		{"fstat64", " F=4  ", OPC_META, SC_fstat64, 0},
		{"getdirentries64", " F=6    B=0x1000  ", OPC_META, SC_getdirentries64, 0},
		{"ftruncate", " F=5  ", OPC_META, SC_ftruncate, 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int n = parse(f, fmt(f, "11:00:00.000000", t[i].name, t[i].args, "", 3, 0,
				     "cc1", 77));
		assert_int_equal(n, i == 0 ? 2 : 1);
		assert_int_equal(f->call->cls, t[i].cls);
		assert_int_equal(f->call->call, t[i].call);
		assert_int_equal(f->call->bytes, t[i].bytes);
		assert_int_equal(f->call->err, 0);
		assert_int_equal(f->call->dur_us, 3);
	}
}

/* Path-only metadata calls, and the ones with a path and a descriptor. */
static void test_meta_paths(void **state)
{
	struct fx *f = *state;
	static const struct { const char *name; int call; } t[] = {
		{"stat64", SC_stat64}, {"lstat64", SC_lstat64}, {"getattrlist", SC_getattrlist},
		{"access", SC_access}, {"unlink", SC_unlink}, {"mkdir", SC_mkdir},
		{"rmdir", SC_rmdir}, {"rename", SC_rename}, {"statfs64", SC_statfs64},
		{"getxattr", SC_getxattr}, {"readlink", SC_readlink}, {"truncate", SC_truncate},
		{"chmod", SC_chmod}, {"utimes", SC_utimes},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		parse(f, fmt(f, "11:00:00.000000", t[i].name, "      ", "/tmp/x y/z.dat", 5, 0,
			     "sh", 9));
		assert_int_equal(f->call->cls, OPC_META);
		assert_int_equal(f->call->call, t[i].call);
		assert_string_equal(path_of(f, f->call), "/tmp/x y/z.dat");	/* spaces kept */
		assert_int_equal(f->call->fdkind, FDK_FILE);
	}
}

/* open names the descriptor; reads on it are that file's until close. */
static void test_open_read_close(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, fmt(f, "12:00:00.000010", "open", " F=3      (R_____________)",
				      "/Users/me/data/input.csv", 40, 0, "python3.11", 1234)), 2);
	assert_string_equal(path_of(f, &f->ev[0]), "python3.11");
	assert_int_equal(f->call->cls, OPC_META);
	assert_int_equal(f->call->call, SC_open);
	assert_string_equal(path_of(f, f->call), "/Users/me/data/input.csv");
	assert_int_equal(f->call->err, 0);

	assert_int_equal(parse(f, fmt(f, "12:00:00.000020", "read_nocancel", " F=3    B=0x8000  ",
				      "", 4, 0, "python3.11", 1234)), 1);
	assert_int_equal(f->call->cls, OPC_READ);
	assert_int_equal(f->call->bytes, 0x8000);
	assert_string_equal(path_of(f, f->call), "/Users/me/data/input.csv");
	assert_int_equal(f->call->fdkind, FDK_FILE);

	/* Another command's fd 3 is another file. */
	parse(f, fmt(f, "12:00:00.000025", "read", " F=3    B=0x10    ", "", 4, 0, "git", 99));
	assert_int_equal(f->call->file, INTERN_NONE);
	assert_int_equal(f->call->fdkind, FDK_OTHER);

	parse(f, fmt(f, "12:00:00.000030", "close_nocancel", " F=3  ", "", 2, 0, "python3.11", 1234));
	assert_int_equal(f->call->call, SC_close);
	assert_string_equal(path_of(f, f->call), "/Users/me/data/input.csv");

	parse(f, fmt(f, "12:00:00.000040", "read", " F=3    B=0x1     ", "", 2, 0, "python3.11", 1234));
	assert_int_equal(f->call->file, INTERN_NONE);	/* closed: unknown again */

	/* A failed open names nothing. */
	parse(f, fmt(f, "12:00:00.000050", "open", "      [  2] (R_____________)",
		     "/Users/me/missing", 9, 0, "python3.11", 1234));
	assert_int_equal(f->call->err, 2);
	assert_string_equal(path_of(f, f->call), "/Users/me/missing");
	parse(f, fmt(f, "12:00:00.000060", "openat", " F=4      (RW____________)",
		     "out/part-0001.parquet", 9, 0, "python3.11", 1234));
	assert_int_equal(f->call->call, SC_openat);
	parse(f, fmt(f, "12:00:00.000070", "pwrite", " F=4    B=0x100000   O=0x00000000", "",
		     900, 0, "python3.11", 1234));
	assert_string_equal(path_of(f, f->call), "out/part-0001.parquet");
	assert_int_equal(f->call->bytes, 0x100000);
}

/* Errors: F=3[  9] and [  2]; counted as errors, never as bytes. */
static void test_errors(void **state)
{
	struct fx *f = *state;
	parse(f, fmt(f, "13:00:00.000000", "read", " F=3  [  9]", "", 1, 0, "a.out", 5));
	assert_int_equal(f->call->cls, OPC_READ);
	assert_int_equal(f->call->err, 9);	/* EBADF */
	assert_int_equal(f->call->bytes, 0);
	parse(f, fmt(f, "13:00:00.000000", "write", " F=7  [ 32]", "", 1, 0, "a.out", 5));
	assert_int_equal(f->call->cls, OPC_WRITE);
	assert_int_equal(f->call->err, 32);	/* EPIPE */
	parse(f, fmt(f, "13:00:00.000000", "pwrite", " F=7  [ 28]", "", 1, 0, "a.out", 5));
	assert_int_equal(f->call->err, 28);	/* ENOSPC */
	parse(f, fmt(f, "13:00:00.000000", "stat64", "      [  2]", "/nope", 1, 0, "a.out", 5));
	assert_int_equal(f->call->err, 2);
	assert_int_equal(f->call->call, SC_stat64);
	/* Darwin numbers above 34 differ from Linux's. */
	parse(f, fmt(f, "13:00:00.000000", "read", " F=3  [ 35]", "", 1, 0, "a.out", 5));
	assert_int_equal(f->call->err, 11);	/* EAGAIN */
	parse(f, fmt(f, "13:00:00.000000", "open", "      [ 63]", "/long", 1, 0, "a.out", 5));
	assert_int_equal(f->call->err, 36);	/* ENAMETOOLONG */
	parse(f, fmt(f, "13:00:00.000000", "getxattr", "      [ 93]", "/x", 1, 0, "a.out", 5));
	assert_int_equal(f->call->err, 61);	/* ENOATTR as ENODATA */
	parse(f, fmt(f, "13:00:00.000000", "rmdir", "      [ 66]", "/d", 1, 0, "a.out", 5));
	assert_int_equal(f->call->err, 39);	/* ENOTEMPTY */
}

/* W: the thread waited; the elapsed time still is the call's. */
static void test_waited(void **state)
{
	struct fx *f = *state;
	assert_int_equal(fsusage_parser_waited(f->p), 0);
	parse(f, fmt(f, "14:00:00.500000", "fsync", " F=5  ", "", 250000, 1, "postgres", 42));
	assert_int_equal(f->call->dur_us, 250000);
	assert_int_equal(f->call->t_us, S(14, 0, 0, 250000));
	assert_int_equal(f->call->call, SC_fsync);
	assert_int_equal(fsusage_parser_waited(f->p), 1);
	parse(f, fmt(f, "14:00:00.600000", "fsync", " F=5  ", "", 10, 0, "postgres", 42));
	assert_int_equal(fsusage_parser_waited(f->p), 1);
	/* A command named W is not a marker. */
	assert_true(parse(f, fmt(f, "14:00:00.700000", "close", " F=5  ", "", 10, 0, "W", 43)) == 2);
	assert_string_equal(path_of(f, &f->ev[0]), "W");
	assert_int_equal(fsusage_parser_waited(f->p), 1);
}

/* Command names with spaces and dots; the number after the last dot is
 * the thread; one synthetic pid per name. */
static void test_command_names(void **state)
{
	struct fx *f = *state;
	static const struct { const char *cmd; unsigned long tid; } t[] = {
		{"Google Chrome He", 3386479},
		{"python3.11", 623959},
		{"com.apple.WebKit", 11988643},
		{"GenerativeExperiencesSafetyInfer", 12349901},
		{"my tool 2.0", 7},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		assert_int_equal(parse(f, fmt(f, "15:00:00.000000", "read", " F=3    B=0x1     ",
					      "", 1, i & 1, t[i].cmd, t[i].tid)), 2);
		assert_string_equal(path_of(f, &f->ev[0]), t[i].cmd);
		assert_int_equal(f->ev[0].pid, FSUSAGE_SYNTH_PID + (int)i);
		assert_int_equal(f->call->pid, FSUSAGE_SYNTH_PID + (int)i);
		assert_int_equal(f->call->tid, (int32_t)t[i].tid);
	}
	/* Seen again: same pid, no second exec event, any thread. */
	assert_int_equal(parse(f, fmt(f, "15:00:00.000001", "read", " F=3    B=0x1     ", "", 1,
				      0, "python3.11", 623960)), 1);
	assert_int_equal(f->call->pid, FSUSAGE_SYNTH_PID + 1);
	assert_int_equal(f->call->tid, 623960);
}

/* The live source tells real pids; a name fs_usage cut still matches. */
static void test_learned_pids(void **state)
{
	struct fx *f = *state;
	fsusage_parser_learn(f->p, "dd", 2, 4242);
	static const char longname[] = "GenerativeExperiencesSafetyInference";
	fsusage_parser_learn(f->p, longname, sizeof longname - 1, 777);
	parse(f, fmt(f, "16:00:00.000000", "write", " F=1    B=0x200   ", "", 1, 0, "dd", 1));
	assert_int_equal(f->ev[0].pid, 4242);
	assert_int_equal(f->call->pid, 4242);
	parse(f, fmt(f, "16:00:00.000000", "write", " F=1    B=0x200   ", "", 1, 0,
		     "GenerativeExperiencesSafetyInfer", 2));
	assert_int_equal(f->call->pid, 777);
	parse(f, fmt(f, "16:00:00.000000", "write", " F=1    B=0x200   ", "", 1, 0, "ddd", 3));
	assert_int_equal(f->call->pid, FSUSAGE_SYNTH_PID);
}

/* One watched process: every name is its; the live clock is the wall's. */
static void test_default_pid_and_day(void **state)
{
	struct fx *f = *state;
	fsusage_parser_default_pid(f->p, 5150);
	fsusage_parser_set_day(f->p, 1700000000000000LL);
	parse(f, fmt(f, "00:00:01.000000", "read", " F=3    B=0x1     ", "", 0, 0, "bash", 1));
	assert_int_equal(f->call->pid, 5150);
	assert_int_equal(f->call->t_us, 1700000001000000LL);
	parse(f, fmt(f, "00:00:02.000000", "read", " F=3    B=0x1     ", "", 0, 0, "cat", 2));
	assert_int_equal(f->call->pid, 5150);
	assert_string_equal(path_of(f, &f->ev[0]), "cat");
}

/* Disk events: storage traffic, kept apart from the calls. */
static void test_disk_events(void **state)
{
	struct fx *f = *state;
	/* "  %-17.17s" with two leading spaces, " D=0x%8.8x  B=0x%-6x /dev/..." */
	snprintf(f->buf, sizeof f->buf, "%s  %-17.17s D=0x%8.8x  B=0x%-6x /dev/disk3s5  %s"
		 "    0.000155 W generativeexperi.12349901", "19:41:03.119669", "  RdData[A]",
		 0x003a6a3du, 0x7000u, "ileAsset_UAF/purpose_auto/f46a.asset/AssetData/C.pbtxt");
	assert_int_equal(parse(f, f->buf), 2);
	assert_int_equal(f->call->cls, OPC_DISK);
	assert_int_equal(f->call->call, SC_RdData);
	assert_int_equal(f->call->bytes, 0x7000);
	assert_int_equal(f->call->dur_us, 155);
	assert_int_equal(f->call->file, INTERN_NONE);
	snprintf(f->buf, sizeof f->buf, "%s  %-17.17s D=0x%8.8x  B=0x%-6x /dev/disk1s1  %s"
		 "    0.002000   kernel_task.101", "19:41:03.200000", "  WrData[AT1]",
		 0x1234u, 0x20000u, "/private/var/db/x");
	assert_int_equal(parse(f, f->buf), 2);
	assert_int_equal(f->call->call, SC_WrData);
	assert_int_equal(f->call->bytes, 0x20000);
	for (const char *const *n = (const char *const[]){"  RdMeta[S]", "  WrMeta[A]",
			"  PgIn[A]", "  PgOut[AN]", NULL}; *n; n++) {
		snprintf(f->buf, sizeof f->buf, "19:41:03.300000  %-17.17s D=0x00000001  B=0x1000"
			 "   /dev/disk1s1  /x     0.000100   kernel_task.101", *n);
		assert_int_equal(parse(f, f->buf), 1);
		assert_int_equal(f->call->cls, OPC_DISK);
		assert_int_equal(f->call->bytes, 4096);
	}
	/* A failed disk I/O: " D=0x%8.8x  [%3d]" */
	assert_int_equal(parse(f, "19:41:03.400000    RdData[A]       D=0x00000010  [  5]"
			       "                 0.000100   kernel_task.101"), 1);
	assert_int_equal(f->call->cls, OPC_DISK);
	assert_int_equal(f->call->err, 5);
	assert_int_equal(f->call->bytes, 0);
}

/* Paths: padded, cut from the left when long, with spaces. */
static void test_paths(void **state)
{
	struct fx *f = *state;
	parse(f, fmt(f, "17:00:00.000000", "stat64", "      ",
		     "ileAsset_UAF_SummarizationKitConfiguration/purpose_auto/x.pbtxt", 4, 0, "w", 1));
	assert_string_equal(path_of(f, f->call),
			    "ileAsset_UAF_SummarizationKitConfiguration/purpose_auto/x.pbtxt");
	char longp[400];
	memset(longp, 'a', sizeof longp);
	longp[0] = '/';
	longp[sizeof longp - 1] = '\0';
	parse(f, fmt(f, "17:00:00.000000", "lstat64", "      ", longp, 4, 0, "w", 1));
	assert_string_equal(path_of(f, f->call), longp);
	parse(f, fmt(f, "17:00:00.000000", "open", " F=9      (R_____________)",
		     "/Users/me/My Documents/report 2.0.txt", 4, 0, "w", 1));
	assert_string_equal(path_of(f, f->call), "/Users/me/My Documents/report 2.0.txt");
	/* A terminal is not a file. */
	parse(f, fmt(f, "17:00:00.000000", "open", " F=10     (RW____________)", "/dev/ttys003",
		     4, 0, "w", 1));
	assert_int_equal(f->call->fdkind, FDK_TTY);
	/* A call name cut at 17 columns. */
	parse(f, fmt(f, "17:00:00.000000", "open_dprotected_np", " F=11     (R_____________)",
		     "/p", 4, 0, "w", 1));
	assert_int_equal(f->call->call, SC_open_dprotected_np);
}

/* Stamps are times of day: midnight passes, late lines stay before it. */
static void test_midnight(void **state)
{
	struct fx *f = *state;
	parse(f, fmt(f, "23:59:59.999990", "read", " F=3    B=0x1     ", "", 0, 0, "n", 1));
	int64_t t0 = f->call->t_us;
	assert_int_equal(t0, S(23, 59, 59, 999990));
	parse(f, fmt(f, "00:00:00.000010", "read", " F=3    B=0x1     ", "", 0, 0, "n", 1));
	assert_int_equal(f->call->t_us - t0, 20);
	/* printed late, from before midnight */
	parse(f, fmt(f, "23:59:59.999995", "read", " F=3    B=0x1     ", "", 0, 0, "n", 1));
	assert_int_equal(f->call->t_us - t0, 5);
	/* a call that began before midnight and ended after it */
	parse(f, fmt(f, "00:00:01.000000", "fsync", " F=3  ", "", 2000000, 1, "n", 1));
	assert_int_equal(f->call->t_us, S(23, 59, 59, 0));
	parse(f, fmt(f, "12:00:00.000000", "read", " F=3    B=0x1     ", "", 0, 0, "n", 1));
	assert_int_equal(f->call->t_us, S(24 + 12, 0, 0, 0));
	/* the next midnight too */
	parse(f, fmt(f, "23:00:00.000000", "read", " F=3    B=0x1     ", "", 0, 0, "n", 1));
	parse(f, fmt(f, "01:00:00.000000", "read", " F=3    B=0x1     ", "", 0, 0, "n", 1));
	assert_int_equal(f->call->t_us, S(48 + 1, 0, 0, 0));
}

/* The published sample lines, whitespace as published. */
static void test_published_samples(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "19:41:01.285715  close             F=3                  "
			       "                                                      0.000006   "
			       "GenerativeExperiencesSafetyInfer.11988643"), 2);
	assert_int_equal(f->call->call, SC_close);
	assert_int_equal(f->call->dur_us, 6);
	assert_int_equal(f->call->tid, 11988643);
	assert_string_equal(path_of(f, &f->ev[0]), "GenerativeExperiencesSafetyInfer");
	assert_int_equal(parse(f, "19:41:03.197472  getattrlist            [  2]           "
			       "/System/Library/UnifiedAssetFramework/MinVersions           "
			       "                           0.000004   "
			       "GenerativeExperiencesSafetyInfer.11988643"), 1);
	assert_int_equal(f->call->call, SC_getattrlist);
	assert_int_equal(f->call->err, 2);
	assert_string_equal(path_of(f, f->call), "/System/Library/UnifiedAssetFramework/MinVersions");
	assert_int_equal(parse(f, "11:29:17.236585  read              F=73   B=0xa8      "
			       "0.000002   Safari.40840"), 2);
	assert_int_equal(f->call->bytes, 0xa8);
	assert_int_equal(f->call->tid, 40840);
	assert_int_equal(parse(f, "00:59:54.602910  write             F=5    B=0x4000       "
			       "0.000040   git.623959"), 2);
	assert_int_equal(f->call->bytes, 0x4000);
	assert_int_equal(parse(f, "00:59:54.600387  unlink                                 "
			       "src/BAD_FILE      0.000328 W git.623959"), 1);
	assert_int_equal(f->call->call, SC_unlink);
	assert_string_equal(path_of(f, f->call), "src/BAD_FILE");
	assert_int_equal(f->call->dur_us, 328);
	assert_int_equal(parse(f, "09:13:59.799895  lseek             F=3  O=0x20c42000  "
			       "<SEEK_SET>  0.000001  blockfile_workload.9941451"), 2);
	assert_int_equal(f->call->call, SC_lseek);
	assert_int_equal(f->call->file, INTERN_NONE);
	assert_int_equal(parse(f, "09:13:59.804842  fcntl             F=3  <FULLFSYNC>       "
			       "       0.004914  blockfile_workload.9941451"), 1);
	assert_int_equal(f->call->call, SC_fcntl);
	assert_int_equal(f->call->dur_us, 4914);
}

static void test_not_fsusage(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
		"12:34:56.123456 read(3, \"x\", 1) = 1 <0.000010>",
		"12:34:56 read(3</a.1>, \"x\", 1) = 1",
		"1234 12:34:56.000001 close(3) = 0 <0.000001>",
		"1700000000.123456 write(1, \"a.1\", 3) = 3",
		"garbage",
		"12:34:56.123456  read",
		"12:34:56.123456  read  F=3  0.000001  cmd",	/* no thread */
		"25:00:00.000000  read  F=3  B=0x1  0.000001  cmd.1",
		"fs_usage: must be run as root",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_false(fsusage_line_looks(bad[i], strlen(bad[i])));
		assert_int_equal(parse(f, bad[i]), -1);
	}
	assert_int_equal(parse(f, ""), 0);
	assert_int_equal(parse(f, "   \r"), 0);
	/* Not counted: page-ins of mapped files, unknown calls. */
	const char *l = fmt(f, "12:00:00.000000", "PAGE_IN_FILE", "    A=0x7fff0000", "/usr/lib/x",
			    3, 0, "ls", 1);
	assert_true(fsusage_line_looks(l, strlen(l)));
	assert_int_equal(parse(f, l), 0);
	assert_int_equal(parse(f, fmt(f, "12:00:00.000000", "execve", "", "/bin/ls", 3, 0, "ls", 1)), 0);
	/* Disk names only count with their flags; names without are not disk. */
	assert_int_equal(parse(f, fmt(f, "12:00:00.000000", "RdData", "", "/x", 3, 0, "ls", 1)), 0);
	l = fmt(f, "12:00:00.000000", "read", " F=3    B=0x1     ", "", 3, 0, "ls", 1);
	assert_true(fsusage_line_looks(l, strlen(l)));
}

/* Darwin-only names never count in strace logs (fcntl is in every one). */
static void test_strace_ignores_darwin_names(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct strace_parser *sp = strace_parser_new(in);
	struct io_event ev[STRACE_MAX_EVENTS];
	static const char *const lines[] = {
		"100 1700000000.000001 fcntl(3</x>, F_GETFL) = 0x2 (flags O_RDWR) <0.000001>",
		"100 1700000000.000002 pread(3</x>, \"a\", 1, 0) = 1 <0.000001>",
		"100 1700000000.000003 getattrlist(\"/x\") = 0 <0.000001>",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		assert_int_equal(strace_parse_line(sp, lines[i], strlen(lines[i]), ev), 0);
	const char *r = "100 1700000000.000004 read(3</x>, \"a\", 1) = 1 <0.000001>";
	assert_int_equal(strace_parse_line(sp, r, strlen(r), ev), 1);
	assert_false(strstr(syscalls_trace_list(), "getattrlist"));
	/* fcntl is Linux's too now, counted for its lock commands only */
	assert_true(strstr(syscalls_trace_list(), "fcntl") != NULL);
	const char *lk = "100 1700000000.000005 fcntl(3</x>, F_SETLKW, {l_type=F_WRLCK, "
			 "l_whence=SEEK_SET, l_start=0, l_len=0}) = 0 <0.000001>";
	assert_int_equal(strace_parse_line(sp, lk, strlen(lk), ev), 1);
	assert_int_equal(ev[0].call, SC_fcntl);
	const char *dup = "100 1700000000.000006 fcntl(3</x,y>, F_DUPFD_CLOEXEC, 0) = 4 <0.000001>";
	assert_int_equal(strace_parse_line(sp, dup, strlen(dup), ev), 0);
	assert_false(strstr(syscalls_trace_list(), "RdData"));
	strace_parser_free(sp);
	intern_free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_write_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_call_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_read_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learned_pids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_pid_and_day, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disk_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_midnight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_published_samples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_fsusage, setup, teardown),
		cmocka_unit_test(test_strace_ignores_darwin_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
