/* iopstop-demo: a small, predictable I/O workload to watch with iopstop.
 *
 *   iopstop-demo [-q] [--loop] [DIR]
 *
 * Writes into DIR (default: a fresh mkdtemp directory under $TMPDIR or /tmp,
 * removed at the end).  Each phase is spread over ~250 ms and followed by a
 * ~300 ms pause, so that a time x size heatmap shows distinct bands (a run
 * takes about 3.5 s):
 *
 *   1. 2000 x 1 KiB writes             -> small.dat   (~2 MiB)
 *   2. 400 writes cycling 16/32/64 KiB -> medium.dat  (14912 KiB)
 *   3. 40 x 1 MiB writes               -> large.dat   (40 MiB)
 *   4-6. read each file back with the same sizes
 *   7. metadata: 300 x (stat, open, close)
 *
 * Peak disk use is about 55 MiB.  With --loop, the phases repeat until the
 * process is interrupted (useful for `iopstop -p PID`); files are removed at
 * the end of each round.  Plain C99 + POSIX, no dependencies.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE 1

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define KIB 1024L
#define MIB (1024L * 1024L)

#define SMALL_COUNT 2000
#define SMALL_SIZE (1 * KIB)
#define MEDIUM_COUNT 400
#define LARGE_COUNT 40
#define LARGE_SIZE (1 * MIB)
#define META_COUNT 300
#define PAUSE_MS 300 /* idle gap between phases */
#define PHASE_MS 250 /* each phase is spread over at least this long */

static const long medium_sizes[] = {16 * KIB, 32 * KIB, 64 * KIB};
#define N_MEDIUM_SIZES (sizeof medium_sizes / sizeof medium_sizes[0])

static int quiet;
static volatile sig_atomic_t stop_requested;
static const char *progname = "iopstop-demo";
static char work_files[3][4096]; /* removed on exit, even after an error */
static const char *made_dir;     /* our mkdtemp directory, if any */

static void cleanup(void)
{
    for (size_t i = 0; i < sizeof work_files / sizeof work_files[0]; i++)
        if (work_files[i][0] != '\0')
            unlink(work_files[i]);
    if (made_dir != NULL && rmdir(made_dir) != 0)
        fprintf(stderr, "%s: rmdir %s: %s\n", progname, made_dir, strerror(errno));
    made_dir = NULL;
}

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

#if defined(__GNUC__)
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif

static void say(const char *fmt, ...)
{
    va_list ap;
    if (quiet)
        return;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", progname);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void die(const char *what, const char *path)
{
    int e = errno;
    fprintf(stderr, "%s: %s %s: %s\n", progname, what, path ? path : "",
            strerror(e));
    cleanup();
    exit(1);
}

static void pause_ms(long ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !stop_requested)
        ;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Keep a phase from finishing before PHASE_MS: after op i of count, sleep
 * if we are more than 10 ms ahead of an even schedule.  Sleeps come in few,
 * coarse chunks so they add little noise to a trace. */
static void pace(double t0, int i, int count)
{
    double due = t0 + (PHASE_MS / 1000.0) * (double)(i + 1) / (double)count;
    double ahead = due - now_s();
    if (ahead > 0.010)
        pause_ms((long)(ahead * 1000.0));
}

static void join_path(char *out, size_t outsz, const char *dir, const char *name)
{
    int n = snprintf(out, outsz, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= outsz) {
        fprintf(stderr, "%s: path too long: %s/%s\n", progname, dir, name);
        exit(1);
    }
}

/* Write exactly len bytes with one write() call where possible (regular files
 * do not short-write in practice); loop on short writes so data is complete. */
static void write_all(int fd, const char *buf, size_t len, const char *path)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("write", path);
        }
        buf += n;
        len -= (size_t)n;
    }
}

/* Read up to len bytes with one read() call; returns bytes read (0 at EOF). */
static size_t read_some(int fd, char *buf, size_t len, const char *path)
{
    for (;;) {
        ssize_t n = read(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("read", path);
        }
        return (size_t)n;
    }
}

static int open_or_die(const char *path, int flags)
{
    int fd = open(path, flags, 0644);
    if (fd < 0)
        die("open", path);
    return fd;
}

static void phase_write(const char *path, int count, const long *sizes,
                        size_t nsizes, char *buf, const char *label)
{
    double t0 = now_s();
    long long total = 0;
    int done = 0;
    int fd = open_or_die(path, O_WRONLY | O_CREAT | O_TRUNC);
    for (int i = 0; i < count && !stop_requested; i++) {
        size_t sz = (size_t)sizes[(size_t)i % nsizes];
        write_all(fd, buf, sz, path);
        total += (long long)sz;
        done++;
        pace(t0, i, count);
    }
    if (close(fd) != 0)
        die("close", path);
    say("%-7s %5d writes, %8.1f KiB  (%s)  %.2fs", label, done,
        (double)total / KIB, path, now_s() - t0);
}

static void phase_read(const char *path, int count, const long *sizes,
                       size_t nsizes, char *buf, const char *label)
{
    double t0 = now_s();
    long long total = 0;
    int done = 0;
    int fd = open_or_die(path, O_RDONLY);
    for (int i = 0; i < count && !stop_requested; i++) {
        size_t sz = (size_t)sizes[(size_t)i % nsizes];
        size_t got = read_some(fd, buf, sz, path);
        if (got == 0)
            break;
        total += (long long)got;
        done++;
        pace(t0, i, count);
    }
    if (close(fd) != 0)
        die("close", path);
    say("%-7s %5d reads,  %8.1f KiB  (%s)  %.2fs", label, done,
        (double)total / KIB, path, now_s() - t0);
}

