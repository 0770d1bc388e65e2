/* dispatch.c - the system calls libc makes inside its own functions.
 *
 * stdio, dirent, nftw, realpath, getcwd, mkstemp... call libc's internal
 * system call stubs, which no wrapper can interpose.  While a thread is
 * inside one of the libc functions wrapped below, Linux's syscall user
 * dispatch (PR_SET_SYSCALL_USER_DISPATCH, Linux >= 5.11) is switched to
 * "block" by one byte store: each system call then traps into a SIGSYS
 * handler that records it (the call the kernel was asked for, its true
 * size and file) and performs it.  Outside those functions nothing traps
 * and nothing costs; a trap costs about a microsecond, paid only for the
 * calls stdio really makes (a flush, a refill).
 *
 * No harm to the program: the handler keeps errno and uses only
 * async-signal-safe code; the program's own SIGSYS action is kept aside
 * and called for every SIGSYS that is not ours (seccomp's, kill's);
 * SIGSYS is never blocked (a blocked SIGSYS at a trap would kill); calls
 * that change control flow or signal state (clone, vfork, exec,
 * sigreturn, sigprocmask...) are not performed in the handler but run
 * again where they were, unwatched for the rest of that libc call.  Where
 * the kernel or the architecture lacks dispatch, wrappers only keep the
 * descriptor table right and the kernel check reports what was missed. */
#undef _FORTIFY_SOURCE
#ifndef __NO_INLINE__
#define __NO_INLINE__ 1	/* no inline getc/putchar from the headers */
#endif
#include <config.h>

#include "preload.h"
#include "shmring.h"
#include "syscalls.h"
#include "event.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>

#include <ftw.h>
#include <glob.h>
#include <iconv.h>
#include <libintl.h>
#include <locale.h>
#include <netdb.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <ucontext.h>
#include <unistd.h>
#include <utime.h>
#include <wchar.h>

#define EXPORT __attribute__((visibility("default")))
/* libintl.h makes these macros when optimizing: we define the functions. */
#undef gettext
#undef dgettext
#undef ngettext
#undef dngettext

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#endif
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif
#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif

__thread int pl_trap_depth;
static __thread volatile char sud_sel = SYSCALL_DISPATCH_FILTER_ALLOW;
static __thread int sud_on;	/* this thread: 0 not yet, 1 on, -1 refused */
static int sud_ok;		/* the handler is installed */
static int at_exit;		/* trapping to the end (exit's stdio flush) */
static int exit_reported;	/* ...and this image's counts were sent */
static struct sigaction prog_sigsys;	/* the program's SIGSYS action */

/* ---- system call numbers to iopstop's ids ---------------------------------- */

#define NR_MAX 512
static uint8_t nr_sc[NR_MAX];

static void nr_init(void)
{
	_Static_assert(SC_COUNT < 256, "nr_sc holds ids in uint8_t");
#define NR(name) if (__NR_##name < NR_MAX) nr_sc[__NR_##name] = SC_##name;
#include "src/preload/sysnr.h"
#undef NR
}

#if defined(__x86_64__)
/* The signal return trampoline: the one place calls are always allowed
 * from, so the handler's return never traps. */
__asm__(".pushsection .text\n"
	".p2align 4\n"
	".hidden pl_sud_restorer\n"
	".globl pl_sud_restorer\n"
	".type pl_sud_restorer,@function\n"
	"pl_sud_restorer:\n"
	"\tmovq $15, %rax\n"	/* rt_sigreturn */
	"\tsyscall\n"
	"\thlt\n"
	".size pl_sud_restorer, .-pl_sud_restorer\n"
	".popsection\n");
void pl_sud_restorer(void);

struct ksigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};
#define KSA_RESTORER 0x04000000

