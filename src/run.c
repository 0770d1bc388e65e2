/* run.c - one run: set up, watched to its end, concluded, reported; one
 * cleanup path (run_close) whatever step failed. */
#include <config.h>

#include "run.h"
#include "app.h"
#include "intern.h"
#include "jobctl.h"
#include "log.h"
#include "model.h"
#include "options.h"
#include "procfs.h"
#include "record.h"
#include "report_svg.h"
#include "report_text.h"
#include "source.h"
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the outcome ------------------------------------------------------------ */

struct run_outcome run_outcome_of(const struct run_facts *f)
{
	struct run_outcome o = {RUN_RUNNING, -1, 0};
	if (!f->done)
		return o;
	if (f->mode == MODE_REPLAY) {
		o.end = RUN_FINISHED;
		return o;
	}
	/* Attached, only the target's own exit line counts: the tracer's
	 * status (ended by our SIGTERM or -n) says nothing of the target. */
	int traced = f->trace_status >= 0;
	int st = traced || f->mode == MODE_PID ? f->trace_status : f->wait_status;
	int sig = traced ? (f->trace_signaled ? st - 128 : 0) : f->wait_signal;
	if (f->mode == MODE_PID && (f->quitting || st < 0)) {
		o.end = RUN_DETACHED;
		return o;
	}
	if (f->mode == MODE_COMMAND && !traced && f->trace_cut) {
		o.end = RUN_LOST;
		o.status = 1;
		return o;
	}
	if (st < 0) {
		o.end = f->mode == MODE_COMMAND ? RUN_LOST : RUN_DETACHED;
		o.status = f->mode == MODE_COMMAND ? 1 : -1;
		return o;
	}
	o.status = st;
	if (sig > 0 && sig < 65) {
		o.end = RUN_KILLED;
		o.signal = sig;
	} else {
		o.end = RUN_EXITED;
	}
	return o;
}

struct run_facts run_facts(const struct run *r, int quitting)
{
	const struct model *m = r->m;
	const struct source *src = r->src;
	struct run_facts f = {
		.mode = r->opt->mode,
		.done = m->source_done,
		.quitting = quitting,
		.trace_status = m->exit_status,
		.trace_signaled = m->exit_signaled,
		.wait_status = -1,
	};
	/* The source's fields are final once it has ended (the sampler sets
	 * source_done under the lock after its last poll). */
	if (f.done) {
		f.wait_status = src->exit_status;
		f.wait_signal = src->exit_signal;
		/* strace died under the command (kill -9 of strace): the trace
		 * ends there and the command's own exit status is unknown. */
		f.trace_cut = m->exit_status < 0 && src->error[0] && !src->broken &&
			      src->ops->tracer_may_die;
	}
	return f;
}

struct run_outcome run_outcome(const struct run *r, int quitting)
{
	struct run_facts f = run_facts(r, quitting);
	return run_outcome_of(&f);
}

