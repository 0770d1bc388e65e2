/* proclist.h - this user's processes and their I/O rates (see procscan.h). */
#ifndef IOPSTOP_PROCLIST_H
#define IOPSTOP_PROCLIST_H
#include <stdint.h>
struct proc_row {
	int pid;
	char comm[64];
	char cmd[256];		/* command line, spaces between args */
	double read_ops_s, write_ops_s, read_bytes_s, write_bytes_s;
	int no_perm;		/* counters unreadable: show "no permission", never 0 */
};
struct proclist;
struct proclist *proclist_new(void);
void proclist_free(struct proclist *pl);
/* Re-read /proc; rates are over the time since the last refresh (now_us
 * is the caller's clock).  Returns the number of rows or -1. */
int proclist_refresh(struct proclist *pl, int64_t now_us);
/* What reads /proc ("libproc2", "built-in"), for messages. */
const char *proclist_reader(void);
/* Rows, busiest first. */
const struct proc_row *proclist_rows(const struct proclist *pl, int *n);
#endif