static long raw6(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Calls not performed in the handler: they change the stack, the task or
 * the signal state the handler returns to.  They run again where they
 * were, with trapping off. */
static int sud_rerun(long nr)
{
	switch (nr) {
	case SYS_rt_sigreturn: case SYS_clone: case SYS_fork: case SYS_vfork:
	case SYS_execve: case SYS_execveat: case SYS_exit: case SYS_exit_group:
	case SYS_rt_sigprocmask: case SYS_sigaltstack: case SYS_rt_sigsuspend:
	case SYS_pause: case SYS_rt_sigtimedwait: case SYS_prctl: case SYS_arch_prctl:
	case SYS_seccomp: case SYS_restart_syscall:
#ifdef SYS_clone3
	case SYS_clone3:
#endif
		return 1;
	}
	return 0;
}

/* Book one performed call as the strace backend shows it. */
static void sud_record(unsigned id, const long *a, long ret, int64_t t0)
{
	const struct sc_info *si = &sc_table[id];
	int err = ret < 0 && ret > -4096 ? (int)-ret : 0;
	int64_t r = err ? -1 : ret;
	if (si->flags & SCF_BOTH) {
		pl_count_seen(OPC_READ, r, err);
		pl_count_seen(OPC_WRITE, r, err);
	} else if (si->cls == OPC_READ || si->cls == OPC_WRITE) {
		pl_count_seen(si->cls, r, err);
	}
	int64_t off, *offp = NULL;
	if (id == SC_pread64 || id == SC_pwrite64 || id == SC_preadv || id == SC_pwritev) {
		off = a[3];
		offp = &off;
	} else if (id == SC_lseek && r >= 0) {
		off = r;
		offp = &off;
	}
	switch (si->args) {
	case SCA_FD:
		pl_emit((uint16_t)id, (int)a[0], -1, r, err, t0, NULL, offp);
		break;
	case SCA_PATH:
	case SCA_DIRFD_PATH: {
		const char *p = (const char *)a[si->args == SCA_PATH ? 0 : 1];
		int dirfd = (int)a[0];
		char buf[SHMRING_PATH_MAX + 1];
		if ((si->flags & SCF_RETFD) && r >= 0) {
			pl_forget((int)r);
			pl_emit((uint16_t)id, (int)r, -1, r, err, t0, NULL, NULL);
		} else if (si->args == SCA_DIRFD_PATH && p && !p[0] && dirfd >= 0) {
			/* AT_EMPTY_PATH: the descriptor itself (fstat's way) */
			pl_emit((uint16_t)id, dirfd, -1, r, err, t0, NULL, NULL);
		} else {
			/* strace -y shows *at paths joined to their dirfd's */
			if (si->args == SCA_DIRFD_PATH)
				p = pl_dir_join(dirfd, p, buf, sizeof buf);
			pl_emit((uint16_t)id, -1, -1, r, err, t0, p ? p : "", NULL);
		}
		break;
	}
	case SCA_FD_IN1_OUT0:
		pl_emit((uint16_t)id, (int)a[1], (int)a[0], r, err, t0, NULL, NULL);
		break;
	case SCA_FD_IN0_OUT2:
		pl_emit((uint16_t)id, (int)a[0], (int)a[2], r, err, t0, NULL, NULL);
		break;
	default:
		pl_emit((uint16_t)id, -1, -1, r, err, t0, "", NULL);
		break;
	}
}

/* A SIGSYS that is not ours: what the program asked for. */
static void sud_chain(int sig, siginfo_t *si, void *uc)
{
	struct sigaction a = prog_sigsys;
	/* Ours runs with every signal blocked; the program's handler runs
	 * with the mask it asked for. */
	sigset_t m = ((ucontext_t *)uc)->uc_sigmask;
	for (int i = 1; i < NSIG; i++)
		if (sigismember(&a.sa_mask, i) == 1)
			sigaddset(&m, i);
	if (!(a.sa_flags & SA_NODEFER))
		sigaddset(&m, SIGSYS);
	raw6(SYS_rt_sigprocmask, SIG_SETMASK, (long)&m, 0, 8, 0, 0);
	if (a.sa_flags & SA_RESETHAND)
		prog_sigsys.sa_handler = SIG_DFL;
	if (a.sa_flags & SA_SIGINFO) {
		if (a.sa_sigaction)
			a.sa_sigaction(sig, si, uc);
		return;
	}
	if (a.sa_handler == SIG_IGN)
		return;
	if (a.sa_handler == SIG_DFL) {
		/* Die of it as the program would: default action, then the
		 * signal again, delivered when this handler returns. */
		struct ksigaction k = {.handler = SIG_DFL};
		raw6(SYS_rt_sigaction, SIGSYS, (long)&k, 0, 8, 0, 0);
		raw6(SYS_tgkill, raw6(SYS_getpid, 0, 0, 0, 0, 0, 0),
		     raw6(SYS_gettid, 0, 0, 0, 0, 0, 0), SIGSYS, 0, 0, 0);
		return;
	}
	a.sa_handler(sig);
}

static void sud_handler(int sig, siginfo_t *si, void *ucv)
{
	if (si->si_code != SYS_USER_DISPATCH) {
		sud_chain(sig, si, ucv);
		return;
	}
	int saved = errno;
	char sel = sud_sel;
	sud_sel = SYSCALL_DISPATCH_FILTER_ALLOW;	/* our own calls pass */
	greg_t *g = ((ucontext_t *)ucv)->uc_mcontext.gregs;
	long nr = si->si_syscall;
	if (sud_rerun(nr)) {
		/* Trapping ends here: an image ending in exit sends its counts
		 * now (at the exit, or at whatever ends trapping first). */
		if (at_exit && !exit_reported) {
			exit_reported = 1;
			pl_report_counts(1);
		}
		g[REG_RAX] = nr;
		g[REG_RIP] -= 2;	/* the 2-byte syscall instruction */
		errno = saved;
		return;			/* trapping stays off */
	}
	long a[6] = {g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9]};
	unsigned id = nr >= 0 && nr < NR_MAX ? nr_sc[nr] : 0;
	if (sc_table[id].cls == OPC_PROC)
		id = 0;	/* processes come from fork and exec records */
	if ((sc_table[id].flags & SCF_LOCKCMD) && !syscalls_lock_cmd_num((int)a[1]))
		id = 0;	/* fcntl counts only as a lock, as the strace backend has it */
	int64_t t0 = id ? pl_now_ns() : 0;
	if (id == SC_close)
		pl_announce((int)a[0]);	/* the close is counted against its file */
	long ret = raw6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	g[REG_RAX] = ret;
	if (id)
		sud_record(id, a, ret, t0);
	if (ret >= 0 && (id == SC_close || nr == SYS_dup || nr == SYS_dup2 || nr == SYS_dup3))
		pl_forget(id == SC_close ? (int)a[0] : (int)ret);
	sud_sel = sel;
	errno = saved;
}

