/* workload: an exact-count I/O workload for iopstop's integration tests.
 *
 *   workload DIR
 *
 * Three actors -- the main thread, a second pthread and one forked child --
 * each write and read back their own files in DIR with raw POSIX calls
 * (write, pwrite, writev, read, pread, readv) of known, distinct sizes
 * (0, 3, 100, 1000, 4096, 65536, 1000000 bytes).  The three run at the same
 * time.  Every counted call's return value is tallied as it happens, in
 * memory shared with the child (an anonymous shared mapping, so reporting
 * costs no I/O), and at the end ONE JSON object goes to stdout:
 *
 *   {"files": {"/abs/DIR/main.dat": {"read_ops": N, "write_ops": N,
 *                                    "read_bytes": N, "write_bytes": N}, ...},
 *    "read_errors": N, "write_errors": N}
 *
 * read_ops/write_ops count successful read-family/write-family calls on that
 * file, including those that return 0 (reads at end of file and one
 * zero-length write); *_bytes add up the values they returned.  A few calls
 * are made to fail on purpose (EBADF: read on a write-only descriptor and
 * write on a read-only one); they are counted only in read_errors and
 * write_errors, never in "files".  Paths are canonical (realpath of DIR), as
 * `strace -y` shows them.  Nothing is written to the counted files except the
 * counted data; the JSON goes to stdout only.
 *
 * Exit status: 42 on success (distinctive, so a tracer passing exit statuses
 * through can be checked), 1 on an unexpected error, 2 on usage error.
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

enum file_id {
    F_MAIN,    /* main thread: write, writev, pwrite; read, pread, readv */
    F_MAIN2,   /* main thread: tiny ops, one zero-length write */
    F_THREAD,  /* second thread: pwrite 1000000, writev, write; read, pread */
    F_CHILD,   /* forked child: write 65536, pwrite; one big read, pread */
    F_CHILD2,  /* forked child: write 1000; read 100, pread */
    N_FILES
};

static const char *const file_names[N_FILES] = {
    "main.dat", "main2.dat", "thread.dat", "child.dat", "child2.dat",
};

struct counts {
    long long read_ops, write_ops, read_bytes, write_bytes;
};

struct shared {
    struct counts files[N_FILES];
    long long read_errors[3]; /* per actor: 0 main, 1 thread, 2 child */
    long long write_errors[3];
};

static struct shared *sh; /* MAP_SHARED: the child's updates reach the parent */
static char paths[N_FILES][PATH_MAX + 64];

#define BIG 1000000
static char wbuf[BIG]; /* pattern to write; each actor only reads it */

static void fail(const char *what, enum file_id f)
{
    fprintf(stderr, "workload: %s %s: %s\n", what, paths[f], strerror(errno));
    _exit(1);
}

static int open_file(enum file_id f, int flags)
{
    int fd = open(paths[f], flags | O_CLOEXEC, 0644);
    if (fd < 0)
        fail("open", f);
    return fd;
}

static void close_file(enum file_id f, int fd)
{
    if (close(fd) != 0)
        fail("close", f);
}

/* Each wrapper makes exactly one system call and counts what it returned. */

static ssize_t w_write(enum file_id f, int fd, const void *buf, size_t n)
{
    ssize_t r = write(fd, buf, n);
    if (r < 0)
        fail("write", f);
    sh->files[f].write_ops++;
    sh->files[f].write_bytes += r;
    return r;
}

static ssize_t w_pwrite(enum file_id f, int fd, const void *buf, size_t n, off_t off)
{
    ssize_t r = pwrite(fd, buf, n, off);
    if (r < 0)
        fail("pwrite", f);
    sh->files[f].write_ops++;
    sh->files[f].write_bytes += r;
    return r;
}

static ssize_t w_writev2(enum file_id f, int fd, size_t n1, size_t n2)
{
    struct iovec iov[2];
    iov[0].iov_base = wbuf;
    iov[0].iov_len = n1;
    iov[1].iov_base = wbuf + n1;
    iov[1].iov_len = n2;
    ssize_t r = writev(fd, iov, 2);
    if (r < 0)
        fail("writev", f);
    sh->files[f].write_ops++;
    sh->files[f].write_bytes += r;
    return r;
}

static ssize_t r_read(enum file_id f, int fd, void *buf, size_t n)
{
    ssize_t r = read(fd, buf, n);
    if (r < 0)
        fail("read", f);
    sh->files[f].read_ops++;
    sh->files[f].read_bytes += r;
    return r;
}

