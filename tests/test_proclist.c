/* test_proclist.c - rates as a pure function of two readings and dt
 * (iorate), and proclist over a child whose I/O is known, with a fake
 * clock: no sleeps. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iorate.h"
#include "proclist.h"

static void test_rates(void **state)
{
	(void)state;
	struct io_counters prev = {.syscr = 10, .syscw = 20, .rchar = 1000, .wchar = 4096};
	struct io_counters cur = {.syscr = 110, .syscw = 520, .rchar = 1000 + 51200,
				  .wchar = 4096 + 500 * 4096};
	struct io_rates r;
	iorate_compute(&cur, &prev, 2000000, &r);	/* 2 s */
	assert_true(r.read_ops_s == 50.0);
	assert_true(r.write_ops_s == 250.0);
	assert_true(r.read_bytes_s == 25600.0);
	assert_true(r.write_bytes_s == 250.0 * 4096);
	iorate_compute(&cur, &prev, 250000, &r);	/* a quarter second */
	assert_true(r.read_ops_s == 400.0);
	/* No time, or counters that went backwards (a reused pid): 0. */
	iorate_compute(&cur, &prev, 0, &r);
	assert_true(r.read_ops_s == 0 && r.write_bytes_s == 0);
	iorate_compute(&prev, &cur, 1000000, &r);
	assert_true(r.read_ops_s == 0 && r.write_ops_s == 0 && r.read_bytes_s == 0);
	assert_int_equal(iorate_delta(5, 7), 0);
	assert_int_equal(iorate_delta(7, 5), 2);
}

/* A child writes 1000 x 100 bytes between two refreshes 2 s apart (on
 * the fake clock): its row says 500 writes/s and 50000 B/s exactly.  It
 * is read as a zombie, before we reap it, so nothing it did is lost. */
static void test_known_child(void **state)
{
	(void)state;
	int go[2];
	assert_int_equal(pipe(go), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c, buf[100];
		memset(buf, 'x', sizeof buf);
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		int fd = open("/dev/null", O_WRONLY);
		for (int i = 0; i < 1000; i++)
			if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
				_exit(1);
		_exit(0);
	}
	close(go[0]);
	struct proclist *pl = proclist_new();
	assert_non_null(pl);
	assert_true(proclist_refresh(pl, 5000000) > 0);
	assert_int_equal(write(go[1], "g", 1), 1);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	assert_int_equal(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
	int n = proclist_refresh(pl, 7000000);
	assert_true(n > 0);
	const struct proc_row *r = proclist_rows(pl, &n);
	int found = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && !r[i].no_perm && !r[i - 1].no_perm)
			assert_true(r[i - 1].read_ops_s + r[i - 1].write_ops_s >=
				    r[i].read_ops_s + r[i].write_ops_s);
		if (r[i].pid != pid)
			continue;
		found = 1;
		assert_false(r[i].no_perm);
		assert_true(r[i].write_ops_s == 500.0);
		assert_true(r[i].write_bytes_s == 50000.0);
		assert_true(r[i].read_ops_s == 0.5);	/* the one byte from the pipe */
	}
	assert_true(found);
	/* Our own row is never listed (reading /proc is all it does). */
	for (int i = 0; i < n; i++)
		assert_int_not_equal(r[i].pid, getpid());
	proclist_free(pl);
	waitpid(pid, NULL, 0);
	close(go[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_known_child),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
