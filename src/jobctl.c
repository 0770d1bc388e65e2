/* jobctl.c - the run's signal manners, and the command's own process group.
 *
 * Every handler here only reads atomics and calls kill(), raise-like
 * kill(getpid()) and sigaction's saved handler: all async-signal-safe. */
#include <config.h>

#include "jobctl.h"
#include "sampler.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

atomic_int jobctl_interrupts;
static atomic_int jc_pgid;		/* the command's group, 0 = none */
static struct sigaction jc_curses_tstp;	/* curses' Ctrl-Z handler, in the view */
static atomic_int jc_have_curses;

void jobctl_child(int own)
{
	if (own)
		setpgid(0, 0);
}

void jobctl_adopt(pid_t pid, int own)
{
	if (!own || pid <= 0)
		return;
	/* EACCES: the child has exec'd, and did it itself first. */
	setpgid(pid, pid);
	atomic_store(&jc_pgid, (int)pid);
}

void jobctl_forget(void)
{
	atomic_store(&jc_pgid, 0);
}

static void jc_stop(int sig)
{
	(void)sig;
	atomic_store(&sampler_signal_stop, 1);
}

/* What the terminal meant for the command's group. */
static void jc_pass(int sig)
{
	int e = errno;
	int g = atomic_load(&jc_pgid);
	if (g > 0)
		kill(-g, sig);
	if (sig == SIGINT)
		atomic_fetch_add(&jobctl_interrupts, 1);
	errno = e;
}

/* Ctrl-Z: stop the command's group, then ourselves (through curses'
 * handler in the view, so the screen is restored); once resumed (fg,
 * bg), resume the group. */
static void jc_tstp(int sig)
{
	int e = errno;
	int g = atomic_load(&jc_pgid);
	if (g > 0)
		kill(-g, SIGTSTP);
	if (atomic_load(&jc_have_curses) && jc_curses_tstp.sa_handler != SIG_DFL &&
	    jc_curses_tstp.sa_handler != SIG_IGN)
		jc_curses_tstp.sa_handler(sig);
	else
		kill(getpid(), SIGSTOP);
	if (g > 0)
		kill(-g, SIGCONT);
	errno = e;
}

static void jc_set(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = fn == SIG_IGN || fn == SIG_DFL ? 0 : SA_RESTART;
	sigaction(sig, &sa, NULL);
}

/* A hangup that came before the dispositions below (iopstop_main blocks
 * SIGHUP from its start) is delivered now, to the right one. */
static void jc_unblock_hup(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGHUP);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

void jobctl_install(int command, int view, int hup_stops)
{
	jc_set(SIGPIPE, SIG_IGN);
	jc_set(SIGTERM, jc_stop);
	atomic_store(&jc_have_curses, 0);
	if (!command) {
		jc_set(SIGINT, jc_stop);
		jc_set(SIGHUP, hup_stops ? jc_stop : SIG_IGN);
		jc_unblock_hup();
		return;
	}
	/* With --stdin the command is in our own group and the terminal
	 * reaches it directly: nothing to pass on (jc_pgid stays 0). */
	jc_set(SIGINT, jc_pass);
	jc_set(SIGQUIT, jc_pass);
	jc_set(SIGHUP, SIG_IGN);
	jc_set(SIGTSTP, jc_tstp);
	if (!view)
		jc_set(SIGWINCH, jc_pass);
	jc_unblock_hup();
}

void jobctl_view_before(void)
{
	struct sigaction cur;
	sigaction(SIGTSTP, NULL, &cur);
	if (cur.sa_handler == jc_tstp)
		jc_set(SIGTSTP, SIG_DFL);	/* so newterm installs its own */
}

void jobctl_view_after(void)
{
	struct sigaction cur;
	sigaction(SIGTSTP, NULL, &cur);
	if (cur.sa_handler == jc_tstp || atomic_load(&jc_pgid) <= 0)
		return;
	jc_curses_tstp = cur;
	atomic_store(&jc_have_curses, 1);
	jc_set(SIGTSTP, jc_tstp);
}

void jobctl_view_end(void)
{
	atomic_store(&jc_have_curses, 0);
}