int pl_dispatch_init(void)
{
	const char *env = getenv("IOPSTOP_NO_DISPATCH");	/* tests: the fallback */
	if (env && *env)
		return 0;
	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0) != 0)
		return 0;	/* Linux < 5.11 or built without it */
	nr_init();
	struct sigaction old;
	if (sigaction(SIGSYS, NULL, &old) != 0)
		return 0;
	/* Every signal blocked while it runs: a handler of the program's
	 * that came in before trapping is off would trap with SIGSYS
	 * blocked, and the kernel kills for that. */
	struct ksigaction k = {.handler = (void *)sud_handler,
			       .flags = SA_SIGINFO | KSA_RESTORER,
			       .restorer = pl_sud_restorer, .mask = ~UINT64_C(0)};
	if (raw6(SYS_rt_sigaction, SIGSYS, (long)&k, 0, 8, 0, 0) != 0)
		return 0;
	prog_sigsys = old;
	sud_ok = 1;
	return 1;
}

static void sud_thread(void)
{
	sud_on = prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
		       (unsigned long)pl_sud_restorer, 16UL, (char *)&sud_sel) == 0 ? 1 : -1;
}
#else	/* no dispatch on this architecture yet: the kernel check says so */
int pl_dispatch_init(void)
{
	return 0;
}
static void sud_thread(void)
{
	sud_on = -1;
}
#endif

int pl_trap_wanted(long nr)
{
	return sud_ok && nr >= 0 && nr < NR_MAX && nr_sc[nr] != 0;
}

int pl_trap_begin(void)
{
	if (!pl_ring || !sud_ok)
		return 0;
	if (__builtin_expect(sud_on == 0, 0))
		sud_thread();	/* dispatch is per thread, not inherited */
	if (sud_on < 0)
		return 0;
	if (pl_trap_depth++ == 0)
		sud_sel = SYSCALL_DISPATCH_FILTER_BLOCK;
	return 1;
}

void pl_trap_end(int t)
{
	if (t && pl_trap_depth > 0 && --pl_trap_depth == 0)
		sud_sel = SYSCALL_DISPATCH_FILTER_ALLOW;
}

void pl_dispatch_after_fork(void)
{
	sud_on = 0;	/* the child's kernel state starts off */
	at_exit = exit_reported = 0;
	pl_trap_depth = 0;
	sud_sel = SYSCALL_DISPATCH_FILTER_ALLOW;
}

/* exit's last stdio flush runs after every destructor: trap from here to
 * the exit itself, whose trap sends this image's counts. */
int pl_dispatch_at_exit(void)
{
	if (!pl_trap_begin())
		return 0;
	pl_trap_depth = 1 << 20;	/* never ends */
	at_exit = 1;
	return 1;
}

/* ---- the program's signals: SIGSYS stays ours and unblocked ----------------- */

static inline void *resolve(void **p, const char *name)
{
	if (__builtin_expect(!*p, 0)) {
		int e = errno;	/* a first call must not change errno */
		*p = dlsym(RTLD_NEXT, name);
		errno = e;
	}
	return *p;
}
#define REAL(name) ((__typeof__(real_##name))resolve((void **)&real_##name, #name))

sighandler_t bsd_signal(int, sighandler_t);
static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);
static sighandler_t (*real_signal)(int, sighandler_t);
static sighandler_t (*real_bsd_signal)(int, sighandler_t);
static sighandler_t (*real_sysv_signal)(int, sighandler_t);
static int (*real_sigprocmask)(int, const sigset_t *, sigset_t *);
static int (*real_pthread_sigmask)(int, const sigset_t *, sigset_t *);

EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (sud_ok && sig == SIGSYS) {
		if (old)
			*old = prog_sigsys;
		if (act)
			prog_sigsys = *act;
		return 0;
	}
	if (sud_ok && act && sigismember(&act->sa_mask, SIGSYS) == 1) {
		struct sigaction a = *act;
		sigdelset(&a.sa_mask, SIGSYS);
		return REAL(sigaction)(sig, &a, old);
	}
	return REAL(sigaction)(sig, act, old);
}

