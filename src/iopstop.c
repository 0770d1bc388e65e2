/* iopstop.c - the program: options, then the process list or one run (run.c). */
#include <config.h>

#include "iopstop.h"
#include "app.h"
#include "listbatch.h"
#include "log.h"
#include "options.h"
#include "outpath.h"
#include "proclist.h"
#include "run.h"
#include "sampler.h"
#include "syscalls.h"
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	/* A hangup while we start (a connection dropped at once) must not
	 * kill us before the run decides what a hangup means: it waits,
	 * blocked, until jobctl_install (run.c) sets that. */
	if (opt.mode == MODE_COMMAND || opt.mode == MODE_PID) {
		sigset_t hup;
		sigemptyset(&hup);
		sigaddset(&hup, SIGHUP);
		sigprocmask(SIG_BLOCK, &hup, NULL);
	}
	struct outpath_env oenv;	/* %h %p %r %j in output paths */
	outpath_env_get(&oenv);
	char rec_path[OUTPATH_MAX], json_path[OUTPATH_MAX], svg_path[OUTPATH_MAX],
		csv_path[OUTPATH_MAX];
	if (outpath_apply(&opt.record, rec_path, "-w", &oenv, err, sizeof err) < 0 ||
	    outpath_apply(&opt.json, json_path, "--json", &oenv, err, sizeof err) < 0 ||
	    outpath_apply(&opt.svg, svg_path, "--svg", &oenv, err, sizeof err) < 0 ||
	    outpath_apply(&opt.csv_file, csv_path, "--csv", &oenv, err, sizeof err) < 0) {
		fprintf(stderr, "iopstop: %s\n", err);
		return 2;
	}
	if (out_closed && ((opt.json && strcmp(opt.json, "-") == 0) || opt.batch ||
			   opt.heatmap || opt.histogram || opt.mode == MODE_LIST)) {
		fprintf(stderr, "iopstop: standard output is closed, and the report goes there\n");
		return 1;
	}
	/* --ready-fd: never handed on to strace or the command. */
	if (opt.ready_fd >= 0 && fcntl(opt.ready_fd, F_SETFD, FD_CLOEXEC) < 0) {
		fprintf(stderr, "iopstop: --ready-fd=%d: not an open descriptor\n", opt.ready_fd);
		return 2;
	}
	if (opt.log && log_open(opt.log, err, sizeof err) < 0) {
		fprintf(stderr, "iopstop: %s\n", err);
		return 1;
	}
	log_msg("iopstop %s", PACKAGE_VERSION);
	log_argv("argv", argv);
	if (opt.mode == MODE_LIST) {
		/* In a terminal: pick a process, watch it, come back. */
		if (!opt.batch && isatty(0) && isatty(1)) {
			struct proclist *pl = proclist_new();
			struct app app = {.opt = &opt};
			int pid, watched = 0;
			char why[512] = "";
			while (pl && (pid = ui_pick_process(&app, pl, why)) > 0) {
				struct options w = opt;
				w.mode = MODE_PID;
				w.pids[0] = pid;
				w.npids = 1;
				w.quiet = 1;
				/* A process that cannot be watched: the list says why. */
				why[0] = '\0';
				if (run_check_pid(pid, why, sizeof why) < 0)
					continue;
				run_watch(&w, why, sizeof why);
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

	return run_watch(&opt, NULL, 0);
}
