/* stdio.c - every stdio entry point the preload backend must see through:
 * full, line and no buffering, setvbuf sizes, freopen, fdopen, popen,
 * printf to a redirected stdout, a read loop with getc/fgets/fread/
 * getline/fscanf, seeks, and threads writing their own streams.
 * Usage: stdio DIR (stdout should be redirected to a file). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

static char dir[2048];

static FILE *open_in(const char *name, const char *mode)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, mode);
	if (!f) {
		perror(p);
		exit(2);
	}
	return f;
}

static void *thread_main(void *arg)
{
	char name[32];
	snprintf(name, sizeof name, "thread%ld", (long)arg);
	FILE *f = open_in(name, "w");
	setvbuf(f, NULL, _IOFBF, 512);
	for (int i = 0; i < 3000; i++)
		fprintf(f, "thread %ld line %d\n", (long)arg, i);
	fclose(f);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	snprintf(dir, sizeof dir, "%s", argv[1]);
	/* full buffering, default size */
	FILE *f = open_in("full", "w");
	for (int i = 0; i < 5000; i++)
		fprintf(f, "%d %s\n", i, "full buffered");
	fputs("end\n", f);
	fwrite("abcdef", 1, 6, f);
	fclose(f);
	/* line buffering */
	f = open_in("line", "w");
	setvbuf(f, NULL, _IOLBF, 0);
	for (int i = 0; i < 200; i++) {
		fputs("a line", f);
		putc('\n', f);
	}
	fclose(f);
	/* no buffering */
	f = open_in("none", "w");
	setvbuf(f, NULL, _IONBF, 0);
	for (int i = 0; i < 100; i++)
		fputc('x', f);
	fprintf(f, "%s\n", "unbuffered");
	fclose(f);
	/* small and large buffers */
	static char big[65536];
	f = open_in("big", "w");
	setvbuf(f, big, _IOFBF, sizeof big);
	for (int i = 0; i < 20000; i++)
		fputs("0123456789\n", f);
	fflush(f);
	fseek(f, 0, SEEK_SET);
	fputs("start", f);
	fclose(f);
	/* reading it back every way */
	f = open_in("big", "r");
	setvbuf(f, NULL, _IOFBF, 1000);
	int c, n = 0;
	while ((c = getc(f)) != EOF && n < 5000)
		n++;
	char buf[256];
	while (fgets(buf, sizeof buf, f) && n < 10000)
		n++;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0 && n < 12000)
		n++;
	free(line);
	int v;
	if (fscanf(f, "%d", &v) == 1)
		n++;
	rewind(f);
	while (fread(buf, 1, sizeof buf, f) > 0)
		n++;
	fclose(f);
	/* freopen and fdopen */
	f = open_in("re1", "w");
	fputs("first\n", f);
	char p[4096];
	snprintf(p, sizeof p, "%s/re2", dir);
	f = freopen(p, "w", f);
	fputs("second\n", f);
	fclose(f);
	snprintf(p, sizeof p, "%s/fd", dir);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	f = fdopen(fd, "w");
	for (int i = 0; i < 1000; i++)
		fprintf(f, "fdopen %d\n", i);
	fclose(f);
	/* popen: the child's stdout is a pipe */
	f = popen("echo from-popen; echo second", "r");
	while (f && fgets(buf, sizeof buf, f))
		n++;
	if (f)
		pclose(f);
	/* threads */
	pthread_t t[3];
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, thread_main, (void *)i);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	/* printf to our (redirected) stdout, flushed by exit */
	for (int i = 0; i < 3000; i++)
		printf("stdout line %d of a test\n", i);
	return n > 0 ? 0 : 1;
}