int run_ignores_sigint(const struct run *r)
{
	char path[64], line[256];
	if (!r || !r->src || r->src->child <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/status", (int)r->src->child);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	unsigned long long ign = 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "SigIgn: %llx", &ign) == 1)
			break;
	fclose(f);
	return (ign >> (SIGINT - 1)) & 1;
}

/* ---- checks before anything starts ------------------------------------------ */

int run_check_pid(int pid, char *why, size_t len)
{
	if (pid == (int)getpid()) {
		snprintf(why, len, "PID %d is iopstop itself", pid);
		return -1;
	}
	if (!procfs_exists(pid)) {
		snprintf(why, len, "no process with PID %d", pid);
		return -1;
	}
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	if (f) {
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = '\0';
		const char *paren = strrchr(buf, ')');	/* the name may hold ')' */
		if (paren && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X')) {
			snprintf(why, len, "PID %d is a zombie: it has ended, and only its "
				 "parent's wait is missing", pid);
			return -1;
		}
	}
	long uid = procfs_status(pid, "Uid");
	if (geteuid() != 0 && uid >= 0 && uid != (long)geteuid()) {
		snprintf(why, len, "PID %d belongs to another user (uid %ld): no permission "
			 "to watch it", pid, uid);
		return -1;
	}
	return 0;
}

/* Can a report go to path?  Checked before the run, so that a typo in
 * --json=FILE costs one line, not the whole run. */
static int run_out_check(const char *path, const char *what)
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

/* ---- the command's output file ------------------------------------------------ */

static int run_fail(struct run *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
	fprintf(stderr, "iopstop: %s\n", r->error);
	return -1;
}

/* A directory only we may enter: ours, no access for group or others. */
static int run_dir_private(const char *dir)
{
	struct stat st;
	return dir && *dir == '/' && lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	       st.st_uid == geteuid() && !(st.st_mode & 077);
}

/* While the view is up the command writes to a file, never the screen:
 * -o FILE (appended to; never through a symbolic link, so that one planted
 * there cannot redirect it), else a new file created race-free (O_EXCL,
 * O_NOFOLLOW, 0600) in $XDG_RUNTIME_DIR or a new private directory under
 * $TMPDIR, so that nobody else on a shared node can read or redirect it. */
static int run_out_open(struct run *r)
{
	const struct options *o = r->opt;
	const int flags = O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC;
	if (o->output) {
		r->out_fd = open(o->output, flags, 0600);
		if (r->out_fd < 0 && errno == ELOOP)
			return run_fail(r, "-o %.300s is a symbolic link: name the file it "
					"points to instead", o->output);
		if (r->out_fd < 0)
			return run_fail(r, "-o %.300s: %s", o->output, strerror(errno));
		snprintf(r->out_path, sizeof r->out_path, "%s", o->output);
		return 0;
	}
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	if (run_dir_private(xdg) && strlen(xdg) < 4000) {
		snprintf(r->out_path, sizeof r->out_path, "%s/iopstop-%ld.out", xdg,
			 (long)getpid());
		r->out_fd = open(r->out_path, flags | O_EXCL, 0600);
	}
	if (r->out_fd < 0) {
		const char *tmp = getenv("TMPDIR");
		if (!tmp || *tmp != '/' || strlen(tmp) > 4000)
			tmp = "/tmp";
		snprintf(r->out_dir, sizeof r->out_dir, "%s/iopstop-XXXXXX", tmp);
		if (!mkdtemp(r->out_dir)) {
			int e = errno;
			r->out_dir[0] = '\0';
			return run_fail(r, "cannot create a directory for the command's output "
					"in %.300s: %s", tmp, strerror(e));
		}
		snprintf(r->out_path, sizeof r->out_path, "%.4000s/command.out", r->out_dir);
		r->out_fd = open(r->out_path, flags | O_EXCL, 0600);
	}
	if (r->out_fd < 0)
		return run_fail(r, "%.300s: %s", r->out_path, strerror(errno));
	r->out_ours = 1;
	return 0;
}

/* At the end: an output file we made and that stayed empty goes. */
static void run_out_close(struct run *r)
{
	if (r->out_fd < 0)
		return;
	struct stat st;
	if (r->out_ours && fstat(r->out_fd, &st) == 0 && st.st_size == 0) {
		unlink(r->out_path);
		r->ri.output = NULL;
	}
	close(r->out_fd);
	r->out_fd = -1;
	if (r->out_dir[0])
		rmdir(r->out_dir);	/* fails, rightly, when the file stayed */
}

/* ---- set-up ------------------------------------------------------------------ */

/* Attached, a hangup detaches unless a report file is due (--json, --svg,
 * -w): then, as always with a command, the run goes on to its natural end
 * and writes it. */
int run_hup_stops(const struct options *o)
{
	return o->mode != MODE_COMMAND && !o->json && !o->svg && !o->record;
}

/* Checks that cost nothing, the model, and which source watches. */
static int run_open(struct run *r, const struct options *o)
{
	memset(r, 0, sizeof *r);
	r->opt = o;
	r->out_fd = -1;
	r->status = 1;
	r->interval_us = (int64_t)(o->delay * 1e6 + 0.5);
	if (run_out_check(o->json, "--json") < 0 || run_out_check(o->svg, "--svg") < 0 ||
	    run_out_check(o->csv_file, "--csv") < 0)
		return -1;
	for (int i = 0; o->mode == MODE_PID && i < o->npids; i++) {
		char why[256];
		if (run_check_pid(o->pids[i], why, sizeof why) < 0)
			return run_fail(r, "%s", why);
	}
	r->in = intern_new();
	r->m = r->in ? model_new(r->in, r->interval_us) : NULL;
	if (!r->m)
		return run_fail(r, "out of memory");
	if (o->npaths)
		r->m->path_prefixes = o->paths;
	r->m->kinds = o->kinds;
	r->m->skip_tids = o->skip_tids;
	r->m->nskip_tids = o->nskip_tids;

	char why[512];
	const struct source_ops *ops = source_pick(o, why, sizeof why);
	if (!ops)
		return run_fail(r, "%s", why);
	if (why[0])
		fprintf(stderr, "iopstop: %s\n", why);
	if (o->mode == MODE_REPLAY)
		log_msg("source: %s; replaying %s", ops->backend ? ops->backend : ops->name,
			o->replay);
	else
		log_msg("source: %s%s%s", ops->name, why[0] ? "; " : "", why);
	r->src = source_new(ops, o, r->in);
	if (!r->src)
		return run_fail(r, "out of memory");
	return 0;
}

/* The view or not, the command's streams and group, the signal manners,
 * the recorder; then the source starts. */
static int run_start(struct run *r)
{
	const struct options *o = r->opt;
	char why[512];
	/* The view needs the terminal to itself: --stdin gives it to the
	 * command instead, and an unusable terminal type says so once. */
	/* A replay on a terminal opens the view too: the same views. */
	r->view = !o->batch && !o->use_stdin && isatty(0) && isatty(1);
	if (r->view && !ui_usable(why, sizeof why)) {
		fprintf(stderr, "iopstop: %s: running without the view\n", why);
		r->view = 0;
	}
	if (o->mode == MODE_COMMAND) {
		if (r->view && run_out_open(r) < 0)
			return -1;
		r->src->out_fd = r->out_fd;
		/* Without the view the command keeps our stdout and stderr; the
		 * terminal as input only with --stdin (a background group that
		 * read it would be stopped). */
		r->src->in_null = r->view || (!o->use_stdin && isatty(0));
	}
	/* A command, or the strace attached to -p, in a group of its own so
	 * that a hangup never reaches it; with --stdin the command reads the
	 * terminal, so it stays in our (the terminal's foreground) group. */
	r->src->own_group = !(o->mode == MODE_COMMAND && o->use_stdin);
	jobctl_install(o->mode == MODE_COMMAND, r->view, run_hup_stops(o));

	if (o->record) {
		char err[512];
		r->rec = recorder_open(o->record, o->force,
				       o->mode == MODE_COMMAND ? o->command : NULL, source_backend(r->src),
				       err, sizeof err);
		if (!r->rec)
			return run_fail(r, "%s", err);
		recorder_set_bins(r->rec, o->record_bins);
	}
	if (r->src->ops->start(r->src) < 0) {
		if (r->src->exit_status > 0)
			r->status = r->src->exit_status;
		return run_fail(r, "%s", r->src->error);
	}
	if (!r->src->ready_later)
		source_ready(r->src);
	if (r->src->child)
		log_msg("started command PID %d", (int)r->src->child);
	/* A recording replays in the intervals it was recorded with. */
	if (r->src->interval_us >= 50000 && r->src->interval_us <= 60000000 && !o->delay_set) {
		r->interval_us = r->src->interval_us;
		r->m->interval_us = r->interval_us;
	}
	if (r->src->live || r->src->start_us)	/* a recording knows its time 0 */
		model_set_start(r->m, r->src->start_us);
	return 0;
}

/* The sampler thread, and what the reports say of the run. */
static int run_sample(struct run *r)
{
	const struct options *o = r->opt;
	r->batch = (struct batch){.out = o->csv_file ? NULL : stdout, .path = o->csv_file,
				  .src = r->src, .csv = o->csv, .limit = o->iterations};
	r->smp = (struct sampler){
		.src = r->src, .m = r->m, .speed = o->speed, .iterations = o->iterations,
	};
	if (o->batch || o->csv_file) {
		r->smp.on_tick = batch_tick;
		r->smp.ctx = &r->batch;
	}
	r->m->origins = r->src->origins;	/* rank-imbalance names hosts and ranks */
	if (r->rec) {
		r->smp.on_batch = recorder_batch;
		r->smp.batch_ctx = r->rec;
	}
	/* The terminal's signals are for the thread that owns the terminal
	 * (its getch() wakes): the sampler thread starts with them blocked. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int started = sampler_start(&r->smp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started < 0) {
		r->src->ops->stop(r->src);	/* do not leave the command traced */
		return run_fail(r, "cannot start the sampler thread");
	}

	/* Attached, the command is the first target's, as /proc has it. */
	r->target_cmd = o->mode == MODE_PID ? procfs_cmdline(o->pids[0]) : NULL;
	r->ri = (struct run_info){
		.backend = source_backend(r->src),
		.command = o->mode == MODE_COMMAND ? o->command
			 : r->target_cmd ? r->target_cmd : r->src->command,
		.pids = o->pids,
		.npids = o->npids,
		.exit_status = -1,
		.top = o->top,
		.output = r->out_fd >= 0 ? r->out_path : NULL,
		.origins = r->src->origins,
	};
	r->status = 0;
	return 0;
}

