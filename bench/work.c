/* work.c - workloads for `make bench`.
 *
 *   work mixed DIR N       N rounds of open/write/lseek/read/pread/fstat/close
 *                          over 16 files in DIR, by this process and one
 *                          forked child at the same time
 *   work fprintf FILE N    N lines through stdio's fprintf into FILE
 *   work notebook DIR W G [SIZE]  W small writes (16 bytes, or SIZE) to
 *                          DIR/nb.dat interleaved with G getpid() calls
 *                          (non-I/O system calls)
 *   work rate DIR CALLS_PER_S SECONDS  a steady call rate, paced per
 *                          millisecond: of every 10 calls, 6 preads of 4 KiB
 *                          and 2 writes of 512 B over 8 files, an fstat and
 *                          an lseek (the recording-size benchmark)
 *
 * Each prints its own elapsed time on stderr as "elapsed_s=SECONDS", so
 * the benchmark times the traced program itself, not the tracer's start
 * and exit. */
#define _GNU_SOURCE 1
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void mixed_rounds(const char *dir, long n, int who)
{
	static char buf[65536];
	memset(buf, 'x', sizeof buf);
	static const size_t sizes[] = {1, 100, 512, 4096, 8192, 65536};
	char path[4096];
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/f%d-%02ld.dat", dir, who, i % 16);
		int fd = open(path, O_RDWR | O_CREAT, 0644);
		if (fd < 0) {
			perror(path);
			exit(1);
		}
		for (int k = 0; k < 4; k++)
			if (write(fd, buf, sizes[(i + k) % 6]) < 0)
				exit(1);
		lseek(fd, 0, SEEK_SET);
		if (read(fd, buf, 4096) < 0 || pread(fd, buf, 512, 0) < 0)
			exit(1);
		struct stat st;
		fstat(fd, &st);
		if (i % 64 == 63)
			if (ftruncate(fd, 0) < 0)
				exit(1);
		close(fd);
	}
}

static int rate(const char *dir, long per_s, double secs)
{
	static char buf[4096];
	int fds[8];
	char path[4096];
	for (int i = 0; i < 8; i++) {
		snprintf(path, sizeof path, "%s/r%d.dat", dir, i);
		fds[i] = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fds[i] < 0 || pwrite(fds[i], buf, sizeof buf, 0) != (ssize_t)sizeof buf) {
			perror(path);
			return 1;
		}
	}
	double t0 = now();
	long done = 0;
	struct stat st;
	for (;;) {
		double t = now() - t0;
		if (t >= secs)
			break;
		long due = (long)(t * (double)per_s) + 1;
		for (; done < due; done++) {
			int fd = fds[done % 8];
			switch (done % 10) {
			case 0: case 1: case 2: case 3: case 4: case 5:
				if (pread(fd, buf, sizeof buf, 0) < 0)
					return 1;
				break;
			case 6: case 7:
				if (pwrite(fd, buf, 512, 0) < 0)
					return 1;
				break;
			case 8: fstat(fd, &st); break;
			default: lseek(fd, 0, SEEK_SET); break;
			}
		}
		struct timespec ts = {0, 1000000};	/* the next millisecond's calls */
		nanosleep(&ts, NULL);
	}
	for (int i = 0; i < 8; i++)
		close(fds[i]);
	fprintf(stderr, "elapsed_s=%.3f calls=%ld\n", now() - t0, done);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "mixed") == 0) {
		long n = atol(argv[3]);
		double t0 = now();
		pid_t pid = fork();
		if (pid == 0) {
			mixed_rounds(argv[2], n / 2, 1);
			_exit(0);
		}
		mixed_rounds(argv[2], n - n / 2, 0);
		int st;
		waitpid(pid, &st, 0);
		fprintf(stderr, "elapsed_s=%.6f\n", now() - t0);
		return 0;
	}
	if (argc >= 5 && strcmp(argv[1], "notebook") == 0) {
		long w = atol(argv[3]), g = atol(argv[4]);
		size_t size = argc >= 6 ? (size_t)atol(argv[5]) : 16;
		static char data[4096];
		if (size > sizeof data)
			size = sizeof data;
		memset(data, 'x', size);
		char path[4096];
		snprintf(path, sizeof path, "%s/nb.dat", argv[2]);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		double t0 = now();
		long per = w ? g / w : 0, done = 0;
		for (long i = 0; i < w; i++) {
			if (write(fd, data, size) != (ssize_t)size)
				return 1;
			for (long k = 0; k < per; k++, done++)
				syscall(SYS_getpid);
		}
		for (; done < g; done++)
			syscall(SYS_getpid);
		fprintf(stderr, "elapsed_s=%.6f\n", now() - t0);
		close(fd);
		unlink(path);
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "fprintf") == 0) {
		long n = atol(argv[3]);
		FILE *f = fopen(argv[2], "w");
		if (!f) {
			perror(argv[2]);
			return 1;
		}
		double t0 = now();
		for (long i = 0; i < n; i++)
			fprintf(f, "line %ld of the fprintf loop\n", i);
		if (fclose(f) != 0)
			return 1;
		fprintf(stderr, "elapsed_s=%.6f\n", now() - t0);
		return 0;
	}
	if (argc >= 5 && strcmp(argv[1], "rate") == 0)
		return rate(argv[2], atol(argv[3]), atof(argv[4]));
	fprintf(stderr, "usage: work mixed DIR N | work notebook DIR WRITES GETPIDS | "
		"work fprintf FILE LINES | work rate DIR CALLS_PER_S SECONDS\n");
	return 2;
}
