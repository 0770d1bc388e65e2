/* ui.h - the full-screen view: the only module that calls curses. */
#ifndef IOPSTOP_UI_H
#define IOPSTOP_UI_H

struct app;
struct proclist;

/* Run the view until the user quits (the sampler is running).  Returns 0,
 * or -1 when the terminal cannot host it (the caller goes headless).  On
 * q with the source still going it asks the sampler to stop (detach from
 * -p processes, end a command).  On SIGHUP it leaves curses without
 * writing to the terminal and returns 0: the run goes on headless. */
int ui_run(struct app *a);

/* A top-like list of this user's processes by I/O rate, refreshed each
 * interval.  Returns the pid chosen with Enter, 0 on q, -1 when the
 * terminal cannot host it.  why: the last pick could not be watched
 * (shown until the next key; "" none). */
int ui_pick_process(struct app *a, struct proclist *pl, const char *why);

/* Can this terminal show the view?  1, or 0 and one line saying why
 * (TERM unset, dumb, a type the terminfo database does not know). */
#include <stddef.h>
int ui_usable(char *why, size_t len);

#endif
