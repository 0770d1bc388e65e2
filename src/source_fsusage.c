/* source_fsusage.c - macOS: watch a command or processes with fs_usage.
 *
 * fs_usage needs root.  Unless iopstop is root, it first runs `sudo -v`
 * in the foreground, saying so before sudo may ask for a password, so a
 * refusal is caught (and explained) before anything starts.  Then
 *
 *   sudo -n sh -c 'fs_usage -w -f filesys "$@" & (read x; kill -TERM $!) ...' PID...
 *
 * runs with its output on a pipe to us and its input on another: when that
 * one closes (stop, or iopstop dying by any signal) the root fs_usage is
 * ended by the wrapper, which we could not signal ourselves.  With `--`
 * the command is forked first and held on a pipe until fs_usage has had
 * FSU_SETTLE_MS to start, so its first calls are seen.
 *
 * Only POSIX here: this file builds on Linux too, where tests run it with
 * a stand-in fs_usage ($IOPSTOP_FS_USAGE; $IOPSTOP_SUDO names sudo, empty
 * for none).  fs_usage follows the pids it is given, not their children. */
#include <config.h>

#include "source.h"
#include "fsusage_parse.h"
#include "linebuf.h"
#include "options.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef __APPLE__
#include <libproc.h>
#endif

#define FSU_SETTLE_MS 500	/* fs_usage's start-up (kdebug setup): a guess */
#define FSU_MAX_PIDS 32		/* fs_usage's own limit */

struct fsu_src {
	struct fsusage_parser *parser;
	struct linebuf lb;
	int out;		/* fs_usage's output */
	int err;		/* its standard error */
	int ctl;		/* the wrapper's input: closed = end fs_usage */
	pid_t fs_pid;
	int fs_status;
	int eof;
	int child_done;
	char errtext[256];	/* what fs_usage or sudo said */
	size_t errlen;
};

static const char *sudo_prog(void)
{
	const char *s = getenv("IOPSTOP_SUDO");
	if (s)
		return *s ? s : NULL;
	return geteuid() == 0 ? NULL : "sudo";
}

static const char *fsusage_prog(void)
{
	const char *s = getenv("IOPSTOP_FS_USAGE");
	return s && *s ? s : "fs_usage";
}