static ssize_t r_pread(enum file_id f, int fd, void *buf, size_t n, off_t off)
{
    ssize_t r = pread(fd, buf, n, off);
    if (r < 0)
        fail("pread", f);
    sh->files[f].read_ops++;
    sh->files[f].read_bytes += r;
    return r;
}

static ssize_t r_readv2(enum file_id f, int fd, char *buf, size_t n1, size_t n2)
{
    struct iovec iov[2];
    iov[0].iov_base = buf;
    iov[0].iov_len = n1;
    iov[1].iov_base = buf + n1;
    iov[1].iov_len = n2;
    ssize_t r = readv(fd, iov, 2);
    if (r < 0)
        fail("readv", f);
    sh->files[f].read_ops++;
    sh->files[f].read_bytes += r;
    return r;
}

/* read() with requests of `chunk` bytes until (and including) the 0 at EOF. */
static void read_to_eof(enum file_id f, int fd, char *buf, size_t chunk)
{
    while (r_read(f, fd, buf, chunk) > 0)
        ;
}

/* A deliberately failing call of each kind: EBADF, counted as errors only. */
static void failing_read(enum file_id f, int wronly_fd, int actor)
{
    char c;
    if (read(wronly_fd, &c, 1) >= 0) {
        errno = 0;
        fail("read on a write-only descriptor succeeded", f);
    }
    sh->read_errors[actor]++;
}

static void failing_write(enum file_id f, int rdonly_fd, int actor)
{
    if (write(rdonly_fd, wbuf, 100) >= 0) {
        errno = 0;
        fail("write on a read-only descriptor succeeded", f);
    }
    sh->write_errors[actor]++;
}

/* ---- main thread: main.dat, main2.dat ---------------------------------- */

static void main_actor(char *rbuf)
{
    int fd = open_file(F_MAIN, O_WRONLY | O_CREAT | O_TRUNC);
    off_t end = 0;
    for (int i = 0; i < 3; i++)
        end += w_write(F_MAIN, fd, wbuf, 100);
    for (int i = 0; i < 2; i++)
        end += w_write(F_MAIN, fd, wbuf, 4096);
    for (int i = 0; i < 2; i++)
        end += w_writev2(F_MAIN, fd, 3, 1000);
    w_pwrite(F_MAIN, fd, wbuf, 65536, end); /* file is now end + 65536 long */
    failing_read(F_MAIN, fd, 0);
    close_file(F_MAIN, fd);

    fd = open_file(F_MAIN, O_RDONLY);
    read_to_eof(F_MAIN, fd, rbuf, 4096);
    for (int i = 0; i < 2; i++)
        r_pread(F_MAIN, fd, rbuf, 100, 0);
    r_pread(F_MAIN, fd, rbuf, 65536, end);
    if (lseek(fd, 0, SEEK_SET) != 0)
        fail("lseek", F_MAIN);
    r_readv2(F_MAIN, fd, rbuf, 3, 1000);
    failing_write(F_MAIN, fd, 0);
    close_file(F_MAIN, fd);

    fd = open_file(F_MAIN2, O_WRONLY | O_CREAT | O_TRUNC);
    for (int i = 0; i < 10; i++)
        w_write(F_MAIN2, fd, wbuf, 3);
    w_write(F_MAIN2, fd, wbuf, 0); /* a successful zero-byte write */
    close_file(F_MAIN2, fd);

    fd = open_file(F_MAIN2, O_RDONLY);
    for (int i = 0; i < 10; i++)
        r_read(F_MAIN2, fd, rbuf, 3);
    r_read(F_MAIN2, fd, rbuf, 3); /* at EOF: returns 0 */
    r_pread(F_MAIN2, fd, rbuf, 100, 0); /* short: returns 30 */
    close_file(F_MAIN2, fd);
}

/* ---- second thread: thread.dat ------------------------------------------ */

static void *thread_actor(void *arg)
{
    char *rbuf = arg;
    int fd = open_file(F_THREAD, O_RDWR | O_CREAT | O_TRUNC);
    off_t end = w_pwrite(F_THREAD, fd, wbuf, BIG, 0);
    if (lseek(fd, end, SEEK_SET) != end)
        fail("lseek", F_THREAD);
    for (int i = 0; i < 5; i++)
        end += w_write(F_THREAD, fd, wbuf, 3);
    end += w_writev2(F_THREAD, fd, 100, 65536);
    close_file(F_THREAD, fd);

    fd = open_file(F_THREAD, O_RDONLY);
    r_pread(F_THREAD, fd, rbuf, BIG, 0);
    for (int i = 0; i < 3; i++)
        r_read(F_THREAD, fd, rbuf, 4096);
    for (int i = 0; i < 4; i++)
        r_pread(F_THREAD, fd, rbuf, 1000, (off_t)i * 1000);
    r_pread(F_THREAD, fd, rbuf, 4096, end - 3); /* short: returns 3 */
    failing_write(F_THREAD, fd, 1);
    close_file(F_THREAD, fd);
    return NULL;
}

