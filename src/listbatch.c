/* listbatch.c - the process list, headless: a block per interval, like
 * `top -b`.  The first refresh only sets the starting counters. */
#include <config.h>

#include "listbatch.h"
#include "bucket.h"
#include "options.h"
#include "proclist.h"

#include <errno.h>
#include <stdint.h>
#include <time.h>

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void block(FILE *out, const struct proclist *pl, double t, long top)
{
	int n;
	const struct proc_row *r = proclist_rows(pl, &n);
	fprintf(out, "time_s %.2f  processes %d\n%7s %10s %10s %9s %9s  %s\n", t, n, "PID",
		"read_op/s", "write_op/s", "read_B/s", "write_B/s", "COMMAND");
	for (int i = 0; i < n && i < top; i++) {
		const char *cmd = r[i].cmd[0] ? r[i].cmd : r[i].comm;
		if (r[i].no_perm) {
			fprintf(out, "%7d %-41s  %s\n", r[i].pid, "no permission", cmd);
			continue;
		}
		char rb[16], wb[16];
		bucket_fmt_bytes(r[i].read_bytes_s, rb, sizeof rb);
		bucket_fmt_bytes(r[i].write_bytes_s, wb, sizeof wb);
		fprintf(out, "%7d %10.1f %10.1f %9s %9s  %s\n", r[i].pid, r[i].read_ops_s,
			r[i].write_ops_s, rb, wb, cmd);
	}
	fputc('\n', out);
	fflush(out);
}

int listbatch_run(const struct options *o, FILE *out)
{
	struct proclist *pl = proclist_new();
	if (!pl) {
		fprintf(stderr, "iopstop: cannot read /proc (%s)\n", proclist_reader());
		return 1;
	}
	int64_t iv = (int64_t)(o->delay * 1e6 + 0.5);
	int64_t t0 = mono_us();
	long top = o->top > 0 ? o->top : 20;
	int status = 0;
	if (proclist_refresh(pl, t0) < 0)
		status = 1;
	for (long k = 1; !status && (!o->iterations || k <= o->iterations); k++) {
		int64_t due = t0 + k * iv, now;
		while ((now = mono_us()) < due) {
			int64_t w = due - now;
			struct timespec ts = {(time_t)(w / 1000000), (long)(w % 1000000) * 1000};
			nanosleep(&ts, NULL);
		}
		if (proclist_refresh(pl, now) < 0) {
			fprintf(stderr, "iopstop: cannot read /proc (%s)\n", proclist_reader());
			status = 1;
			break;
		}
		block(out, pl, (double)(now - t0) / 1e6, top);
		if (ferror(out))
			status = 1;
	}
	proclist_free(pl);
	return status;
}
