/* iopstop.c - one run: options, source, sampler, view or batch, reports. */
#include <config.h>

#include "iopstop.h"
#include "app.h"
#include "batch.h"
#include "intern.h"
#include "listbatch.h"
#include "log.h"
#include "model.h"
#include "options.h"
#include "record.h"
#include "procfs.h"
#include "proclist.h"
#include "report.h"
#include "report_svg.h"
#include "report_text.h"
#include "sampler.h"
#include "source.h"
#include "syscalls.h"
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void on_stop_signal(int sig)
{
	(void)sig;
	atomic_store(&sampler_signal_stop, 1);
}

static void set_signal(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Headless signal manners.  With a command, Ctrl-C and Ctrl-\ reach it
 * from the terminal and we wait to report, as time(1) does; a hangup
 * leaves it running (we keep draining); SIGTERM ends it.  Attached, any
 * of them detaches. */
static void setup_signals(const struct options *o)
{
	set_signal(SIGPIPE, SIG_IGN);
	if (o->mode == MODE_COMMAND) {
		set_signal(SIGINT, SIG_IGN);
		set_signal(SIGQUIT, SIG_IGN);
		set_signal(SIGHUP, SIG_IGN);
	} else {
		set_signal(SIGINT, on_stop_signal);
		set_signal(SIGHUP, on_stop_signal);
	}
	set_signal(SIGTERM, on_stop_signal);
}

static FILE *open_out(const char *path, const char *what)
{
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "iopstop: %s %s: %s\n", what, path, strerror(errno));
	return f;
}

static int close_out(FILE *f, const char *path)
{
	if (f == stdout)
		return fflush(f) == 0 || errno == EPIPE ? 0 : -1;
	int bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "iopstop: writing %s failed\n", path);
		return -1;
	}
	return 0;
}

/* Can a report go to path?  Checked before the run, so that a typo in
 * --json=FILE costs one line, not the whole run. */
static int out_check(const char *path, const char *what)
{
	if (!path || strcmp(path, "-") == 0)
		return 0;
	struct stat st;
	int e = 0;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			e = EISDIR;
		else if (access(path, W_OK) < 0)
			e = errno;
	} else if (errno != ENOENT) {
		e = errno;
	} else {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (!slash)
			snprintf(dir, sizeof dir, ".");
		else
			slash[slash == dir] = '\0';	/* "/x" -> "/" */
		if (access(dir, W_OK | X_OK) < 0)
			e = errno;
	}
	if (!e)
		return 0;
	fprintf(stderr, "iopstop: %s %s: %s\n", what, path, strerror(e));
	return -1;
}

