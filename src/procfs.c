/* procfs.c - small reads of /proc/PID. */
#include <config.h>

#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int procfs_exists(int pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	return pid > 0 && access(path, F_OK) == 0;
}

long procfs_status(int pid, const char *key)
{
	char path[64], line[512];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t kl = strlen(key);
	long v = -1;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			v = strtol(line + kl + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

int procfs_yama_scope(void)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	if (!f)
		return -1;
	int v = -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

int procfs_io_access(int pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/io", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno ? errno : EACCES;
	/* Permission is checked at read time on some kernels. */
	char buf[16];
	int err = read(fd, buf, sizeof buf) < 0 ? errno : 0;
	close(fd);
	return err;
}

char **procfs_cmdline(int pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char buf[8192];
	size_t got = 0;
	ssize_t n;
	while (got < sizeof buf - 1 && (n = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (!got)
		return NULL;
	if (buf[got - 1] != '\0')
		buf[got++] = '\0';
	size_t argc = 0;
	for (size_t i = 0; i < got; i++)
		argc += buf[i] == '\0';
	char **argv = malloc((argc + 1) * sizeof *argv + got);
	if (!argv)
		return NULL;
	char *text = (char *)(argv + argc + 1);
	memcpy(text, buf, got);
	size_t k = 0;
	for (size_t i = 0; i < got; i += strlen(text + i) + 1)
		argv[k++] = text + i;
	argv[k] = NULL;
	return argv;
}

int procfs_tasks(int pid, int *tids, int cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < cap) {
		int tid = atoi(de->d_name);
		if (tid > 0)
			tids[n++] = tid;
	}
	closedir(d);
	return n;
}
