/* main.c - everything else is in the library, so tests can link it. */
#include <config.h>

#include "iopstop.h"
#include "log.h"

int main(int argc, char **argv)
{
	int rc = iopstop_main(argc, argv);
	log_close();
	return rc;
}
