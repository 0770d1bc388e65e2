/* ui.c - placeholder until the curses view lands: always headless. */
#include <config.h>

#include "ui.h"

int ui_run(struct app *a)
{
	(void)a;
	return -1;
}