/* Watch one thing (a command, pids, a replay) to its end and report. */
static int run_watch(struct options *o)
{
	if (out_check(o->json, "--json") < 0 || out_check(o->svg, "--svg") < 0 ||
	    out_check(o->csv_file, "--csv") < 0)
		return 1;
	struct intern *in = intern_new();
	struct model *m = in ? model_new(in, (int64_t)(o->delay * 1e6 + 0.5)) : NULL;
	if (!in || !m) {
		fprintf(stderr, "iopstop: out of memory\n");
		free(m);
		intern_free(in);
		return 1;
	}
	if (o->npaths)
		m->path_prefixes = o->paths;

	char why[512];
	const struct source_ops *ops = source_pick(o, why, sizeof why);
	if (!ops) {
		fprintf(stderr, "iopstop: %s\n", why);
		model_destroy(m);
		free(m);
		intern_free(in);
		return 1;
	}
	if (why[0])
		fprintf(stderr, "iopstop: %s\n", why);
	if (o->mode == MODE_REPLAY)
		log_msg("source: %s; replaying %s", ops->name, o->replay);
	else
		log_msg("source: %s%s%s", ops->name, why[0] ? "; " : "", why);
	struct source *src = source_new(ops, o, in);
	int want_view = !o->batch && isatty(0) && isatty(1) && o->mode != MODE_REPLAY;
	/* Without a view the command keeps our stdio; in it, a file. */
	/* static: o->output keeps pointing here after we return. */
	static char outpath[4096];
	if (want_view && o->mode == MODE_COMMAND && !o->output) {
		const char *tmp = getenv("TMPDIR");
		snprintf(outpath, sizeof outpath, "%s/iopstop-%ld.out",
			 tmp && *tmp ? tmp : "/tmp", (long)getpid());
		o->output = outpath;
	}
	if (!want_view)
		o->output = NULL;

	setup_signals(o);
	struct recorder *rec = NULL;
	if (src && o->record) {
		char err[512];
		rec = recorder_open(o->record, o->force, o->mode == MODE_COMMAND ? o->command : NULL,
				    src->ops->name, err, sizeof err);
		if (!rec) {
			fprintf(stderr, "iopstop: %s\n", err);
			source_free(src);
			model_destroy(m);
			free(m);
			intern_free(in);
			return 1;
		}
	}
	if (!src || src->ops->start(src) < 0) {
		recorder_close(rec);
		int status = src && src->exit_status > 0 ? src->exit_status : 1;
		fprintf(stderr, "iopstop: %s\n", src ? src->error : "out of memory");
		source_free(src);
		model_destroy(m);
		free(m);
		intern_free(in);
		return status;
	}
	if (src->child)
		log_msg("started command PID %d", (int)src->child);
	/* A recording replays in the intervals it was recorded with. */
	if (src->interval_us >= 50000 && src->interval_us <= 60000000 && !o->delay_set) {
		o->delay = (double)src->interval_us / 1e6;
		m->interval_us = src->interval_us;
	}
	if (src->live || src->start_us)	/* a recording knows its time 0 */
		model_set_start(m, src->start_us);

	struct batch batch = {.out = o->csv_file ? NULL : stdout, .path = o->csv_file,
			      .src = src, .csv = o->csv, .limit = o->iterations};
	struct sampler smp = {
		.src = src, .m = m, .speed = o->speed, .iterations = o->iterations,
	};
	if (o->batch || o->csv_file) {
		smp.on_tick = batch_tick;
		smp.ctx = &batch;
	}
	if (rec) {
		smp.on_batch = recorder_batch;
		smp.batch_ctx = rec;
	}
	if (sampler_start(&smp) < 0) {
		fprintf(stderr, "iopstop: cannot start the sampler thread\n");
		src->ops->stop(src);	/* do not leave the command traced */
		source_free(src);
		model_destroy(m);
		free(m);
		intern_free(in);
		return 1;
	}

	/* Attached, the command is the first target's, as /proc has it. */
	char **target_cmd = o->mode == MODE_PID ? procfs_cmdline(o->pids[0]) : NULL;
	struct run_info ri = {
		.backend = src->backend ? src->backend : src->ops->name,
		.command = o->mode == MODE_COMMAND ? o->command
			 : target_cmd ? target_cmd : src->command,
		.pids = o->pids,
		.npids = o->npids,
		.exit_status = -1,
		.top = o->top,
		.output = o->output,
	};
	struct app app = {o, in, m, src, &smp, &ri};
	if (!want_view || ui_run(&app) < 0) {
		/* Headless: wait for the source to end. */
	}
	sampler_join(&smp);

	/* The run's exit status: the traced command's, as a shell reports. */
	int status = 0;
	if (o->mode == MODE_COMMAND) {
		status = m->exit_status >= 0 ? m->exit_status : src->exit_status;
		if (status < 0)
			status = 1;
		/* strace died under the command (kill -9 of strace): the trace
		 * ends there and the command's own exit status is unknown. */
		if (m->exit_status < 0 && src->error[0] && !src->broken &&
		    src->ops == &source_strace_ops) {
			fprintf(stderr, "iopstop: %s before the command ended: the trace "
				"stops there, the command's exit status is unknown\n",
				src->error);
			status = 1;
		}
		ri.exit_status = status;
	} else if (o->mode == MODE_REPLAY) {
		ri.exit_status = m->exit_status;
	}
	ri.elapsed_s = model_elapsed_s(m);
	ri.clock = source_clock(src);
	if (ri.clock != SRC_CLOCK_US && m->lines > m->unparsed)
		fprintf(stderr, "iopstop: %s: %s\n", o->replay, ri.clock == SRC_CLOCK_NONE
			? "the log has no timestamps (strace without -t, -tt, -ttt or -r): "
			  "rates unknown" : "the timestamps are whole seconds (strace -t): "
			  "the time is rounded up to whole seconds");
	log_msg("ended after %.3f s: %llu lines, %llu unparsed (first at line %llu), "
		"%llu unfinished; exit status %d%s%s", ri.elapsed_s,
		(unsigned long long)m->lines, (unsigned long long)m->unparsed,
		(unsigned long long)src->first_bad_line, (unsigned long long)src->unfinished,
		status, src->error[0] ? "; " : "", src->error);
	if (rec && recorder_close(rec) < 0 && !status)
		status = 1;
	if (batch_close(&batch) < 0 && !status)
		status = 1;
	if (src->ops == &source_proc_ops) {
		ri.storage_bytes = src->storage_bytes;
		ri.no_perm = src->no_perm;
	}
	if (src->ops == &source_preload_ops) {
		char msg[512];
		ri.check = &src->check;
		if (source_preload_check(src, msg, sizeof msg))
			fprintf(stderr, "iopstop: warning: %s\n", msg);
		if (src->check.dropped)
			fprintf(stderr, "iopstop: warning: the event ring overflowed: %llu "
				"events dropped\n", (unsigned long long)src->check.dropped);
	}

	if (src->error[0] && (src->broken || o->mode != MODE_COMMAND))
		fprintf(stderr, "iopstop: %s\n", src->error);
	/* Nothing at all to replay: one line says why, and no summary. */
	int nothing = 0;
	if (o->mode == MODE_REPLAY && !src->recording && !src->broken &&
	    (m->lines == 0 || m->unparsed == m->lines)) {
		fprintf(stderr, "iopstop: %s: %s\n", o->replay, m->lines == 0 ?
			"the file is empty, nothing to replay" :
			"neither an strace log nor an iopstop recording");
		status = 1;
		nothing = 1;
	} else if (o->mode == MODE_REPLAY && ((m->unparsed && !src->recording) || src->broken)) {
		if (m->unparsed && !src->recording)
			fprintf(stderr, "iopstop: %s:%llu: not %s output "
				"(%llu of %llu lines skipped)\n", o->replay,
				(unsigned long long)src->first_bad_line,
				src->backend ? src->backend : "strace",
				(unsigned long long)m->unparsed, (unsigned long long)m->lines);
		status = 1;
	}
	/* Attached, strace failed before tracing anything (no such
	 * permission): its one line above says it all. */
	if (o->mode == MODE_PID && src->broken) {
		status = 1;
		nothing = m->lines == 0;
	}

	if (!o->quiet && !nothing)
		report_summary(stderr, m, &ri);
	if (o->json) {
		FILE *f = open_out(o->json, "--json");
		if (!f) {
			status = status ? status : 1;
		} else {
			report_json(f, m, &ri);
			if (close_out(f, o->json) < 0 && !status)
				status = 1;
		}
	}
	if (o->svg && report_svg_file(o->svg, m) < 0 && !status)
		status = 1;
	if (o->heatmap)
		report_text_heatmap(stdout, m);
	if (o->histogram)
		report_text_histogram(stdout, m);

	source_free(src);
	free(target_cmd);
	model_destroy(m);
	free(m);
	intern_free(in);
	return status;
}

