/* source_strace.c - run a command (or attach) under strace and read its
 * trace as it grows.
 *
 * Channel: strace writes to an unlinked temporary file that we read with
 * pread as it grows.  Measured here, a pipe made the traced program about
 * 1.5x slower than a file (strace blocks on a full pipe and pays a wakeup
 * per write); the file never blocks strace and loses nothing.  The file is
 * unlinked at once (strace opens it through /proc/PID/fd/N), so nothing is
 * left behind, and the part already read is punched out so that a long
 * run does not fill the disk. */
#include <config.h>

#include "source.h"
#include "report.h"
#include "log.h"
#include "intern.h"
#include "linebuf.h"
#include "options.h"
#include "procfs.h"
#include "strace_parse.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/falloc.h>
#include <sys/prctl.h>
#endif

#define PUNCH_EVERY (64 * 1024 * 1024)
/* Naps between looks at an idle trace file: from NAP_MIN_US (strace
 * writes in bursts; 20 ms keeps up), doubling while nothing comes, up to
 * the caller's timeout.  Each wakeup costs tens of microseconds on a VM,
 * so a fixed 20 ms nap was ~0.5% of a core for an idle program. */
#define NAP_MIN_US 20000

struct strace_src {
	struct strace_parser *parser;
	struct linebuf lb;
	int fd;			/* the trace file */
	off_t off;		/* how far we have read */
	off_t punched;
	pid_t strace_pid;
	int strace_status;
	int strace_done;
	int draining;		/* strace ended: read to the end, then stop */
	int pidfd;		/* strace's pidfd: readable when it ends, or -1 */
	int64_t nap_us;		/* next nap while idle */
	int stopping;
	int named;		/* -p targets' names sent to the model */
	int errfd;		/* attached: strace's stderr (a temp file), or -1 */
	int *wait_tids;		/* --ready-fd: the threads to see seized */
	int nwait;
};

static int strace_find(char *out, size_t len)
{
	const char *env = getenv("IOPSTOP_STRACE");
	return source_path_search(env && *env ? env : "strace", out, len);
}

/* Threads that exist when we attach never appear in a clone() line, so
 * tell the parser which process each belongs to. */
static void learn_threads(struct strace_src *st, const struct options *o)
{
	int tids[4096];
	for (int i = 0; i < o->npids; i++) {
		int n = procfs_tasks(o->pids[i], tids, 4096);
		for (int k = 0; k < n; k++) {
			strace_parser_learn(st->parser, tids[k], o->pids[i]);
			if (o->ready_fd < 0)
				continue;
			int *w = realloc(st->wait_tids, (size_t)(st->nwait + 1) * sizeof *w);
			if (w) {
				st->wait_tids = w;
				w[st->nwait++] = tids[k];
			}
		}
	}
}

/* Has strace seized every thread the -p targets had when we started?
 * strace sets TracerPid as it seizes each one and interrupts it at once,
 * so from then on each thread's next call is traced (the first thread
 * seized is the target's main thread; only the last one seized has a
 * window of one ptrace call).  A thread gone since counts as seized;
 * threads born later are either traced from birth (-f) or were born of a
 * thread strace had not seized yet, and cannot be waited for.  strace
 * prints nothing we could wait for under -q. */
static int st_attached(const struct strace_src *st)
{
	for (int i = 0; i < st->nwait; i++) {
		long tracer = procfs_status(st->wait_tids[i], "TracerPid");
		if (tracer >= 0 && tracer != (long)st->strace_pid)
			return 0;
	}
	return 1;
}

