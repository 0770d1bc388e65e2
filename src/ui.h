/* ui.h - the full-screen view: the only module that calls curses. */
#ifndef IOPSTOP_UI_H
#define IOPSTOP_UI_H

struct app;

/* Run the view until the user quits (the sampler is running).  Returns 0,
 * or -1 when the terminal cannot host it (the caller goes headless). */
int ui_run(struct app *a);

#endif