static sighandler_t signal_as(int sig, sighandler_t h, int flags)
{
	sighandler_t old = prog_sigsys.sa_handler;
	memset(&prog_sigsys, 0, sizeof prog_sigsys);
	prog_sigsys.sa_handler = h;
	prog_sigsys.sa_flags = flags;
	sigemptyset(&prog_sigsys.sa_mask);
	(void)sig;
	return old;
}

EXPORT sighandler_t signal(int sig, sighandler_t h)
{
	if (sud_ok && sig == SIGSYS)
		return signal_as(sig, h, SA_RESTART);
	return REAL(signal)(sig, h);
}

EXPORT sighandler_t bsd_signal(int sig, sighandler_t h)
{
	if (sud_ok && sig == SIGSYS)
		return signal_as(sig, h, SA_RESTART);
	return REAL(bsd_signal)(sig, h);
}

EXPORT sighandler_t sysv_signal(int sig, sighandler_t h)
{
	if (sud_ok && sig == SIGSYS)
		return signal_as(sig, h, SA_RESETHAND | SA_NODEFER);
	return REAL(sysv_signal)(sig, h);
}

static const sigset_t *unblock_sigsys(int how, const sigset_t *set, sigset_t *copy)
{
	if (!sud_ok || !set || how == SIG_UNBLOCK || sigismember(set, SIGSYS) != 1)
		return set;
	*copy = *set;
	sigdelset(copy, SIGSYS);
	return copy;
}

EXPORT int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	sigset_t c;
	return REAL(sigprocmask)(how, unblock_sigsys(how, set, &c), old);
}

EXPORT int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	sigset_t c;
	return REAL(pthread_sigmask)(how, unblock_sigsys(how, set, &c), old);
}

/* ---- libc functions whose system calls are trapped --------------------------- */