/* ---- the loop: the view, or headless until the source ends ------------------- */

static void run_loop(struct run *r)
{
	struct app app = {r->opt, r->in, r->m, r->src, &r->smp, &r->ri, r};
	if (r->view)
		ui_run(&app);	/* < 0: the terminal failed; wait headless */
	sampler_join(&r->smp);
	jobctl_forget();
}

/* ---- the conclusion: the outcome and what went wrong ------------------------- */

static void run_conclude(struct run *r)
{
	const struct options *o = r->opt;
	struct model *m = r->m;
	struct source *src = r->src;
	struct run_facts facts = run_facts(r, 0);
	struct run_outcome out = run_outcome_of(&facts);
	if (o->mode == MODE_COMMAND) {
		r->status = out.status >= 0 ? out.status : 1;
		if (out.end == RUN_LOST && facts.trace_cut)
			fprintf(stderr, "iopstop: %s before the command ended: the trace "
				"stops there, the command's exit status is unknown\n",
				src->error);
		r->ri.exit_status = r->status;
	} else if (o->mode == MODE_REPLAY) {
		r->ri.exit_status = m->exit_status;
	}
	r->ri.elapsed_s = model_elapsed_s(m);
	r->ri.clock = source_clock(src);
	if (r->ri.clock != SRC_CLOCK_US && m->lines > m->unparsed)
		fprintf(stderr, "iopstop: %s: %s\n", o->replay, r->ri.clock == SRC_CLOCK_NONE
			? "the log has no timestamps (strace without -t, -tt, -ttt or -r): "
			  "rates unknown" : "the timestamps are whole seconds (strace -t): "
			  "the time is rounded up to whole seconds");
	log_msg("ended after %.3f s: %llu lines, %llu unparsed (first at line %llu), "
		"%llu unfinished; exit status %d%s%s", r->ri.elapsed_s,
		(unsigned long long)m->lines, (unsigned long long)m->unparsed,
		(unsigned long long)src->first_bad_line, (unsigned long long)src->unfinished,
		r->status, src->error[0] ? "; " : "", src->error);
	if (r->rec) {
		if (recorder_close(r->rec) < 0 && !r->status)
			r->status = 1;
		r->rec = NULL;
	}
	if (batch_close(&r->batch) < 0 && !r->status)
		r->status = 1;
	/* What only the source knows (storage bytes, the kernel check). */
	source_conclude(src, &r->ri, m->exit_status >= 0);
	if (src->error[0] && (src->broken || o->mode != MODE_COMMAND))
		fprintf(stderr, "iopstop: %s\n", src->error);
	/* Nothing at all to replay: one line says why, and no summary. */
	if (o->mode == MODE_REPLAY && !src->recording && !src->broken &&
	    (m->lines == 0 || m->unparsed == m->lines)) {
		fprintf(stderr, "iopstop: %s: %s\n", o->replay, m->lines == 0 ?
			"the file is empty, nothing to replay" :
			"neither an strace log nor an iopstop recording");
		r->status = 1;
		r->nothing = 1;
	} else if (o->mode == MODE_REPLAY && ((m->unparsed && !src->recording) || src->broken)) {
		if (m->unparsed && !src->recording)
			fprintf(stderr, "iopstop: %s:%llu: not %s output "
				"(%llu of %llu lines skipped)\n", o->replay,
				(unsigned long long)src->first_bad_line,
				src->backend ? src->backend : "strace",
				(unsigned long long)m->unparsed, (unsigned long long)m->lines);
		r->status = 1;
	}
	/* Attached, strace failed before tracing anything (no such
	 * permission): its one line above says it all. */
	if (o->mode == MODE_PID && src->broken) {
		r->status = 1;
		r->nothing = m->lines == 0;
	}
	run_out_close(r);
	if (r->ri.output && o->quiet)
		fprintf(stderr, "iopstop: the command's output is in %s\n", r->ri.output);
}

