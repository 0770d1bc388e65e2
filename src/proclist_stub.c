/* proclist_stub.c - STUB of proclist.h with no rows, so that ui.c links
 * until the real libproc2 list (src/proclist.c, issue 4) replaces it. */
#include <config.h>

#include "proclist.h"

#include <stdlib.h>

struct proclist {
	int unused;
};

struct proclist *proclist_new(void)
{
	return calloc(1, sizeof(struct proclist));
}

void proclist_free(struct proclist *pl)
{
	free(pl);
}

int proclist_refresh(struct proclist *pl, int64_t now_us)
{
	(void)pl;
	(void)now_us;
	return 0;
}

const struct proc_row *proclist_rows(const struct proclist *pl, int *n)
{
	(void)pl;
	*n = 0;
	return NULL;
}
