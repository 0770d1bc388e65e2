/* listbatch.h - `iopstop -b` with no target: the process list as text. */
#ifndef IOPSTOP_LISTBATCH_H
#define IOPSTOP_LISTBATCH_H

#include <stdio.h>

struct options;

/* Print this user's busiest processes each interval (o->iterations
 * bounds it, o->top the rows, default 20).  Returns the exit status. */
int listbatch_run(const struct options *o, FILE *out);

#endif