/* ---- the reports ------------------------------------------------------------- */

static FILE *run_report_open(const char *path, const char *what)
{
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "iopstop: %s %s: %s\n", what, path, strerror(errno));
	return f;
}

static int run_report_close(FILE *f, const char *path)
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

static void run_report(struct run *r)
{
	const struct options *o = r->opt;
	if (!o->quiet && !r->nothing)
		report_summary(stderr, r->m, &r->ri);
	if (o->json) {
		FILE *f = run_report_open(o->json, "--json");
		if (!f) {
			r->status = r->status ? r->status : 1;
		} else {
			report_json(f, r->m, &r->ri);
			if (run_report_close(f, o->json) < 0 && !r->status)
				r->status = 1;
		}
	}
	if (o->svg && report_svg_file(o->svg, r->m, &r->ri) < 0 && !r->status)
		r->status = 1;
	if (o->heatmap)
		report_text_heatmap(stdout, r->m);
	if (o->histogram)
		report_text_histogram(stdout, r->m);
}

/* ---- the one cleanup path ------------------------------------------------------ */

static void run_close(struct run *r)
{
	if (r->smp.started) {
		sampler_stop(&r->smp);
		sampler_join(&r->smp);
	}
	jobctl_forget();
	recorder_close(r->rec);
	run_out_close(r);
	source_free(r->src);	/* stops what it still traces */
	free(r->target_cmd);
	model_free(r->m);
	intern_free(r->in);
}

int run_watch(const struct options *o, char *why, size_t len)
{
	struct run r;
	if (run_open(&r, o) == 0 && run_start(&r) == 0 && run_sample(&r) == 0) {
		run_loop(&r);
		run_conclude(&r);
		run_report(&r);
	} else if (why) {
		snprintf(why, len, "%s", r.error);
	}
	int status = r.status;
	run_close(&r);
	return status;
}