/* ---- forked child: child.dat, child2.dat -------------------------------- */

static void child_actor(char *rbuf)
{
    int fd = open_file(F_CHILD, O_WRONLY | O_CREAT | O_TRUNC);
    for (int i = 0; i < 4; i++)
        w_write(F_CHILD, fd, wbuf, 65536);
    w_write(F_CHILD, fd, wbuf, 3);
    for (int i = 0; i < 2; i++)
        w_pwrite(F_CHILD, fd, wbuf, 100, (off_t)i * 100); /* overwrite */
    failing_read(F_CHILD, fd, 2);
    close_file(F_CHILD, fd);

    fd = open_file(F_CHILD, O_RDONLY);
    read_to_eof(F_CHILD, fd, rbuf, BIG); /* one read of the whole file, one 0 */
    for (int i = 0; i < 3; i++)
        r_pread(F_CHILD, fd, rbuf, 4096, (off_t)(i + 1) * 4096);
    close_file(F_CHILD, fd);

    fd = open_file(F_CHILD2, O_WRONLY | O_CREAT | O_TRUNC);
    for (int i = 0; i < 7; i++)
        w_write(F_CHILD2, fd, wbuf, 1000);
    close_file(F_CHILD2, fd);

    fd = open_file(F_CHILD2, O_RDONLY);
    for (int i = 0; i < 5; i++)
        r_read(F_CHILD2, fd, rbuf, 100);
    r_pread(F_CHILD2, fd, rbuf, 1000, 6000);
    close_file(F_CHILD2, fd);
}

/* ---- report ------------------------------------------------------------- */

static void json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void report(void)
{
    long long re = 0, we = 0;
    for (int a = 0; a < 3; a++) {
        re += sh->read_errors[a];
        we += sh->write_errors[a];
    }
    printf("{\"files\": {");
    for (int f = 0; f < N_FILES; f++) {
        const struct counts *c = &sh->files[f];
        printf("%s\n  ", f ? "," : "");
        json_string(paths[f]);
        printf(": {\"read_ops\": %lld, \"write_ops\": %lld, "
               "\"read_bytes\": %lld, \"write_bytes\": %lld}",
               c->read_ops, c->write_ops, c->read_bytes, c->write_bytes);
    }
    printf("},\n \"read_errors\": %lld, \"write_errors\": %lld}\n", re, we);
}

int main(int argc, char **argv)
{
    char dir[PATH_MAX];
    static char rbuf_main[BIG], rbuf_thread[BIG], rbuf_child[BIG];

    if (argc != 2) {
        fprintf(stderr, "usage: workload DIR\n");
        return 2;
    }
    if (realpath(argv[1], dir) == NULL) {
        fprintf(stderr, "workload: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    for (int f = 0; f < N_FILES; f++)
        snprintf(paths[f], sizeof paths[f], "%s/%s", strcmp(dir, "/") ? dir : "",
                 file_names[f]);
    for (size_t i = 0; i < sizeof wbuf; i++)
        wbuf[i] = (char)('A' + i % 23);

    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
        perror("workload: mmap");
        return 1;
    }
    memset(sh, 0, sizeof *sh);

    fflush(NULL); /* nothing buffered may be inherited by the child */
    pid_t child = fork();
    if (child < 0) {
        perror("workload: fork");
        return 1;
    }
    if (child == 0) {
        child_actor(rbuf_child);
        _exit(0);
    }

    pthread_t th;
    int e = pthread_create(&th, NULL, thread_actor, rbuf_thread);
    if (e != 0) {
        fprintf(stderr, "workload: pthread_create: %s\n", strerror(e));
        return 1;
    }
    main_actor(rbuf_main);
    e = pthread_join(th, NULL);
    if (e != 0) {
        fprintf(stderr, "workload: pthread_join: %s\n", strerror(e));
        return 1;
    }

    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("workload: waitpid");
            return 1;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "workload: child failed (status 0x%x)\n", (unsigned)status);
        return 1;
    }

    report();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("workload: stdout");
        return 1;
    }
    return 42;
}
