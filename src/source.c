/* source.c - what all sources share. */
#include <config.h>

#include "source.h"
#include "options.h"
#include "linebuf.h"
#include "strace_parse.h"
#include "fsusage_parse.h"
#include "jobctl.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

struct source *source_new(const struct source_ops *ops, const struct options *opt,
			  struct intern *in)
{
	struct source *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->ops = ops;
	s->opt = opt;
	s->in = in;
	s->exit_status = -1;
	s->out_fd = -1;
	return s;
}

void source_free(struct source *s)
{
	if (!s)
		return;
	if (s->ops->free)
		s->ops->free(s);
	free(s);
}

void source_child_signals(void)
{
	static const int sigs[] = {SIGINT, SIGQUIT, SIGPIPE, SIGHUP, SIGTERM, SIGTSTP,
				   SIGWINCH};
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		signal(sigs[i], SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

void source_ready(struct source *s)
{
	if (s->ready_sent || s->opt->ready_fd < 0)
		return;
	s->ready_sent = 1;
	dprintf(s->opt->ready_fd, "ready %s\n", s->backend ? s->backend : s->ops->name);
	close(s->opt->ready_fd);
}

void source_child_group(const struct source *s)
{
	jobctl_child(s->own_group);
}

void source_spawned(struct source *s, pid_t pid)
{
	jobctl_adopt(pid, s->own_group);
}

int64_t source_wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* One line through a parser, counting what it could not read. */
typedef int (*line_parser)(void *p, const char *line, size_t len, struct io_event *ev);

static int parse_one(struct source *s, line_parser parse, void *p, const char *line,
		     size_t len, int cut, struct io_event *ev)
{
	s->lines++;
	int n = cut ? -1 : parse(p, line, len, ev);
	if (n < 0) {
		if (!s->unparsed)
			s->first_bad_line = s->lines;
		s->unparsed++;
		return 0;
	}
	return n;
}

/* Every complete line of lb while max more events fit; at_end, also a
 * last line without '\n' (the input was cut mid-line). */
static int parse_lines(struct source *s, struct linebuf *lb, line_parser parse, void *p,
		       size_t max, struct io_event *ev, size_t cap, int at_end)
{
	size_t n = 0, len;
	int cut;
	const char *line;
	while (n + max <= cap && (line = linebuf_next(lb, &len, &cut)))
		n += (size_t)parse_one(s, parse, p, line, len, cut, ev + n);
	if (at_end && n + max <= cap && (line = linebuf_rest(lb, &len)))
		n += (size_t)parse_one(s, parse, p, line, len, 0, ev + n);
	return (int)n;
}

static int strace_line(void *p, const char *line, size_t len, struct io_event *ev)
{
	return strace_parse_line(p, line, len, ev);
}

static int fsusage_line(void *p, const char *line, size_t len, struct io_event *ev)
{
	return fsusage_parse_line(p, line, len, ev);
}

int source_parse_strace(struct source *s, struct linebuf *lb,
			struct strace_parser *p, struct io_event *ev, size_t cap,
			int at_end)
{
	int n = parse_lines(s, lb, strace_line, p, STRACE_MAX_EVENTS, ev, cap, at_end);
	s->unfinished = strace_parser_unfinished(p);
	return n;
}

int source_parse_fsusage(struct source *s, struct linebuf *lb,
			 struct fsusage_parser *p, struct io_event *ev, size_t cap,
			 int at_end)
{
	return parse_lines(s, lb, fsusage_line, p, FSUSAGE_MAX_EVENTS, ev, cap, at_end);
}

/* Find prog in $PATH like execvp would; returns 0 and fills out, or -1
 * with errno ENOENT, EACCES (there but not executable) or EISDIR. */
int source_path_search(const char *prog, char *out, size_t len)
{
	struct stat st;
	if (strchr(prog, '/')) {
		snprintf(out, len, "%s", prog);
		if (stat(out, &st) < 0)
			return -1;
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return -1;
		}
		return access(out, X_OK);
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	int err = ENOENT;
	for (const char *p = path;; ) {
		const char *colon = strchr(p, ':');
		size_t dl = colon ? (size_t)(colon - p) : strlen(p);
		snprintf(out, len, "%.*s%s%s", (int)dl, p, dl ? "/" : "", prog);
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(out, X_OK) == 0)
				return 0;
			err = EACCES;
		}
		if (!colon)
			break;
		p = colon + 1;
	}
	errno = err;
	return -1;
}

/* Why the command cannot run, as a shell says it: 127 not found, 126 else. */
int source_command_error(struct source *s, const char *prog)
{
	int e = errno;
	snprintf(s->error, sizeof s->error, "%.400s: %s", prog,
		 e == ENOENT ? "command not found" : strerror(e));
	s->exit_status = e == ENOENT ? 127 : 126;
	return -1;
}

int source_stdio_open(struct source *s, int fds[2])
{
	fds[0] = fds[1] = -1;
	if (s->opt->mode != MODE_COMMAND)
		return 0;
	if (s->out_fd >= 0 && (fds[1] = fcntl(s->out_fd, F_DUPFD_CLOEXEC, 3)) < 0) {
		snprintf(s->error, sizeof s->error, "the command's output: %s", strerror(errno));
		return -1;
	}
	if (s->in_null)
		fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return 0;
}

void source_stdio_child(const int fds[2])
{
	if (fds[0] >= 0)
		dup2(fds[0], 0);
	if (fds[1] >= 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
	}
}

void source_stdio_close(int fds[2])
{
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	fds[0] = fds[1] = -1;
}