#define TRAP(ret_t, name, params, args)					\
	static ret_t (*real_##name) params;				\
	EXPORT ret_t name params					\
	{								\
		__typeof__(real_##name) f_ = REAL(name);		\
		int t_ = pl_trap_begin();				\
		ret_t r_ = f_ args;					\
		pl_trap_end(t_);					\
		return r_;						\
	}
#define TRAPV(name, params, args)					\
	static void (*real_##name) params;				\
	EXPORT void name params						\
	{								\
		__typeof__(real_##name) f_ = REAL(name);		\
		int t_ = pl_trap_begin();				\
		f_ args;						\
		pl_trap_end(t_);					\
	}
/* A variadic entry point through its va_list twin (wrapped first). */
#define TRAPVA(ret_t, name, vname, params, args, last)			\
	EXPORT ret_t name params					\
	{								\
		va_list ap;						\
		va_start(ap, last);					\
		__typeof__(real_##vname) f_ = REAL(vname);		\
		int t_ = pl_trap_begin();				\
		ret_t r_ = f_ args;					\
		pl_trap_end(t_);					\
		va_end(ap);						\
		return r_;						\
	}

/* Not in the public headers. */
int __overflow(FILE *, int);
int __uflow(FILE *);
int __underflow(FILE *);
wint_t __woverflow(FILE *, wint_t);
wint_t __wuflow(FILE *);
wint_t __wunderflow(FILE *);
int _IO_getc(FILE *);
int _IO_putc(int, FILE *);
size_t __fread_chk(void *, size_t, size_t, size_t, FILE *);
size_t __fread_unlocked_chk(void *, size_t, size_t, size_t, FILE *);
char *__fgets_chk(char *, size_t, int, FILE *);
char *__fgets_unlocked_chk(char *, size_t, int, FILE *);
ssize_t __getdelim(char **, size_t *, int, FILE *);
int __fprintf_chk(FILE *, int, const char *, ...);
int __printf_chk(int, const char *, ...);
int __vfprintf_chk(FILE *, int, const char *, va_list);
int __vprintf_chk(int, const char *, va_list);
int __dprintf_chk(int, int, const char *, ...);
int __vdprintf_chk(int, int, const char *, va_list);
int __isoc99_fscanf(FILE *, const char *, ...);
int __isoc99_scanf(const char *, ...);
int __isoc99_vfscanf(FILE *, const char *, va_list);
int __isoc99_vscanf(const char *, va_list);
char *__realpath_chk(const char *, char *, size_t);
char *__getcwd_chk(char *, size_t, size_t);
ssize_t __readlink_chk(const char *, char *, size_t, size_t);
ssize_t __readlinkat_chk(int, const char *, char *, size_t, size_t);
int fcloseall(void);
int flock(int, int);

/* stdio: writes */
TRAP(size_t, fwrite, (const void *p, size_t s, size_t n, FILE *f), (p, s, n, f))
TRAP(size_t, fwrite_unlocked, (const void *p, size_t s, size_t n, FILE *f), (p, s, n, f))
TRAP(int, fputs, (const char *s, FILE *f), (s, f))
TRAP(int, fputs_unlocked, (const char *s, FILE *f), (s, f))
TRAP(int, puts, (const char *s), (s))
TRAP(int, fputc, (int c, FILE *f), (c, f))
TRAP(int, putc, (int c, FILE *f), (c, f))
TRAP(int, _IO_putc, (int c, FILE *f), (c, f))
TRAP(int, fputc_unlocked, (int c, FILE *f), (c, f))
TRAP(int, putc_unlocked, (int c, FILE *f), (c, f))
TRAP(int, putchar, (int c), (c))
TRAP(int, putchar_unlocked, (int c), (c))
TRAP(int, __overflow, (FILE *f, int c), (f, c))
TRAP(int, vfprintf, (FILE *f, const char *fmt, va_list ap), (f, fmt, ap))
TRAP(int, vprintf, (const char *fmt, va_list ap), (fmt, ap))
TRAP(int, __vfprintf_chk, (FILE *f, int fl, const char *fmt, va_list ap), (f, fl, fmt, ap))
TRAP(int, __vprintf_chk, (int fl, const char *fmt, va_list ap), (fl, fmt, ap))
TRAP(int, vdprintf, (int fd, const char *fmt, va_list ap), (fd, fmt, ap))
TRAP(int, __vdprintf_chk, (int fd, int fl, const char *fmt, va_list ap), (fd, fl, fmt, ap))
TRAPVA(int, fprintf, vfprintf, (FILE *f, const char *fmt, ...), (f, fmt, ap), fmt)
TRAPVA(int, printf, vprintf, (const char *fmt, ...), (fmt, ap), fmt)
TRAPVA(int, __fprintf_chk, __vfprintf_chk, (FILE *f, int fl, const char *fmt, ...), (f, fl, fmt, ap), fmt)
TRAPVA(int, __printf_chk, __vprintf_chk, (int fl, const char *fmt, ...), (fl, fmt, ap), fmt)
TRAPVA(int, dprintf, vdprintf, (int fd, const char *fmt, ...), (fd, fmt, ap), fmt)
TRAPVA(int, __dprintf_chk, __vdprintf_chk, (int fd, int fl, const char *fmt, ...), (fd, fl, fmt, ap), fmt)
TRAP(wint_t, fputwc, (wchar_t c, FILE *f), (c, f))
TRAP(wint_t, putwc, (wchar_t c, FILE *f), (c, f))
TRAP(int, fputws, (const wchar_t *s, FILE *f), (s, f))
TRAP(wint_t, __woverflow, (FILE *f, wint_t c), (f, c))
TRAP(int, vfwprintf, (FILE *f, const wchar_t *fmt, va_list ap), (f, fmt, ap))
TRAP(int, vwprintf, (const wchar_t *fmt, va_list ap), (fmt, ap))
TRAPVA(int, fwprintf, vfwprintf, (FILE *f, const wchar_t *fmt, ...), (f, fmt, ap), fmt)
TRAPVA(int, wprintf, vwprintf, (const wchar_t *fmt, ...), (fmt, ap), fmt)
TRAPV(perror, (const char *s), (s))

/* stdio: reads */
TRAP(size_t, fread, (void *p, size_t s, size_t n, FILE *f), (p, s, n, f))
TRAP(size_t, fread_unlocked, (void *p, size_t s, size_t n, FILE *f), (p, s, n, f))
TRAP(size_t, __fread_chk, (void *p, size_t l, size_t s, size_t n, FILE *f), (p, l, s, n, f))
TRAP(size_t, __fread_unlocked_chk, (void *p, size_t l, size_t s, size_t n, FILE *f), (p, l, s, n, f))
TRAP(int, fgetc, (FILE *f), (f))
TRAP(int, getc, (FILE *f), (f))
TRAP(int, _IO_getc, (FILE *f), (f))
TRAP(int, fgetc_unlocked, (FILE *f), (f))
TRAP(int, getc_unlocked, (FILE *f), (f))
TRAP(int, getchar, (void), ())
TRAP(int, getchar_unlocked, (void), ())
TRAP(int, __uflow, (FILE *f), (f))
TRAP(int, __underflow, (FILE *f), (f))
TRAP(int, ungetc, (int c, FILE *f), (c, f))
TRAP(char *, fgets, (char *s, int n, FILE *f), (s, n, f))
TRAP(char *, fgets_unlocked, (char *s, int n, FILE *f), (s, n, f))
TRAP(char *, __fgets_chk, (char *s, size_t l, int n, FILE *f), (s, l, n, f))
TRAP(char *, __fgets_unlocked_chk, (char *s, size_t l, int n, FILE *f), (s, l, n, f))
TRAP(ssize_t, getline, (char **l, size_t *n, FILE *f), (l, n, f))
TRAP(ssize_t, getdelim, (char **l, size_t *n, int d, FILE *f), (l, n, d, f))
TRAP(ssize_t, __getdelim, (char **l, size_t *n, int d, FILE *f), (l, n, d, f))
/* (the headers send scanf and fscanf to these) */
TRAP(int, __isoc99_vfscanf, (FILE *f, const char *fmt, va_list ap), (f, fmt, ap))
TRAP(int, __isoc99_vscanf, (const char *fmt, va_list ap), (fmt, ap))
TRAPVA(int, __isoc99_fscanf, __isoc99_vfscanf, (FILE *f, const char *fmt, ...), (f, fmt, ap), fmt)
TRAPVA(int, __isoc99_scanf, __isoc99_vscanf, (const char *fmt, ...), (fmt, ap), fmt)
TRAP(wint_t, fgetwc, (FILE *f), (f))
TRAP(wint_t, getwc, (FILE *f), (f))
TRAP(wchar_t *, fgetws, (wchar_t *s, int n, FILE *f), (s, n, f))
TRAP(wint_t, __wuflow, (FILE *f), (f))
TRAP(wint_t, __wunderflow, (FILE *f), (f))

/* stdio: streams */
TRAP(int, fflush, (FILE *f), (f))
TRAP(int, fflush_unlocked, (FILE *f), (f))
TRAP(int, fseek, (FILE *f, long o, int w), (f, o, w))
TRAP(int, fseeko, (FILE *f, off_t o, int w), (f, o, w))
TRAP(int, fseeko64, (FILE *f, off_t o, int w), (f, o, w))
TRAP(long, ftell, (FILE *f), (f))
TRAP(off_t, ftello, (FILE *f), (f))
TRAP(off_t, ftello64, (FILE *f), (f))
TRAPV(rewind, (FILE *f), (f))
TRAP(int, fsetpos, (FILE *f, const fpos_t *p), (f, p))
TRAP(int, fgetpos, (FILE *f, fpos_t *p), (f, p))
TRAP(int, setvbuf, (FILE *f, char *b, int m, size_t n), (f, b, m, n))
TRAP(FILE *, fdopen, (int fd, const char *m), (fd, m))
TRAP(FILE *, freopen, (const char *p, const char *m, FILE *f), (p, m, f))
TRAP(FILE *, freopen64, (const char *p, const char *m, FILE *f), (p, m, f))
TRAP(FILE *, tmpfile, (void), ())
TRAP(FILE *, tmpfile64, (void), ())
TRAP(FILE *, popen, (const char *c, const char *m), (c, m))
TRAP(int, pclose, (FILE *f), (f))
TRAP(int, fcloseall, (void), ())

/* Opening and closing a stream: the name table stays right even where
 * nothing traps. */
static FILE *(*real_fopen)(const char *, const char *);
static FILE *(*real_fopen64)(const char *, const char *);
static int (*real_fclose)(FILE *);

static FILE *fopen_as(FILE *(*f)(const char *, const char *), const char *p, const char *m)
{
	int t = pl_trap_begin();
	FILE *r = f(p, m);
	pl_trap_end(t);
	if (r && !t) {
		int e = errno;
		pl_forget(fileno(r));
		errno = e;
	}
	return r;
}

EXPORT FILE *fopen(const char *p, const char *m) { return fopen_as(REAL(fopen), p, m); }
EXPORT FILE *fopen64(const char *p, const char *m) { return fopen_as(REAL(fopen64), p, m); }

EXPORT int fclose(FILE *f)
{
	int fd = f ? fileno(f) : -1;
	__typeof__(real_fclose) real = REAL(fclose);
	int t = pl_trap_begin();
	int r = real(f);
	pl_trap_end(t);
	int e = errno;
	pl_forget(fd);
	errno = e;
	return r;
}

/* Directories and paths */
static int (*real_closedir)(DIR *);
EXPORT int closedir(DIR *d)
{
	int fd = dirfd(d);
	__typeof__(real_closedir) real = REAL(closedir);
	int t = pl_trap_begin();
	int r = real(d);
	pl_trap_end(t);
	int e = errno;
	pl_forget(fd);
	errno = e;
	return r;
}

typedef int (*dirsel)(const struct dirent *);
typedef int (*dircmp)(const struct dirent **, const struct dirent **);
typedef int (*dirsel64)(const struct dirent64 *);
typedef int (*dircmp64)(const struct dirent64 **, const struct dirent64 **);
typedef int (*nftw_fn)(const char *, const struct stat *, int, struct FTW *);
typedef int (*nftw64_fn)(const char *, const struct stat64 *, int, struct FTW *);
typedef int (*ftw_fn)(const char *, const struct stat *, int);
typedef int (*ftw64_fn)(const char *, const struct stat64 *, int);
typedef int (*glob_err)(const char *, int);

TRAP(DIR *, opendir, (const char *p), (p))
TRAP(DIR *, fdopendir, (int fd), (fd))
TRAP(struct dirent *, readdir, (DIR *d), (d))
TRAP(struct dirent64 *, readdir64, (DIR *d), (d))
TRAP(int, readdir_r, (DIR *d, struct dirent *e, struct dirent **r), (d, e, r))
TRAP(int, readdir64_r, (DIR *d, struct dirent64 *e, struct dirent64 **r), (d, e, r))
TRAPV(rewinddir, (DIR *d), (d))
TRAPV(seekdir, (DIR *d, long o), (d, o))
TRAP(int, scandir, (const char *p, struct dirent ***l, dirsel s, dircmp c), (p, l, s, c))
TRAP(int, scandir64, (const char *p, struct dirent64 ***l, dirsel64 s, dircmp64 c), (p, l, s, c))
TRAP(int, scandirat, (int fd, const char *p, struct dirent ***l, dirsel s, dircmp c), (fd, p, l, s, c))
TRAP(int, nftw, (const char *p, nftw_fn fn, int n, int fl), (p, fn, n, fl))
TRAP(int, nftw64, (const char *p, nftw64_fn fn, int n, int fl), (p, fn, n, fl))
TRAP(int, ftw, (const char *p, ftw_fn fn, int n), (p, fn, n))
TRAP(int, ftw64, (const char *p, ftw64_fn fn, int n), (p, fn, n))
TRAP(char *, realpath, (const char *p, char *r), (p, r))
TRAP(char *, __realpath_chk, (const char *p, char *r, size_t l), (p, r, l))
TRAP(char *, getcwd, (char *b, size_t n), (b, n))
TRAP(char *, __getcwd_chk, (char *b, size_t n, size_t l), (b, n, l))
TRAP(char *, get_current_dir_name, (void), ())
/* fts (find, du, chmod -R): fts64_* are the names with 64-bit off_t */
typedef int (*fts_cmp)(const void *, const void *);
void *fts_open(char *const *, int, fts_cmp);
void *fts_read(void *);
void *fts_children(void *, int);
int fts_close(void *);
TRAP(void *, fts_open, (char *const *p, int o, fts_cmp c), (p, o, c))
TRAP(void *, fts_read, (void *f), (f))
TRAP(void *, fts_children, (void *f, int o), (f, o))
TRAP(int, fts_close, (void *f), (f))
TRAP(int, glob, (const char *p, int fl, glob_err e, glob_t *g), (p, fl, e, g))
TRAP(int, mkstemp, (char *t), (t))
TRAP(int, mkstemp64, (char *t), (t))
TRAP(int, mkostemp, (char *t, int fl), (t, fl))
TRAP(int, mkstemps, (char *t, int n), (t, n))
TRAP(char *, mkdtemp, (char *t), (t))
TRAP(int, remove, (const char *p), (p))

/* The user and group databases read /etc/passwd, /etc/group inside libc */
TRAP(struct passwd *, getpwnam, (const char *n), (n))
TRAP(struct passwd *, getpwuid, (uid_t u), (u))
TRAP(struct group *, getgrnam, (const char *n), (n))
TRAP(struct group *, getgrgid, (gid_t g), (g))
TRAP(int, getpwnam_r, (const char *n, struct passwd *p, char *b, size_t l, struct passwd **r), (n, p, b, l, r))
TRAP(int, getpwuid_r, (uid_t u, struct passwd *p, char *b, size_t l, struct passwd **r), (u, p, b, l, r))
TRAP(int, getgrnam_r, (const char *n, struct group *g, char *b, size_t l, struct group **r), (n, g, b, l, r))
TRAP(int, getgrgid_r, (gid_t i, struct group *g, char *b, size_t l, struct group **r), (i, g, b, l, r))

/* Files libc reads for the program's sake: locales and message
 * catalogs, time zones, name services, conversion modules, libraries */
TRAP(char *, setlocale, (int c, const char *l), (c, l))
TRAP(locale_t, newlocale, (int m, const char *l, locale_t b), (m, l, b))
TRAP(char *, bindtextdomain, (const char *d, const char *p), (d, p))
TRAP(char *, textdomain, (const char *d), (d))
TRAP(char *, gettext, (const char *m), (m))
TRAP(char *, dgettext, (const char *d, const char *m), (d, m))
TRAP(char *, dcgettext, (const char *d, const char *m, int c), (d, m, c))
TRAP(char *, ngettext, (const char *a, const char *b, unsigned long n), (a, b, n))
TRAP(char *, dngettext, (const char *d, const char *a, const char *b, unsigned long n), (d, a, b, n))
TRAP(char *, dcngettext, (const char *d, const char *a, const char *b, unsigned long n, int c), (d, a, b, n, c))
TRAPV(tzset, (void), ())
TRAP(struct tm *, localtime, (const time_t *t), (t))
TRAP(struct tm *, localtime_r, (const time_t *t, struct tm *r), (t, r))
TRAP(time_t, mktime, (struct tm *t), (t))
TRAP(char *, ctime, (const time_t *t), (t))
TRAP(int, getaddrinfo, (const char *n, const char *s, const struct addrinfo *h, struct addrinfo **r), (n, s, h, r))
TRAP(struct hostent *, gethostbyname, (const char *n), (n))
TRAP(iconv_t, iconv_open, (const char *t, const char *f), (t, f))
TRAP(void *, dlopen, (const char *f, int m), (f, m))

/* The metadata families with no wrapper of their own elsewhere: trapped,
 * so each is booked as the system call libc really makes. */
TRAP(int, chmod, (const char *p, mode_t m), (p, m))
TRAP(int, fchmod, (int fd, mode_t m), (fd, m))
TRAP(int, fchmodat, (int d, const char *p, mode_t m, int fl), (d, p, m, fl))
TRAP(int, chown, (const char *p, uid_t u, gid_t g), (p, u, g))
TRAP(int, fchown, (int fd, uid_t u, gid_t g), (fd, u, g))
TRAP(int, lchown, (const char *p, uid_t u, gid_t g), (p, u, g))
TRAP(int, fchownat, (int d, const char *p, uid_t u, gid_t g, int fl), (d, p, u, g, fl))
TRAP(int, utime, (const char *p, const struct utimbuf *t), (p, t))
TRAP(int, utimes, (const char *p, const struct timeval t[2]), (p, t))
TRAP(int, lutimes, (const char *p, const struct timeval t[2]), (p, t))
TRAP(int, futimes, (int fd, const struct timeval t[2]), (fd, t))
TRAP(int, futimens, (int fd, const struct timespec t[2]), (fd, t))
TRAP(int, utimensat, (int d, const char *p, const struct timespec t[2], int fl), (d, p, t, fl))
TRAP(int, futimesat, (int d, const char *p, const struct timeval t[2]), (d, p, t))
TRAP(int, link, (const char *a, const char *b), (a, b))
TRAP(int, linkat, (int d, const char *a, int e, const char *b, int fl), (d, a, e, b, fl))
TRAP(int, symlink, (const char *a, const char *b), (a, b))
TRAP(int, symlinkat, (const char *a, int d, const char *b), (a, d, b))
TRAP(int, mknod, (const char *p, mode_t m, dev_t v), (p, m, v))
TRAP(int, mknodat, (int d, const char *p, mode_t m, dev_t v), (d, p, m, v))
TRAP(int, mkfifo, (const char *p, mode_t m), (p, m))
TRAP(int, mkfifoat, (int d, const char *p, mode_t m), (d, p, m))
TRAP(int, setxattr, (const char *p, const char *n, const void *v, size_t s, int fl), (p, n, v, s, fl))
TRAP(int, lsetxattr, (const char *p, const char *n, const void *v, size_t s, int fl), (p, n, v, s, fl))
TRAP(int, fsetxattr, (int fd, const char *n, const void *v, size_t s, int fl), (fd, n, v, s, fl))
TRAP(ssize_t, getxattr, (const char *p, const char *n, void *v, size_t s), (p, n, v, s))
TRAP(ssize_t, lgetxattr, (const char *p, const char *n, void *v, size_t s), (p, n, v, s))
TRAP(ssize_t, fgetxattr, (int fd, const char *n, void *v, size_t s), (fd, n, v, s))
TRAP(ssize_t, listxattr, (const char *p, char *l, size_t s), (p, l, s))
TRAP(ssize_t, llistxattr, (const char *p, char *l, size_t s), (p, l, s))
TRAP(ssize_t, flistxattr, (int fd, char *l, size_t s), (fd, l, s))
TRAP(int, removexattr, (const char *p, const char *n), (p, n))
TRAP(int, lremovexattr, (const char *p, const char *n), (p, n))
TRAP(int, fremovexattr, (int fd, const char *n), (fd, n))
TRAP(int, chdir, (const char *p), (p))
TRAP(int, fchdir, (int fd), (fd))
TRAPV(sync, (void), ())
TRAP(int, syncfs, (int fd), (fd))
TRAP(int, sync_file_range, (int fd, off_t o, off_t n, unsigned fl), (fd, o, n, fl))
TRAP(int, flock, (int fd, int op), (fd, op))
TRAP(int, lockf, (int fd, int cmd, off_t n), (fd, cmd, n))
TRAP(int, statfs, (const char *p, struct statfs *b), (p, b))
TRAP(int, fstatfs, (int fd, struct statfs *b), (fd, b))
TRAP(ssize_t, readlink, (const char *p, char *b, size_t n), (p, b, n))
TRAP(ssize_t, readlinkat, (int d, const char *p, char *b, size_t n), (d, p, b, n))
TRAP(ssize_t, __readlink_chk, (const char *p, char *b, size_t n, size_t l), (p, b, n, l))
TRAP(ssize_t, __readlinkat_chk, (int d, const char *p, char *b, size_t n, size_t l), (d, p, b, n, l))
TRAP(int, renameat2, (int d, const char *a, int e, const char *b, unsigned fl), (d, a, e, b, fl))
TRAP(int, posix_fadvise, (int fd, off_t o, off_t n, int a), (fd, o, n, a))
TRAP(int, posix_fadvise64, (int fd, off_t o, off_t n, int a), (fd, o, n, a))
TRAP(int, posix_fallocate, (int fd, off_t o, off_t n), (fd, o, n))
TRAP(int, fallocate, (int fd, int m, off_t o, off_t n), (fd, m, o, n))