/* A closed 0, 1 or 2 would be taken by our next open (the trace file, a
 * pipe), and what is meant for stdout would land there: fill the gaps
 * with /dev/null.  Returns whether stdout was closed. */
static int std_fds_fill(void)
{
	int out_closed = 0;
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		out_closed |= fd == 1;
		int n = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
		if (n >= 0 && n != fd) {
			dup2(n, fd);
			close(n);
		}
	}
	return out_closed;
}

int iopstop_main(int argc, char **argv)
{
	struct options opt;
	char err[256];
	int out_closed = std_fds_fill();
	setlocale(LC_ALL, "");
	if (options_parse(&opt, argc, argv, err, sizeof err)) {
		fprintf(stderr, "iopstop: %s (see iopstop --help)\n", err);
		return 2;
	}
	if (opt.help) {
		options_usage(stdout);
		return 0;
	}
	if (opt.version) {
		printf("iopstop %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (out_closed && ((opt.json && strcmp(opt.json, "-") == 0) || opt.batch ||
			   opt.heatmap || opt.histogram || opt.mode == MODE_LIST)) {
		fprintf(stderr, "iopstop: standard output is closed, and the report goes there\n");
		return 1;
	}
	if (opt.log && log_open(opt.log, err, sizeof err) < 0) {
		fprintf(stderr, "iopstop: %s\n", err);
		return 1;
	}
	log_msg("iopstop %s", PACKAGE_VERSION);
	log_argv("argv", argv);
	syscalls_init();
	if (opt.mode == MODE_LIST) {
		/* In a terminal: pick a process, watch it, come back. */
		if (!opt.batch && isatty(0) && isatty(1)) {
			struct proclist *pl = proclist_new();
			struct app app = {.opt = &opt};
			int pid, watched = 0;
			while (pl && (pid = ui_pick_process(&app, pl)) > 0) {
				struct options w = opt;
				w.mode = MODE_PID;
				w.pids[0] = pid;
				w.npids = 1;
				w.quiet = 1;
				run_watch(&w);
				watched = 1;
				/* Ctrl-C, SIGTERM or a hangup in the view ends it all. */
				if (atomic_load(&sampler_signal_stop))
					break;
			}
			proclist_free(pl);
			/* After a watch, a terminal that cannot be opened again is
			 * gone (a hangup): end, do not print the list to it. */
			if (pl && (pid == 0 || watched))
				return 0;
		}
		return listbatch_run(&opt, stdout);
	}

	return run_watch(&opt);
}
