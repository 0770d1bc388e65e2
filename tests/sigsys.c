/* sigsys.c - what a program does to signals and processes must keep
 * working under the preload backend's trapping of stdio: its own SIGSYS
 * handler (installed, read back, raised), SIGSYS blocked by sigprocmask,
 * handlers whose mask is full, threads made before and after stdio was
 * first used, fork in a threaded program, posix_spawn and vfork+exec of
 * a child (argv[2], maybe static), errno across stdio.  Prints "ok N" per
 * check on stdout (redirected to a file) and exits 0 only if all held. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile sig_atomic_t got;
static int bad;

static void on_sys(int sig)
{
	(void)sig;
	got++;
	/* a system call inside a handler, maybe inside stdio */
	write(2, "", 0);
}

#define CHECK(n, cond) do { if (cond) printf("ok %d\n", n); else { printf("FAIL %d\n", n); bad = 1; } } while (0)

static void *writer(void *arg)
{
	char path[4096];
	snprintf(path, sizeof path, "%s.%ld", (char *)arg, (long)pthread_self() % 1000);
	FILE *f = fopen(path, "w");
	for (int i = 0; f && i < 2000; i++)
		fprintf(f, "%d\n", i);
	if (f)
		fclose(f);
	unlink(path);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	pthread_t early;
	pthread_create(&early, NULL, writer, argv[1]);	/* before any stdio here */
	/* 1-3: our own SIGSYS handler, read back, and called */
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sys;
	sigfillset(&sa.sa_mask);	/* a full mask: SIGSYS must not end up blocked */
	CHECK(1, sigaction(SIGSYS, &sa, NULL) == 0);
	CHECK(2, sigaction(SIGSYS, NULL, &old) == 0 && old.sa_handler == on_sys);
	raise(SIGSYS);
	CHECK(3, got == 1);
	/* 4: SIGSYS "blocked": stdio still works, a raised one still arrives */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGSYS);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (int i = 0; i < 100; i++)
		printf("blocked %d\n", i);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK(4, got >= 1);
	/* 5: a handler that runs inside stdio (SIGALRM with a full mask) */
	struct sigaction al;
	memset(&al, 0, sizeof al);
	al.sa_handler = on_sys;
	sigfillset(&al.sa_mask);
	sigaction(SIGALRM, &al, NULL);
	int before = got;
	alarm(1);
	while (got == before)
		fprintf(stdout, "waiting for the alarm\n");
	CHECK(5, got == before + 1);
	/* 6: errno survives a stdio call that makes system calls */
	errno = 1234;
	fflush(stdout);
	CHECK(6, errno == 1234);
	/* 7: threads after */
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, writer, argv[1]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_join(early, NULL);
	CHECK(7, 1);
	/* 8: fork in a threaded program; the child uses stdio */
	pthread_create(&t[0], NULL, writer, argv[1]);
	pid_t p = fork();
	if (p == 0) {
		FILE *f = fopen("/dev/null", "w");
		for (int i = 0; i < 1000; i++)
			fprintf(f, "child %d\n", i);
		fclose(f);
		printf("child done\n");
		_exit(7);
	}
	int st = 0;
	waitpid(p, &st, 0);
	pthread_join(t[0], NULL);
	CHECK(8, WIFEXITED(st) && WEXITSTATUS(st) == 7);
	/* 9: posix_spawn of argv[2] (a static program, say) */
	char *cargv[] = {argv[2], NULL};
	p = 0;
	int r = posix_spawn(&p, argv[2], NULL, NULL, cargv, environ);
	st = -1;
	if (r == 0)
		waitpid(p, &st, 0);
	CHECK(9, r == 0 && WIFEXITED(st));
	/* 10: vfork and exec */
	p = vfork();
	if (p == 0) {
		execve(argv[2], cargv, environ);
		_exit(127);
	}
	waitpid(p, &st, 0);
	CHECK(10, WIFEXITED(st) && WEXITSTATUS(st) != 127);
	/* 11: popen from a threaded program */
	FILE *f = popen("echo popen", "r");
	char buf[64] = "";
	CHECK(11, f && fgets(buf, sizeof buf, f) && strcmp(buf, "popen\n") == 0);
	if (f)
		pclose(f);
	/* 12: SIG_DFL restored through signal(): still ours to keep */
	CHECK(12, signal(SIGSYS, SIG_DFL) == on_sys);
	printf("%s\n", bad ? "FAILED" : "all ok");
	return bad;
}