/* Run argv in the foreground; its exit status, 127 if it cannot run. */
static int run_wait(char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		return 127;
	if (pid == 0) {
		source_child_signals();
		execvp(argv[0], argv);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 127;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Local midnight of today on the wall clock: fs_usage stamps are times
 * of day. */
static int64_t midnight_us(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000000;
}

/* The name fs_usage prints for pid (proc_name on macOS). */
static int pid_name(pid_t pid, char *buf, size_t len)
{
#ifdef __APPLE__
	return proc_name(pid, buf, (uint32_t)len) > 0 ? 0 : -1;
#else
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ok ? 0 : -1;
#endif
}

/* Keep the first words fs_usage or sudo wrote to stderr. */
static void read_err(struct fsu_src *f)
{
	while (f->err >= 0 && f->errlen < sizeof f->errtext - 1) {
		ssize_t n = read(f->err, f->errtext + f->errlen, sizeof f->errtext - 1 - f->errlen);
		if (n <= 0)
			break;
		f->errlen += (size_t)n;
	}
	f->errtext[f->errlen] = '\0';
	f->errtext[strcspn(f->errtext, "\n")] = '\0';
}

static int fsu_fail(struct source *s, const char *fmt, const char *what)
{
	snprintf(s->error, sizeof s->error, fmt, what);
	return -1;
}

/* Fork the command, held until *gate is closed. */
static pid_t fork_command(struct source *s, int *gate)
{
	int g[2];
	if (pipe(g) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(g[0]);
		close(g[1]);
		return -1;
	}
	if (pid == 0) {
		char c;
		close(g[1]);
		source_child_signals();
		while (read(g[0], &c, 1) < 0 && errno == EINTR)
			;
		close(g[0]);
		execvp(s->opt->command[0], s->opt->command);
		fprintf(stderr, "iopstop: %s: %s\n", s->opt->command[0], strerror(errno));
		_exit(127);
	}
	close(g[0]);
	/* Only we may hold the gate: fs_usage's wrapper must not inherit it. */
	fcntl(g[1], F_SETFD, FD_CLOEXEC);
	*gate = g[1];
	return pid;
}

static int fsu_spawn(struct source *s, struct fsu_src *f, const int *pids, int npids)
{
	/* The reader gets stdin as fd 3: sh gives background jobs /dev/null.
	 * It ends fs_usage when we close ctl; the wrapper ends with fs_usage. */
	static const char script[] =
		"exec 3<&0; \"$0\" -w -f filesys \"$@\" & p=$!; "
		"(read x <&3; kill -TERM $p) >/dev/null 2>&1 & r=$!; exec 3<&-; "
		"wait $p; s=$?; kill $r 2>/dev/null; exit $s";
	const char *sudo = sudo_prog();
	char *argv[8 + FSU_MAX_PIDS];
	char pidbuf[FSU_MAX_PIDS][16];
	int a = 0;
	if (sudo) {
		argv[a++] = (char *)sudo;
		argv[a++] = "-n";	/* credentials were checked by sudo -v */
	}
	argv[a++] = "/bin/sh";
	argv[a++] = "-c";
	argv[a++] = (char *)script;
	argv[a++] = (char *)fsusage_prog();
	for (int i = 0; i < npids && i < FSU_MAX_PIDS; i++) {
		snprintf(pidbuf[i], sizeof pidbuf[i], "%d", pids[i]);
		argv[a++] = pidbuf[i];
	}
	argv[a] = NULL;

	int out[2], err[2], ctl[2];
	if (pipe(out) < 0)
		return fsu_fail(s, "cannot make a pipe: %s", strerror(errno));
	if (pipe(err) < 0 || pipe(ctl) < 0)
		return fsu_fail(s, "cannot make a pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		return fsu_fail(s, "cannot fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(ctl[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		for (int i = 0; i < 2; i++) {
			close(out[i]);
			close(err[i]);
			close(ctl[i]);
		}
		source_child_signals();
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	close(ctl[0]);
	fcntl(out[0], F_SETFD, FD_CLOEXEC);
	fcntl(err[0], F_SETFD, FD_CLOEXEC);
	fcntl(ctl[1], F_SETFD, FD_CLOEXEC);
	fcntl(err[0], F_SETFL, O_NONBLOCK);
	f->out = out[0];
	f->err = err[0];
	f->ctl = ctl[1];
	f->fs_pid = pid;
	return 0;
}

/* Did fs_usage end during its start-up?  Explains why, when it did. */
static int fsu_failed_early(struct source *s, struct fsu_src *f)
{
	int st;
	pid_t r = waitpid(f->fs_pid, &st, WNOHANG);
	if (r != f->fs_pid)
		return 0;
	f->fs_pid = -1;
	read_err(f);
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (strstr(f->errtext, "must be run as root"))
		fsu_fail(s, "fs_usage must be run as root, and sudo did not make it so (%s)",
			 f->errtext);
	else if (strstr(f->errtext, "password is required"))
		fsu_fail(s, "sudo wants a password again (%s): run iopstop again", f->errtext);
	else if (code == 127)
		fsu_fail(s, "cannot run fs_usage (%s): it comes with macOS, in /usr/bin",
			 f->errtext[0] ? f->errtext : "not found");
	else
		snprintf(s->error, sizeof s->error, "fs_usage ended at once (status %d)%s%s",
			 code, f->errtext[0] ? ": " : "", f->errtext);
	return 1;
}

static int fsu_start(struct source *s)
{
	struct fsu_src *f = calloc(1, sizeof *f);
	if (!f)
		return fsu_fail(s, "%s", "out of memory");
	s->priv = f;
	f->out = f->err = f->ctl = -1;
	f->fs_pid = -1;
	linebuf_init(&f->lb);
	f->parser = fsusage_parser_new(s->in);
	if (!f->parser)
		return fsu_fail(s, "%s", "out of memory");

	const char *sudo = sudo_prog();
	if (sudo) {
		fprintf(stderr, "iopstop: fs_usage needs root: running it through %s "
			"(it may ask for your password)\n", sudo);
		char *argv[] = {(char *)sudo, "-v", NULL};
		int st = run_wait(argv);
		if (st == 127)
			return fsu_fail(s, "cannot run %s: fs_usage needs root (run iopstop "
					"as root instead)", sudo);
		if (st != 0)
			return fsu_fail(s, "%s refused (no password, or no sudo rights): fs_usage "
					"needs root; ask for sudo rights or run iopstop as root",
					sudo);
	}

	int pids[FSU_MAX_PIDS], npids = 0, gate = -1;
	if (s->opt->mode == MODE_COMMAND) {
		pid_t c = fork_command(s, &gate);
		if (c < 0)
			return fsu_fail(s, "cannot start the command: %s", strerror(errno));
		s->child = c;
		pids[npids++] = c;
	} else {
		if (s->opt->npids > FSU_MAX_PIDS)
			return fsu_fail(s, "%s", "fs_usage watches at most 32 processes");
		for (int i = 0; i < s->opt->npids; i++)
			pids[npids++] = s->opt->pids[i];
	}
	/* fs_usage names commands, not pids: teach the parser which is which. */
	if (npids == 1) {
		fsusage_parser_default_pid(f->parser, pids[0]);
	}
	for (int i = 0; i < npids; i++) {
		char name[256];
		if (s->child && i == 0) {
			const char *b = strrchr(s->opt->command[0], '/');
			snprintf(name, sizeof name, "%s", b ? b + 1 : s->opt->command[0]);
		} else if (pid_name(pids[i], name, sizeof name) < 0) {
			continue;
		}
		fsusage_parser_learn(f->parser, name, strlen(name), pids[i]);
	}
	fsusage_parser_set_day(f->parser, midnight_us());
	s->live = 1;
	s->start_us = source_wall_us();

	if (fsu_spawn(s, f, pids, npids) < 0) {
		if (gate >= 0) {
			kill(s->child, SIGKILL);
			close(gate);
		}
		return -1;
	}
	/* Let fs_usage start (or fail) before the command runs. */
	struct pollfd pf = {.fd = f->err, .events = POLLIN};
	int64_t until = source_wall_us() + FSU_SETTLE_MS * 1000;
	while (source_wall_us() < until && !fsu_failed_early(s, f))
		poll(&pf, 1, 20);
	if (f->fs_pid < 0) {
		if (gate >= 0) {
			kill(s->child, SIGKILL);
			close(gate);
			waitpid(s->child, NULL, 0);
			s->child = 0;
		}
		return -1;
	}
	if (gate >= 0)
		close(gate);	/* the command runs */
	return 0;
}

/* The command ended: its status, then fs_usage is told to end. */
static void fsu_reap_child(struct source *s, struct fsu_src *f)
{
	if (!s->child || f->child_done)
		return;
	int st;
	if (waitpid(s->child, &st, WNOHANG) != s->child)
		return;
	f->child_done = 1;
	s->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	s->exit_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	if (f->ctl >= 0) {
		close(f->ctl);
		f->ctl = -1;
	}
}

static int fsu_poll(struct source *s, struct io_event *ev, size_t cap, int timeout_ms)
{
	struct fsu_src *f = s->priv;
	for (;;) {
		int n = source_parse_fsusage(s, &f->lb, f->parser, ev, cap, f->eof);
		if (n > 0)
			return n;
		if (f->eof)
			return -1;
		fsu_reap_child(s, f);
		struct pollfd pf = {.fd = f->out, .events = POLLIN};
		int r = poll(&pf, 1, s->child && !f->child_done && timeout_ms > 100 ? 100 : timeout_ms);
		if (r < 0 && errno != EINTR) {
			f->eof = 1;
			continue;
		}
		if (r <= 0) {
			if (s->child && !f->child_done && timeout_ms > 100) {
				timeout_ms -= 100;
				continue;
			}
			return 0;
		}
		ssize_t got = linebuf_fill(&f->lb, f->out, NULL);
		if (got > 0)
			continue;
		/* fs_usage ended: expected after stop or the command's end. */
		f->eof = 1;
		if (f->fs_pid > 0) {
			waitpid(f->fs_pid, &f->fs_status, 0);
			f->fs_pid = -1;
			read_err(f);
			int code = WIFEXITED(f->fs_status) ? WEXITSTATUS(f->fs_status) : 0;
			if (f->ctl >= 0 && code) {
				snprintf(s->error, sizeof s->error, "fs_usage ended (status %d)%s%s",
					 code, f->errtext[0] ? ": " : "", f->errtext);
				s->broken = 1;
			}
		}
		if (s->child && !f->child_done) {
			int st;
			if (waitpid(s->child, &st, 0) == s->child) {
				f->child_done = 1;
				s->exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
				s->exit_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
			}
		}
	}
}

static void fsu_stop(struct source *s)
{
	struct fsu_src *f = s->priv;
	if (!f)
		return;
	if (s->child > 0 && !f->child_done) {
		kill(s->child, SIGTERM);	/* as timeout(1) would; then fs_usage ends */
		return;
	}
	if (f->ctl >= 0) {
		close(f->ctl);
		f->ctl = -1;
	}
}

static void fsu_free(struct source *s)
{
	struct fsu_src *f = s->priv;
	if (!f)
		return;
	if (f->ctl >= 0)
		close(f->ctl);
	if (f->out >= 0)
		close(f->out);
	if (f->err >= 0)
		close(f->err);
	if (f->fs_pid > 0)
		waitpid(f->fs_pid, NULL, 0);	/* the wrapper ends it: ctl closed */
	linebuf_free(&f->lb);
	fsusage_parser_free(f->parser);
	free(f);
	s->priv = NULL;
}

/* On Linux a stand-in for tests, only when asked for by name. */
static int fsu_probe(const struct options *o, int asked, char *why, size_t len)
{
	(void)o;
	(void)why;
	(void)len;
#ifdef PLATFORM_LINUX
	return asked;
#else
	(void)asked;
	return 1;
#endif
}

const struct source_ops source_fsusage_ops = {
	.name = "fs_usage",
	.asked_by = BACKEND_FSUSAGE,
	.probe = fsu_probe,
	.start = fsu_start,
	.poll = fsu_poll,
	.stop = fsu_stop,
	.free = fsu_free,
};
