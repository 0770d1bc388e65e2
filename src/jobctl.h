/* jobctl.h - the run's signal manners, and the command's own process group.
 *
 * A hangup goes to the terminal's foreground process group, so the traced
 * command (and its tracer) run in a process group of their own, never the
 * terminal's foreground one: a dropped connection cannot reach them.  What
 * the terminal would have sent them (Ctrl-C, Ctrl-\, Ctrl-Z and the
 * resume after it, window size changes) reaches iopstop instead, and is
 * passed on to that group, so the keys do what they do without iopstop. */
#ifndef IOPSTOP_JOBCTL_H
#define IOPSTOP_JOBCTL_H

#include <stdatomic.h>
#include <sys/types.h>

/* In the forked child, before exec: join a group of its own when own. */
void jobctl_child(int own);
/* In the parent after fork (either order is race-free): the same, and
 * remember the group as the one signals are passed on to. */
void jobctl_adopt(pid_t pid, int own);
/* The command's group is gone (or never was): pass nothing on. */
void jobctl_forget(void);

/* Install the run's handlers.  command: a command we started (its group
 * gets Ctrl-C and Ctrl-\; SIGTERM ends it through stop, a hangup is
 * ignored); else (attached, replay) SIGINT and SIGTERM stop the run and a
 * hangup stops it when hup_stops.  view: a full-screen view will open
 * (curses handles window size changes itself). */
void jobctl_install(int command, int view, int hup_stops);

/* The view wraps curses' own Ctrl-Z handler (it restores the screen):
 * call before newterm() and after it. */
void jobctl_view_before(void);
void jobctl_view_after(void);
/* The view has closed: Ctrl-Z stops us plainly again. */
void jobctl_view_end(void);

/* SIGINTs passed on to the command: the view closes once it has ended. */
extern atomic_int jobctl_interrupts;

#endif