static void phase_meta(const char *const *paths, size_t npaths)
{
    double t0 = now_s();
    int ops = 0;
    for (int i = 0; i < META_COUNT && !stop_requested; i++) {
        const char *p = paths[(size_t)i % npaths];
        struct stat st;
        if (stat(p, &st) != 0)
            die("stat", p);
        int fd = open_or_die(p, O_RDONLY);
        if (close(fd) != 0)
            die("close", p);
        ops += 3;
        pace(t0, i, META_COUNT);
    }
    say("meta    %5d ops (stat/open/close)  %.2fs", ops, now_s() - t0);
}

static void run_round(const char *dir, char *buf)
{
    char *small = work_files[0], *medium = work_files[1], *large = work_files[2];
    static const long small_sizes[] = {SMALL_SIZE};
    static const long large_sizes[] = {LARGE_SIZE};

    join_path(small, sizeof work_files[0], dir, "small.dat");
    join_path(medium, sizeof work_files[1], dir, "medium.dat");
    join_path(large, sizeof work_files[2], dir, "large.dat");

    phase_write(small, SMALL_COUNT, small_sizes, 1, buf, "small");
    if (stop_requested) goto out;
    pause_ms(PAUSE_MS);
    if (stop_requested) goto out;
    phase_write(medium, MEDIUM_COUNT, medium_sizes, N_MEDIUM_SIZES, buf, "medium");
    if (stop_requested) goto out;
    pause_ms(PAUSE_MS);
    if (stop_requested) goto out;
    phase_write(large, LARGE_COUNT, large_sizes, 1, buf, "large");
    if (stop_requested) goto out;
    pause_ms(PAUSE_MS);
    if (stop_requested) goto out;

    phase_read(small, SMALL_COUNT, small_sizes, 1, buf, "small");
    if (stop_requested) goto out;
    pause_ms(PAUSE_MS);
    if (stop_requested) goto out;
    phase_read(medium, MEDIUM_COUNT, medium_sizes, N_MEDIUM_SIZES, buf, "medium");
    if (stop_requested) goto out;
    pause_ms(PAUSE_MS);
    if (stop_requested) goto out;
    phase_read(large, LARGE_COUNT, large_sizes, 1, buf, "large");
    if (stop_requested) goto out;
    pause_ms(PAUSE_MS);
    if (stop_requested) goto out;

    {
        const char *const paths[] = {small, medium, large};
        phase_meta(paths, sizeof paths / sizeof paths[0]);
    }

out:
    /* Remove this round's files so --loop never accumulates disk use. */
    unlink(small);
    unlink(medium);
    unlink(large);
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: %s [-q] [--loop] [DIR]\n"
            "A small I/O workload for iopstop: bands of 1 KiB, 16-64 KiB and 1 MiB\n"
            "writes, then reads of the same sizes, then stat/open/close.\n"
            "  DIR      where to write (default: a temporary directory, removed)\n"
            "  -q       quiet: no per-phase lines on stderr\n"
            "  --loop   repeat until interrupted (for iopstop -p PID)\n",
            progname);
}

int main(int argc, char **argv)
{
    const char *dir = NULL;
    int loop = 0;
    int only_args = 0;
    char tmpl[4096];
    char *buf;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!only_args && strcmp(a, "--") == 0) {
            only_args = 1;
        } else if (!only_args && strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (!only_args && strcmp(a, "--loop") == 0) {
            loop = 1;
        } else if (!only_args && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            usage(stdout);
            return 0;
        } else if (!only_args && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "%s: unknown option: %s\n", progname, a);
            usage(stderr);
            return 2;
        } else if (dir == NULL) {
            dir = a;
        } else {
            fprintf(stderr, "%s: too many arguments\n", progname);
            usage(stderr);
            return 2;
        }
    }

    if (dir == NULL) {
        const char *t = getenv("TMPDIR");
        if (t == NULL || *t == '\0')
            t = "/tmp";
        int n = snprintf(tmpl, sizeof tmpl, "%s/iopstop-demo.XXXXXX", t);
        if (n < 0 || (size_t)n >= sizeof tmpl) {
            fprintf(stderr, "%s: TMPDIR too long\n", progname);
            return 1;
        }
        if (mkdtemp(tmpl) == NULL)
            die("mkdtemp", tmpl);
        dir = tmpl;
        made_dir = tmpl;
    } else {
        struct stat st;
        if (stat(dir, &st) != 0)
            die("stat", dir);
        if (!S_ISDIR(st.st_mode)) {
            fprintf(stderr, "%s: not a directory: %s\n", progname, dir);
            return 2;
        }
    }

    {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
    }

    buf = malloc((size_t)LARGE_SIZE);
    if (buf == NULL) {
        fprintf(stderr, "%s: out of memory\n", progname);
        return 1;
    }
    for (long i = 0; i < LARGE_SIZE; i++)
        buf[i] = (char)('a' + i % 26);

    say("writing in %s (pid %ld)%s", dir, (long)getpid(),
        loop ? ", looping until interrupted" : "");
    {
        long round = 0;
        do {
            if (loop && !quiet)
                say("round %ld", ++round);
            run_round(dir, buf);
            if (loop && !stop_requested)
                pause_ms(PAUSE_MS);
        } while (loop && !stop_requested);
    }

    free(buf);
    cleanup();
    say("done");
    return 0;
}
