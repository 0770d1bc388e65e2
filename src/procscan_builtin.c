/* procscan_builtin.c - the process scan read straight from /proc, for
 * systems without libproc2 (procps-ng 3.3 on RHEL 8-9) or a build with
 * --without-libproc2.  It reads the files libproc2 reads for the same
 * items (stat; status for the euid; io; cmdline) and renders them the
 * same way, so both readers give the same records (tests/test_procscan
 * compares them where both are built). */
#include <config.h>

#include "procscan.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PF_KTHREAD 0x00200000	/* kernel thread (linux/sched.h) */
#define PSB_CMDLINE_MAX 4096	/* more than cmdline[] keeps, so escaping
				 * sees whole characters */

struct psb {
	unsigned want;
	int procfd;
	struct procscan_proc *procs;
	size_t n, cap;
	char buf[PSB_CMDLINE_MAX];
};

static void *psb_open(unsigned want)
{
	struct psb *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->want = want;
	p->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->procfd < 0) {
		free(p);
		return NULL;
	}
	return p;
}

/* /proc/PID/what into buf (NUL-terminated); the length, or -1. */
static ssize_t psb_file(const struct psb *p, const char *pid, const char *what,
			char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "%s/%s", pid, what);
	int fd = openat(p->procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	ssize_t r;
	while (got < cap - 1 && (r = read(fd, buf + got, cap - 1 - got)) > 0)
		got += (size_t)r;
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

/* "pid (comm) S ppid ...": name, state, ppid, flags and start time.  The
 * name may hold spaces and parentheses: it ends at the last ')'. */
static int psb_stat(struct procscan_proc *r, char *state, const char *s)
{
	const char *open = strchr(s, '('), *close = strrchr(s, ')');
	if (!open || !close || close < open || !close[1] || !close[2])
		return -1;
	procscan_escape(r->comm, sizeof r->comm, open + 1, (size_t)(close - open - 1));
	const char *q = close + 2;
	*state = *q;
	unsigned long long f[20];	/* fields 4 (ppid) to 22 (starttime) */
	char *end;
	q++;
	for (int i = 0; i < 19; i++) {
		f[i] = strtoull(q, &end, 10);
		if (end == q)
			return -1;
		q = end;
	}
	r->ppid = (int)f[0];
	r->kthread = (f[5] & PF_KTHREAD) != 0;	/* field 9 */
	r->began = f[18];			/* field 22 */
	return 0;
}

static unsigned long long psb_key(const char *s, const char *key)
{
	const char *k = strstr(s, key);
	return k ? strtoull(k + strlen(key), NULL, 10) : 0;
}

/* cmdline as libproc2 shows it: arguments joined by spaces, escaped;
 * "[comm]" (and " <defunct>" for a zombie) when it is empty. */
static void psb_cmdline(struct psb *p, struct procscan_proc *r, const char *pid, char state)
{
	ssize_t n = psb_file(p, pid, "cmdline", p->buf, sizeof p->buf);
	if (n > 0) {
		char *b = p->buf;
		size_t i = (size_t)n;
		while (i && b[i - 1] == '\0')
			i--;
		for (size_t j = 0; j < i; j++)
			if (b[j] == '\0' || b[j] == '\n')
				b[j] = ' ';
		if (b[n - 1] == ' ')
			b[n - 1] = '\0';
		procscan_escape(r->cmdline, sizeof r->cmdline, b, (size_t)n);
	}
	if (n <= 0)
		snprintf(r->cmdline, sizeof r->cmdline, "[%s]%s", r->comm,
			 state == 'Z' ? " <defunct>" : "");
	if (!r->cmdline[0])
		snprintf(r->cmdline, sizeof r->cmdline, "?");
}

static int psb_one(struct psb *p, struct procscan_proc *r, const char *pid)
{
	char buf[1024];
	char state = 0;
	memset(r, 0, sizeof *r);
	r->pid = atoi(pid);
	if (psb_file(p, pid, "stat", buf, sizeof buf) <= 0 || psb_stat(r, &state, buf) < 0)
		return -1;	/* gone since readdir */
	if (p->want & (PROCSCAN_EUID | PROCSCAN_CMDLINE)) {
		char st[4096];
		if (psb_file(p, pid, "status", st, sizeof st) <= 0)
			return -1;
		const char *u = strstr(st, "\nUid:");
		if (u) {
			char *end;
			strtoul(u + 5, &end, 10);	/* real */
			r->euid = (unsigned)strtoul(end, NULL, 10);
		}
	}
	/* Unreadable (not ours): all zero, as libproc2 leaves them. */
	if (psb_file(p, pid, "io", buf, sizeof buf) > 0 && strncmp(buf, "rchar:", 6) == 0)
		r->io = (struct io_counters){
			.rchar = psb_key(buf, "rchar:"), .wchar = psb_key(buf, "wchar:"),
			.syscr = psb_key(buf, "syscr:"), .syscw = psb_key(buf, "syscw:"),
			.read_bytes = psb_key(buf, "read_bytes:"),
			.write_bytes = psb_key(buf, "\nwrite_bytes:"),
		};
	if (p->want & PROCSCAN_CMDLINE)
		psb_cmdline(p, r, pid, state);
	return 0;
}

static int psb_read(void *impl, const struct procscan_proc **procs)
{
	struct psb *p = impl;
	int fd = dup(p->procfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rewinddir(d);
	p->n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 256;
			struct procscan_proc *np = realloc(p->procs, cap * sizeof *np);
			if (!np) {
				closedir(d);
				return -1;
			}
			p->procs = np;
			p->cap = cap;
		}
		if (psb_one(p, &p->procs[p->n], de->d_name) == 0)
			p->n++;
	}
	closedir(d);
	*procs = p->procs;
	return (int)p->n;
}

static void psb_close(void *impl)
{
	struct psb *p = impl;
	close(p->procfd);
	free(p->procs);
	free(p);
}

const struct procscan_ops procscan_builtin_ops = {
	.name = "built-in",
	.open = psb_open,
	.read = psb_read,
	.close = psb_close,
};