/* strace's version as major*100+minor, 0 if it cannot be run. */
static int strace_version(const char *strace)
{
	int fds[2];
	if (pipe(fds) < 0)
		return 0;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 2);
		execl(strace, strace, "-V", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char buf[256] = "";
	size_t got = 0;
	ssize_t n;
	while (got < sizeof buf - 1 &&
	       (n = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fds[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	const char *v = strstr(buf, "version ");
	int major = 0, minor = 0;
	if (!v || sscanf(v + 8, "%d.%d", &major, &minor) < 1)
		return 0;
	return major * 100 + minor;
}

/* strace -V costs a fork and an exec (15-25 ms, a third of start-up), so
 * its answer is kept in $XDG_CACHE_HOME/iopstop/strace-version (else
 * ~/.cache/...) under the binary's path, inode, size and mtime.  No cache
 * (no home, read-only): ask every time. */
static int cache_path(char *out, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n = xdg && *xdg == '/' ? snprintf(out, len, "%s/iopstop", xdg)
		: home && *home == '/' ? snprintf(out, len, "%s/.cache/iopstop", home) : -1;
	return n > 0 && (size_t)n + sizeof "/strace-version.XXXXXX" < len ? n : -1;
}

static int strace_version_cached(const char *strace)
{
	struct stat sb;
	char key[4200], dir[4096], line[4300];
	if (stat(strace, &sb) < 0)
		return strace_version(strace);
	snprintf(key, sizeof key, "%s\t%llu %lld %lld.%09ld", strace,
		 (unsigned long long)sb.st_ino, (long long)sb.st_size,
		 (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec);
	int dl = cache_path(dir, sizeof dir);
	if (dl < 0)
		return strace_version(strace);
	char path[4200];
	snprintf(path, sizeof path, "%s/strace-version", dir);
	FILE *f = fopen(path, "re");
	if (f) {
		size_t kl = strlen(key);
		int v = 0;
		if (fgets(line, sizeof line, f) && !strncmp(line, key, kl) &&
		    line[kl] == '\t' && sscanf(line + kl + 1, "%d", &v) == 1 && v > 0) {
			fclose(f);
			return v;
		}
		fclose(f);
	}
	int v = strace_version(strace);
	if (v <= 0)
		return v;
	/* Write a temporary file and rename it: a reader never sees half. */
	char *slash = strrchr(dir, '/');
	*slash = '\0';
	mkdir(dir, 0700);
	*slash = '/';
	mkdir(dir, 0700);
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s/strace-version.XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return v;
	int n = dprintf(fd, "%s\t%d\n", key, v);
	if (close(fd) < 0 || n < 0 || rename(tmp, path) < 0)
		unlink(tmp);
	return v;
}

static int st_start(struct source *s)
{
	const struct options *o = s->opt;
	struct strace_src *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	s->priv = st;
	st->fd = -1;
	st->pidfd = -1;
	st->errfd = -1;
	st->nap_us = NAP_MIN_US;
	linebuf_init(&st->lb);
	st->parser = strace_parser_new(s->in);
	if (!st->parser) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	s->live = 1;

	char strace[4096], cmd[4096];
	if (o->mode == MODE_PID) {
		learn_threads(st, o);
		/* --ready-fd once st_attached; without one nobody waits
		 * (and the poll need not nap short to see it) */
		s->ready_later = o->ready_fd >= 0;
	}
	if (strace_find(strace, sizeof strace) < 0) {
		snprintf(s->error, sizeof s->error,
			 "strace not found (install the 'strace' package)");
		return -1;
	}
	int version = strace_version_cached(strace);
	if (version == 0) {
		snprintf(s->error, sizeof s->error, "%.400s does not run", strace);
		return -1;
	}
	if (o->mode == MODE_COMMAND && source_path_search(o->command[0], cmd, sizeof cmd) < 0)
		return source_command_error(s, o->command[0]);

	const char *tmp = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/iopstop-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	st->fd = mkstemp(path);
	if (st->fd < 0) {
		snprintf(s->error, sizeof s->error, "cannot create a trace file in %.300s: %s",
			 tmp && *tmp ? tmp : "/tmp", strerror(errno));
		return -1;
	}
	unlink(path);
	fcntl(st->fd, F_SETFD, FD_CLOEXEC);
	/* Attached, strace's own complaints (EPERM on attach) must neither
	 * reach the view's screen nor stay unexplained: keep them. */
	if (o->mode == MODE_PID) {
		snprintf(path, sizeof path, "%s/iopstop-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		st->errfd = mkstemp(path);
		if (st->errfd >= 0) {
			unlink(path);
			fcntl(st->errfd, F_SETFD, FD_CLOEXEC);
		}
	}
	char opath[64];
	snprintf(opath, sizeof opath, "/proc/%ld/fd/%d", (long)getpid(), st->fd);

	char trace[1200];
	snprintf(trace, sizeof trace, "trace=%s", syscalls_trace_list());
	const char *argv[32 + MAX_PIDS * 2];
	int n = 0;
	argv[n++] = strace;
	argv[n++] = "-f";
	argv[n++] = "-q";
	argv[n++] = "-ttt";
	argv[n++] = "-T";
	argv[n++] = "-y";
	argv[n++] = "-s";
	argv[n++] = "0";
	/* No lines for the everyday signals, but fatal ones stay: with
	 * signal=none strace also drops "+++ killed by SIGX +++", and the
	 * command's death by a signal would look like strace's own. */
	argv[n++] = "-e";
	argv[n++] = "signal=!SIGCHLD,SIGWINCH,SIGURG,SIGCONT";
	argv[n++] = "-e";
	argv[n++] = trace;
	/* seccomp-bpf (strace >= 5.3) keeps untraced calls from stopping the
	 * tracee; it only applies to a command strace starts. */
	if (o->mode == MODE_COMMAND && version >= 503)
		argv[n++] = "--seccomp-bpf";
	/* The command's Ctrl-Z reaches its whole process group, strace
	 * included (jobctl.h): strace must not stop, or it could not let the
	 * command stop and resume. */
	if (o->mode == MODE_COMMAND)
		argv[n++] = "-I4";
	argv[n++] = "-o";
	argv[n++] = opath;
	char pidargs[MAX_PIDS][16];
	if (o->mode == MODE_PID) {
		for (int i = 0; i < o->npids; i++) {
			snprintf(pidargs[i], sizeof pidargs[i], "%d", o->pids[i]);
			argv[n++] = "-p";
			argv[n++] = pidargs[i];
		}
	} else {
		argv[n++] = "--";
	}
	argv[n] = NULL;
	log_msg("strace version %d.%d", version / 100, version % 100);
	log_argv("strace", (char *const *)argv);

	int stdio[2];
	if (source_stdio_open(s, stdio) < 0)
		return -1;

	s->start_us = source_wall_us();
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(s->error, sizeof s->error, "fork: %s", strerror(errno));
		source_stdio_close(stdio);
		return -1;
	}
	if (pid == 0) {
		/* Undo what the parent ignores, so the command sees a normal
		 * world; strace itself blocks fatal signals while it runs. */
		source_child_signals();
		source_child_group(s);
#ifdef __linux__
		/* Attached, if iopstop dies (even by SIGKILL) strace must
		 * not go on tracing: SIGTERM makes it detach. */
		if (o->mode == MODE_PID)
			prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
		source_stdio_child(stdio);
		if (st->errfd >= 0)
			dup2(st->errfd, 2);
		size_t nc = 0;
		if (o->mode == MODE_COMMAND)
			while (o->command[nc])
				nc++;
		const char **full = calloc((size_t)n + nc + 1, sizeof *full);
		if (!full)
			_exit(126);
		memcpy(full, argv, (size_t)n * sizeof *argv);
		for (size_t i = 0; i < nc; i++)
			full[n + (int)i] = o->command[i];
		execv(strace, (char *const *)full);
		fprintf(stderr, "iopstop: %s: %s\n", strace, strerror(errno));
		_exit(126);
	}
	source_spawned(s, pid);
	source_stdio_close(stdio);
	st->strace_pid = pid;
#ifdef SYS_pidfd_open
	/* Naps end at once when strace does. */
	st->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (st->pidfd >= 0)
		fcntl(st->pidfd, F_SETFD, FD_CLOEXEC);
#endif
	return 0;
}

/* Sleep up to us microseconds; wake early when strace ends. */
static void nap(struct strace_src *st, int64_t us)
{
	if (st->pidfd >= 0) {
		struct pollfd p = {.fd = st->pidfd, .events = POLLIN};
		poll(&p, 1, (int)((us + 999) / 1000));
		return;
	}
	struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
	nanosleep(&ts, NULL);
}

/* Free the disk blocks of what has been read; offsets stay valid. */
static void punch(struct strace_src *st)
{
#if defined(__linux__) && defined(FALLOC_FL_PUNCH_HOLE)
	off_t upto = (st->off - (off_t)(st->lb.end - st->lb.start)) & ~(off_t)0xfffff;
	if (upto - st->punched >= PUNCH_EVERY) {
		if (fallocate(st->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, upto) == 0)
			st->punched = upto;
	}
#else
	(void)st;
#endif
}

/* strace ended on its own with a failure: say why in one line.  Attached,
 * its first complaint (e.g. "attach: ptrace(PTRACE_SEIZE, 1): Operation
 * not permitted") is the reason and the run is broken.  With a command,
 * a signal may be the command's own death, passed on by strace; the caller
 * tells the two apart by whether the trace saw the command end. */
static void st_failed(struct source *s, struct strace_src *st, int status)
{
	char line[400] = "";
	if (st->errfd >= 0) {
		ssize_t n = pread(st->errfd, line, sizeof line - 1, 0);
		line[n > 0 ? n : 0] = '\0';
		line[strcspn(line, "\n")] = '\0';
	}
	/* "/usr/bin/strace: attach: ..." -> "attach: ..." */
	const char *why = strstr(line, ": ");
	why = why && !memchr(line, ' ', (size_t)(why - line)) ? why + 2 : line;
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';	/* never a raw control byte on the terminal */
	if (WIFSIGNALED(status))
		snprintf(s->error, sizeof s->error, "strace was killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (s->opt->mode == MODE_PID && *why)
		snprintf(s->error, sizeof s->error, "cannot trace: strace: %s", why);
	else if (s->opt->mode == MODE_PID)
		snprintf(s->error, sizeof s->error, "strace failed (exit status %d)",
			 WEXITSTATUS(status));
	if (s->opt->mode == MODE_PID)
		s->broken = 1;
}

static void st_reap(struct source *s, struct strace_src *st, int block)
{
	if (st->strace_done)
		return;
	int status;
	pid_t r;
	do {
		r = waitpid(st->strace_pid, &status, block ? 0 : WNOHANG);
	} while (r < 0 && errno == EINTR);
	if (r == st->strace_pid || (r < 0 && errno == ECHILD)) {
		st->strace_done = 1;
		st->strace_status = r == st->strace_pid ? status : 0;
		/* strace exits as its command did, or dies of the same signal. */
		if (r == st->strace_pid) {
			if (WIFEXITED(status))
				s->exit_status = WEXITSTATUS(status);
			else if (WIFSIGNALED(status))
				s->exit_status = 128 + WTERMSIG(status);
			s->exit_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
			if (!st->stopping && (WIFSIGNALED(status) || WEXITSTATUS(status)))
				st_failed(s, st, status);
		}
	}
}

/* Attached processes never exec in the trace: name them from /proc. */
static int name_targets(struct source *s, struct io_event *ev)
{
	int n = 0;
	for (int i = 0; i < s->opt->npids; i++) {
		char path[64], comm[64] = "";
		snprintf(path, sizeof path, "/proc/%d/comm", s->opt->pids[i]);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		/* Only the last '\n' is the file's: a name may hold one. */
		size_t len = fread(comm, 1, sizeof comm - 1, f);
		fclose(f);
		if (len && comm[len - 1] == '\n')
			len--;
		comm[len] = '\0';
		len = strlen(comm);
		memset(&ev[n], 0, sizeof ev[n]);
		ev[n].t_us = s->start_us;
		ev[n].pid = ev[n].tid = s->opt->pids[i];
		ev[n].cls = OPC_PROC;
		ev[n].call = SC_execve;
		ev[n].file = intern_get(s->in, comm, len, FDK_OTHER);
		n++;
	}
	return n;
}

static int st_poll(struct source *s, struct io_event *ev, size_t cap, int timeout_ms)
{
	struct strace_src *st = s->priv;
	if (s->opt->mode == MODE_PID && !st->named && cap >= (size_t)s->opt->npids) {
		st->named = 1;
		int n = name_targets(s, ev);
		if (n > 0)
			return n;
	}
	int64_t deadline = source_wall_us() + (int64_t)timeout_ms * 1000;
	for (;;) {
		int n = source_parse_strace(s, &st->lb, st->parser, ev, cap, 0);
		if (n > 0) {
			if (!s->child && s->opt->mode == MODE_COMMAND)
				s->child = ev[0].pid;	/* the first line is its execve */
			return n;
		}
		ssize_t got = linebuf_fill(&st->lb, st->fd, &st->off);
		if (got > 0) {
			punch(st);
			st->nap_us = NAP_MIN_US;
			continue;
		}
		if (got < 0) {
			snprintf(s->error, sizeof s->error, "reading the trace: %s",
				 strerror(errno));
			s->broken = 1;
		}
		if (s->ready_later && !s->ready_sent && !st->strace_done && st_attached(st)) {
			log_msg("strace: every thread attached");
			source_ready(s);
		}
		/* Nothing new.  If strace has ended, what we read is all. */
		if (st->draining || got < 0) {
			n = source_parse_strace(s, &st->lb, st->parser, ev, cap, 1);
			return n > 0 ? n : -1;
		}
		st_reap(s, st, 0);
		if (st->strace_done) {
			st->draining = 1;	/* one more read: it may have just written */
			continue;
		}
		int64_t now = source_wall_us();
		if (now >= deadline)
			return 0;
		int64_t wait = deadline - now;
		if (wait > st->nap_us)
			wait = st->nap_us;
		else
			wait = wait < 1000 ? 1000 : wait;
		if (st->nap_us < INT64_C(1000000))
			st->nap_us *= 2;
		if (s->ready_later && !s->ready_sent && wait > 2000)
			wait = 2000;	/* someone waits for the attach */
		nap(st, wait);
	}
}

static void st_stop(struct source *s)
{
	struct strace_src *st = s->priv;
	if (!st || st->strace_done || st->stopping)
		return;
	st->stopping = 1;
	if (s->opt->mode == MODE_PID) {
		/* strace detaches from -p processes on SIGTERM and leaves them
		 * running as they were. */
		kill(st->strace_pid, SIGTERM);
	} else if (s->child > 0) {
		/* A command strace started: seccomp-bpf makes detaching unsafe
		 * (untraced calls would fail with ENOSYS), so end the command
		 * the way timeout(1) does and let strace report it. */
		kill(s->child, SIGTERM);
	}
}

static void st_free(struct source *s)
{
	struct strace_src *st = s->priv;
	if (!st)
		return;
	if (st->strace_pid > 0 && !st->strace_done) {
		st_stop(s);
		st_reap(s, st, 1);
	}
	if (st->fd >= 0)
		close(st->fd);
	if (st->pidfd >= 0)
		close(st->pidfd);
	if (st->errfd >= 0)
		close(st->errfd);
	linebuf_free(&st->lb);
	free(st->wait_tids);
	strace_parser_free(st->parser);
	free(st);
	s->priv = NULL;
}

/* Why ptrace cannot watch this run, or NULL when it can.  pid 0: a
 * command we start (our own child).  Everything that makes ptrace fail is
 * checked before strace runs, so auto can move on with one line saying
 * why instead of leaving the user with strace's own error. */
static const char *ptrace_refused(int pid, enum backend backend, char *buf, size_t len)
{
	int scope = procfs_yama_scope();
	int root = geteuid() == 0;
	if (scope >= 3) {
		snprintf(buf, len, "ptrace is disabled (kernel.yama.ptrace_scope=%d)", scope);
		return buf;
	}
	if (!pid)
		return NULL;
	if (scope == 2 && !root) {
		snprintf(buf, len, "only root may attach (kernel.yama.ptrace_scope=2)");
		return buf;
	}
	/* Asked for strace, our parent may have named us with
	 * PR_SET_PTRACER (the notebook magic does): let strace try, and say
	 * its own refusal.  auto keeps falling back to the counters. */
	if (scope == 1 && !root && !(backend == BACKEND_STRACE && pid == (int)getppid())) {
		snprintf(buf, len, "only a parent may attach to PID %d "
			 "(kernel.yama.ptrace_scope=1)", pid);
		return buf;
	}
	long uid = procfs_status(pid, "Uid");
	if (!root && uid >= 0 && uid != (long)geteuid()) {
		snprintf(buf, len, "PID %d belongs to another user", pid);
		return buf;
	}
	long tracer = procfs_status(pid, "TracerPid");
	if (tracer > 0) {
		snprintf(buf, len, "PID %d is already traced by PID %ld", pid, tracer);
		return buf;
	}
	return NULL;
}

static int st_probe(const struct options *o, int asked, char *why, size_t len)
{
	char path[4096], reason[256];
	const char *r = NULL;
	if (strace_find(path, sizeof path) < 0) {
		snprintf(reason, sizeof reason, "strace not found");
		r = reason;
	}
	for (int i = 0; !r && i < (o->mode == MODE_PID ? o->npids : 1); i++)
		r = ptrace_refused(o->mode == MODE_PID ? o->pids[i] : 0, o->backend,
				   reason, sizeof reason);
	if (!r)
		return 1;
	if (asked)
		snprintf(why, len, "cannot trace: %s%s", r, strcmp(r, "strace not found") ? "" :
			 " (install the 'strace' package, or use --backend=proc)");
	else
		snprintf(why, len, "%s", r);
	return 0;
}

/* strace died under the command (kill -9 of strace): the trace ends there
 * and the command's own exit status is unknown. */
const struct source_ops source_strace_ops = {
	.name = "strace",
	.asked_by = BACKEND_STRACE,
	.probe = st_probe,
	.tracer_may_die = 1,
	.start = st_start,
	.poll = st_poll,
	.stop = st_stop,
	.free = st_free,
};
