/* test_run.c - the one place that decides how a run ended (run_outcome_of),
 * and the exit-by-signal bit that feeds it. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>

#include "event.h"
#include "intern.h"
#include "options.h"
#include "run.h"
#include "strace_parse.h"
#include "syscalls.h"

static struct run_facts facts(int mode)
{
	struct run_facts f = {.mode = mode, .done = 1, .trace_status = -1, .wait_status = -1};
	return f;
}

static void test_running(void **state)
{
	(void)state;
	struct run_facts f = facts(MODE_COMMAND);
	f.done = 0;
	f.trace_status = 0;
	assert_int_equal(run_outcome_of(&f).end, RUN_RUNNING);
}

/* exit(130) is an exit; "killed by SIGINT" is 130 too, but a signal. */
static void test_exit_130_is_not_a_signal(void **state)
{
	(void)state;
	struct run_facts f = facts(MODE_COMMAND);
	f.trace_status = 130;
	struct run_outcome o = run_outcome_of(&f);
	assert_int_equal(o.end, RUN_EXITED);
	assert_int_equal(o.status, 130);
	f.trace_signaled = 1;
	o = run_outcome_of(&f);
	assert_int_equal(o.end, RUN_KILLED);
	assert_int_equal(o.signal, SIGINT);
	assert_int_equal(o.status, 130);
}

/* No exit line in the trace (proc source): the wait status decides. */
static void test_wait_status(void **state)
{
	(void)state;
	struct run_facts f = facts(MODE_COMMAND);
	f.wait_status = 143;
	f.wait_signal = SIGTERM;
	struct run_outcome o = run_outcome_of(&f);
	assert_int_equal(o.end, RUN_KILLED);
	assert_int_equal(o.signal, SIGTERM);
	f.wait_signal = 0;
	assert_int_equal(run_outcome_of(&f).end, RUN_EXITED);
	f.wait_status = -1;
	o = run_outcome_of(&f);
	assert_int_equal(o.end, RUN_LOST);
	assert_int_equal(o.status, 1);
}

/* strace killed under the command: its status is not the command's. */
static void test_trace_cut(void **state)
{
	(void)state;
	struct run_facts f = facts(MODE_COMMAND);
	f.wait_status = 137;
	f.wait_signal = SIGKILL;
	f.trace_cut = 1;
	struct run_outcome o = run_outcome_of(&f);
	assert_int_equal(o.end, RUN_LOST);
	assert_int_equal(o.status, 1);
}

/* Attached: only the target's own exit counts; leaving detaches. */
static void test_attached(void **state)
{
	(void)state;
	struct run_facts f = facts(MODE_PID);
	f.wait_status = 0;	/* strace's, after our SIGTERM: not the target's */
	assert_int_equal(run_outcome_of(&f).end, RUN_DETACHED);
	assert_int_equal(run_outcome_of(&f).status, -1);
	f.trace_status = 3;
	assert_int_equal(run_outcome_of(&f).end, RUN_EXITED);
	f.quitting = 1;
	assert_int_equal(run_outcome_of(&f).end, RUN_DETACHED);
	struct run_facts r = facts(MODE_REPLAY);
	r.trace_status = 0;
	assert_int_equal(run_outcome_of(&r).end, RUN_FINISHED);
}

/* The strace parser tells the two "+++" lines apart. */
static void test_strace_signaled(void **state)
{
	(void)state;
	struct intern *in = intern_new();
	struct strace_parser *p = strace_parser_new(in);
	struct io_event ev[STRACE_MAX_EVENTS];
	static const char killed[] = "42 1700000000.000001 +++ killed by SIGINT +++";
	static const char exited[] = "43 1700000000.000002 +++ exited with 130 +++";
	assert_int_equal(strace_parse_line(p, killed, strlen(killed), ev), 1);
	assert_int_equal(ev[0].call, SC_EXIT);
	assert_int_equal(ev[0].bytes, 130);
	assert_true(ev[0].flags & EVF_SIGNALED);
	assert_int_equal(strace_parse_line(p, exited, strlen(exited), ev), 1);
	assert_int_equal(ev[0].bytes, 130);
	assert_false(ev[0].flags & EVF_SIGNALED);
	strace_parser_free(p);
	intern_free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_running),
		cmocka_unit_test(test_exit_130_is_not_a_signal),
		cmocka_unit_test(test_wait_status),
		cmocka_unit_test(test_trace_cut),
		cmocka_unit_test(test_attached),
		cmocka_unit_test(test_strace_signaled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
