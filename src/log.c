/* log.c - the -v debug log. */
#include <config.h>

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_fd = -1;
static struct timespec log_t0;

int log_open(const char *path, char *err, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, len, "cannot open the log %s: %s", path, strerror(errno));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &log_t0);
	log_fd = fd;
	return 0;
}

void log_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}

/* Append src to dst[*n..cap), escaping what a terminal would act on. */
static void log_escape(char *dst, size_t *n, size_t cap, const char *src)
{
	for (const unsigned char *p = (const unsigned char *)src; *p && *n + 5 < cap; p++) {
		if (*p >= 0x20 && *p != 0x7f && *p != '\\')
			dst[(*n)++] = (char)*p;
		else if (*p == '\\')
			*n += (size_t)snprintf(dst + *n, cap - *n, "\\\\");
		else
			*n += (size_t)snprintf(dst + *n, cap - *n, "\\x%02x", *p);
	}
}

static void log_line(const char *text)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double t = (double)(now.tv_sec - log_t0.tv_sec) + (now.tv_nsec - log_t0.tv_nsec) / 1e9;
	char line[4096];
	size_t n = (size_t)snprintf(line, sizeof line, "%10.6f [%ld] ", t, (long)getpid());
	log_escape(line, &n, sizeof line, text);
	line[n++] = '\n';
	/* A debug log must never disturb the run: errors are ignored. */
	ssize_t w = write(log_fd, line, n);
	(void)w;
}

void log_msg(const char *fmt, ...)
{
	if (log_fd < 0)
		return;
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	log_line(text);
}

void log_argv(const char *what, char *const *argv)
{
	if (log_fd < 0)
		return;
	char text[2048];
	size_t n = (size_t)snprintf(text, sizeof text, "%s:", what);
	for (; argv && *argv && n + 4 < sizeof text; argv++) {
		int quote = !**argv || strpbrk(*argv, " \t'\"") != NULL;
		n += (size_t)snprintf(text + n, sizeof text - n, quote ? " '%s'" : " %s", *argv);
	}
	if (n >= sizeof text)
		n = sizeof text - 1;
	text[n] = '\0';
	log_line(text);
}
