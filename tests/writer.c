/* writer: a steady writer to attach iopstop to in tests.
 *
 *   writer FILE [PERIOD_US]
 *
 * The main thread and a second thread each write 4096-byte blocks to FILE
 * (O_APPEND, rewound with ftruncate every 1000 blocks so the disk does not
 * fill), one block per PERIOD_US each (default 10000: 100 writes/s per
 * thread).  Every write is a write(2) of exactly 4096 bytes, so any count
 * of its write ops times 4096 is its write bytes, and its /proc/PID/io
 * syscw grows by one per block (the only other write is the "ready" line).
 *
 * On SIGUSR1 it forks a child that writes 100 blocks of 512 bytes to
 * FILE.child and exits: a child started while watched, with a count known
 * in advance.  Prints "ready PID" on stdout once both threads write. */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int fd;
static long period_us = 10000;
static const char *path;
static volatile sig_atomic_t spawn;

static void on_usr1(int sig)
{
	(void)sig;
	spawn = 1;
}

static void nap(long us)
{
	struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void child(void)
{
	char name[4096], buf[512];
	memset(buf, 'c', sizeof buf);
	snprintf(name, sizeof name, "%s.child", path);
	int cfd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (cfd < 0)
		_exit(1);
	for (int i = 0; i < 100; i++)
		if (write(cfd, buf, sizeof buf) != (ssize_t)sizeof buf)
			_exit(1);
	_exit(0);
}

static void *loop(void *arg)
{
	char buf[4096];
	memset(buf, 'w', sizeof buf);
	for (long n = 1;; n++) {
		if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
			perror("writer: write");
			exit(1);
		}
		if (arg == NULL && n % 1000 == 0)
			(void)ftruncate(fd, 0);
		if (arg == NULL && spawn) {
			spawn = 0;
			pid_t c = fork();
			if (c == 0)
				child();
			if (c > 0)
				waitpid(c, NULL, 0);
		}
		nap(period_us);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: writer FILE [PERIOD_US]\n");
		return 2;
	}
	path = argv[1];
	if (argc > 2)
		period_us = atol(argv[2]);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_t t;
	if (pthread_create(&t, NULL, loop, (void *)1) != 0)
		return 1;
	printf("ready %ld\n", (long)getpid());
	fflush(stdout);
	loop(NULL);
	return 0;
}
